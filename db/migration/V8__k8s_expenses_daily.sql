-- k8s_expenses_daily: the hourly rows of k8s_expenses summed per namespace resource and UTC day, in
-- the shape of the REST API's cloud `expenses` table (its first five columns), so that its
-- clean_expenses query runs over it by changing only the table name. One row per (resource, day,
-- currency) with sign = 1 and no other row: the worker rebuilds a whole day at a time in a staging
-- table and swaps it in with ALTER TABLE ... REPLACE PARTITION, which is atomic. A reader sees a
-- day either before or after a rebuild, never both, never a row twice, so SUM(cost * sign) is
-- exact at any merge state and without FINAL. Tombstoned hours and provisional hours (the hour in
-- progress) are not in it: it holds billed totals, like db/queries/clean_expenses.sql.
-- `date` is the day's start (00:00 UTC); it compares with Unix seconds as the REST API's does.
-- A day is a partition (its number of days since 1970-01-01, independent of the server's time zone).
CREATE TABLE IF NOT EXISTS k8s_expenses_daily
(
    cloud_account_id String,
    resource_id String,
    date DateTime,
    cost Float64,
    sign Int8,
    cluster String,
    namespace String,
    currency String,
    cpu_cost Float64,
    ram_cost Float64,
    pv_cost Float64,
    network_cost Float64,
    lb_cost Float64,
    hours UInt8
)
ENGINE = MergeTree
PARTITION BY intDiv(toUInt32(date), 86400)
ORDER BY (cloud_account_id, resource_id, date);

-- When each day of k8s_expenses_daily was last rebuilt (the newest build wins). A day of
-- k8s_expenses without a build here (data written before this migration) is built by the next run.
CREATE TABLE IF NOT EXISTS k8s_expenses_daily_builds
(
    day Date,
    built_at DateTime('UTC'),
    resource_days UInt64,
    run_id String
)
ENGINE = ReplacingMergeTree(built_at)
ORDER BY day;
