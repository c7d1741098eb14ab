-- k8s_expenses_runs: one row per tenant and run (hourly or backfill), written when the tenant's
-- work ends. rows_written: rows the run computed and that are now current in k8s_expenses;
-- rows_changed: those of them that differed from what was stored (inserted); rows_tombstoned:
-- stored rows the run marked deleted.
CREATE TABLE IF NOT EXISTS k8s_expenses_runs
(
    run_id String,
    mode String,
    cloud_account_id String,
    window_start DateTime('UTC'),
    window_end DateTime('UTC'),
    status String,
    rows_written UInt64,
    rows_changed UInt64,
    rows_tombstoned UInt64,
    started_at DateTime('UTC'),
    finished_at DateTime('UTC'),
    error String
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(started_at)
ORDER BY (cloud_account_id, started_at, run_id);

-- k8s_expenses_watermarks: per tenant, the end of the hours the hourly run has written
-- successfully. The version is the watermark itself, so a watermark can only move forward,
-- whatever order concurrent runs write in. To rewind one, delete the tenant's rows.
CREATE TABLE IF NOT EXISTS k8s_expenses_watermarks
(
    cloud_account_id String,
    watermark DateTime('UTC'),
    run_id String,
    updated_at DateTime('UTC')
)
ENGINE = ReplacingMergeTree(watermark)
ORDER BY cloud_account_id;
