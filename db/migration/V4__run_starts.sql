-- k8s_worker_runs: one row when a run (hourly or backfill, not a dry run) starts, with status
-- 'running', and one when it ends, 'succeeded' or 'failed', with the number of tenants and of
-- failed tenants and why the run failed. A run with a 'running' row and no other was killed, or
-- died, before it ended; a run that failed before it reached any tenant (discovery, say) has its
-- reason here, where k8s_expenses_runs has no row for it.
CREATE TABLE IF NOT EXISTS k8s_worker_runs
(
    run_id String,
    mode String,
    status String,
    window_start DateTime('UTC'),
    window_end DateTime('UTC'),
    tenants UInt32,
    failed_tenants UInt32,
    started_at DateTime('UTC'),
    finished_at DateTime('UTC'),
    error String
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(started_at)
ORDER BY (started_at, run_id);
