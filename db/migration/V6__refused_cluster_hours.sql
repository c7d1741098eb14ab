-- Per tenant and run: cluster-hours the cost rules refused because their data contradict
-- themselves (two currencies in one hour): left unwritten, named with their reason in `error`;
-- the tenant's other hours are written and its watermark moves on (status `partial`).
ALTER TABLE k8s_expenses_runs
    ADD COLUMN refused_cluster_hours UInt64 DEFAULT 0;
