-- The statements kubecost-worker sends besides the migrations, with example values, so that
-- ../shared/tools/modern-sql-check db/migration/*.sql db/reader-queries.sql proves they run on a
-- current ClickHouse too (the tests run them on 18.16). Keep in step with the classes named.

-- clickhouse/VersionedTable: the stored state of a tenant's window (k8s_expenses)
SELECT cluster, namespace, toUnixTimestamp(hour) AS hour_unix, resource_id, currency, cost, cpu_cost, ram_cost, pv_cost, network_cost, lb_cost, cpu_efficiency, ram_efficiency, total_efficiency, coverage, deleted, version FROM k8s_expenses FINAL WHERE cloud_account_id = 'acme\'s' AND hour >= toDateTime(1760313600) AND hour < toDateTime(1760400000)
FORMAT JSONEachRow;

-- clickhouse/VersionedTable: the same for k8s_cluster_expenses
SELECT cluster, toUnixTimestamp(hour) AS hour_unix, currency, cost, cpu_cost, ram_cost, pv_cost, network_cost, lb_cost, cpu_efficiency, ram_efficiency, total_efficiency, coverage, deleted, version FROM k8s_cluster_expenses FINAL WHERE cloud_account_id = 'acme' AND hour >= toDateTime(1760313600) AND hour < toDateTime(1760400000)
FORMAT JSONEachRow;

-- clickhouse/Watermarks
SELECT cloud_account_id, toUnixTimestamp(watermark) AS watermark_unix FROM k8s_expenses_watermarks FINAL
FORMAT JSONEachRow;

-- clickhouse/Migrator: history, lock, lock age
CREATE TABLE IF NOT EXISTS k8s_worker_schema_history (version UInt32, script String, checksum String, applied_at DateTime('UTC'), execution_ms UInt64) ENGINE = MergeTree ORDER BY version;
SELECT version, script, checksum FROM k8s_worker_schema_history ORDER BY version
FORMAT JSONEachRow;
CREATE TABLE k8s_worker_migration_lock (holder String) ENGINE = MergeTree ORDER BY holder;
SELECT toUnixTimestamp(now()) - toUnixTimestamp(metadata_modification_time) AS age FROM system.tables WHERE database = currentDatabase() AND name = 'k8s_worker_migration_lock'
FORMAT JSONEachRow;
DROP TABLE IF EXISTS k8s_worker_migration_lock;

-- What readers do: the REST API's queries over the view k8s_expenses_current live in db/queries/,
-- one file each, with their parameters in a header (ReaderQueriesIT runs them on 18.16). Check them
-- on current ClickHouse with the migrations that create the view:
--   ../shared/tools/modern-sql-check --set cloud_account_ids="'acme','globex'" --set start_date=2025-10-13 \
--     --set end_date=2025-10-15 db/migration/*.sql db/queries/*.sql
