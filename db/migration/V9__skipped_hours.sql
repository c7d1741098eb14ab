-- Hours an hourly run left unprocessed because they were older than worker.max-catch-up: per
-- tenant and run, [skipped_from, skipped_to). The run moves the watermark past them, so without
-- these columns only the run's WARN line would know; `check` reads them (skipped_hours) until a
-- later run of the tenant has covered them. Both 0 (1970-01-01) when nothing was skipped. One
-- column per statement (see V7).
ALTER TABLE k8s_expenses_runs
    ADD COLUMN skipped_from DateTime('UTC') DEFAULT toDateTime(0, 'UTC');

ALTER TABLE k8s_expenses_runs
    ADD COLUMN skipped_to DateTime('UTC') DEFAULT toDateTime(0, 'UTC');
