-- The statements kubecost-worker sends besides the migrations, with example values, so that
-- ../shared/tools/modern-sql-check db/migration/*.sql db/reader-queries.sql proves they run on a
-- current ClickHouse too (the tests run them on 18.16). Keep in step with the classes named.

-- clickhouse/ClickHouseExpenseStore: the stored state of a batch of tenants in a window, per table
-- (also what explain and gaps compare a fresh computation with)
SELECT cloud_account_id, cluster, namespace, resource_id, toUnixTimestamp(hour) AS hour_unix, currency, cost, cpu_cost, ram_cost, pv_cost, network_cost, lb_cost, cpu_efficiency, ram_efficiency, total_efficiency, coverage, deleted, version, toUnixTimestamp(computed_at) AS computed_at_unix, provisional FROM k8s_expenses FINAL WHERE cloud_account_id IN ('acme\'s', 'team.a') AND hour >= toDateTime(1760313600) AND hour < toDateTime(1760400000)
FORMAT TabSeparatedWithNames;
SELECT cloud_account_id, cluster, toUnixTimestamp(hour) AS hour_unix, currency, cost, cpu_cost, ram_cost, pv_cost, network_cost, lb_cost, cpu_efficiency, ram_efficiency, total_efficiency, coverage, deleted, version, toUnixTimestamp(computed_at) AS computed_at_unix, provisional FROM k8s_cluster_expenses FINAL WHERE cloud_account_id IN ('acme', 'globex') AND hour >= toDateTime(1760313600) AND hour < toDateTime(1760400000)
FORMAT TabSeparatedWithNames;

-- clickhouse/ClickHouseExpenseStore: how recent each tenant's rows are (check's rows_stale)
SELECT cloud_account_id, max(if(provisional = 1, toUnixTimestamp(computed_at), toUnixTimestamp(hour) + 3600)) AS newest_unix FROM (SELECT cloud_account_id, hour, computed_at, provisional, deleted FROM k8s_expenses FINAL WHERE cloud_account_id IN ('acme', 'globex') AND hour >= toDateTime(1760313600) AND hour < toDateTime(1760400000)) WHERE deleted = 0 GROUP BY cloud_account_id
FORMAT TabSeparatedWithNames;

-- clickhouse/ClickHouseExpenseStore: tenants with visible rows in a window (backfill --erase-missing)
SELECT DISTINCT cloud_account_id FROM (SELECT cloud_account_id, deleted FROM k8s_expenses FINAL WHERE hour >= toDateTime(1760313600) AND hour < toDateTime(1760400000)) WHERE deleted = 0
FORMAT TabSeparated;

-- clickhouse/ClickHouseExpenseStore: what a write that failed halfway stored, read back by its version
SELECT cloud_account_id, deleted, uniqExact(cluster, namespace, hour) FROM k8s_expenses WHERE cloud_account_id IN ('acme', 'globex') AND hour >= toDateTime(1760313600) AND hour < toDateTime(1760400000) AND version = 1760400000123456 GROUP BY cloud_account_id, deleted
FORMAT TabSeparated;

-- clickhouse/ClickHouseRunLedger: per tenant, whether its latest run of a mode since an instant failed (the pushed failure gauge)
SELECT cloud_account_id, argMax(status, finished_at) != 'succeeded' AS failed FROM k8s_expenses_runs WHERE mode = 'hourly' AND started_at >= toDateTime(1760313600) GROUP BY cloud_account_id
FORMAT JSONEachRow;

-- clickhouse/ClickHouseRunLedger: a window's ledger rows (check's failed runs)
SELECT run_id, mode, cloud_account_id, toUnixTimestamp(window_start) AS ws, toUnixTimestamp(window_end) AS we, status, rows_written, rows_changed, rows_tombstoned, non_finite_samples, negative_cost_samples, refused_cluster_hours, toUnixTimestamp(started_at) AS st, toUnixTimestamp(finished_at) AS ft, error, provisional FROM k8s_expenses_runs WHERE started_at >= toDateTime(1760313600) AND started_at <= toDateTime(1760400000) AND cloud_account_id IN ('acme') ORDER BY started_at, run_id, cloud_account_id
FORMAT TabSeparatedWithNames;

-- clickhouse/Watermarks
SELECT cloud_account_id, toUnixTimestamp(watermark) AS watermark_unix FROM k8s_expenses_watermarks FINAL
FORMAT JSONEachRow;

-- clickhouse/Migrator: history, lock with heartbeats, lock age, columns an ADD COLUMN would add
CREATE TABLE IF NOT EXISTS k8s_worker_schema_history (version UInt32, script String, checksum String, applied_at DateTime('UTC'), execution_ms UInt64) ENGINE = MergeTree ORDER BY version;
SELECT version, script, checksum FROM k8s_worker_schema_history ORDER BY version
FORMAT JSONEachRow;
SELECT name FROM system.columns WHERE database = currentDatabase() AND table = 'k8s_expenses_runs' AND name = 'non_finite_samples'
FORMAT JSONEachRow;
CREATE TABLE k8s_worker_migration_lock (holder String, beat_at DateTime('UTC')) ENGINE = MergeTree ORDER BY holder;
SELECT DISTINCT holder FROM k8s_worker_migration_lock
FORMAT JSONEachRow;
SELECT toUnixTimestamp(now()) - toUnixTimestamp(max(beat_at)) AS age, count() AS n FROM k8s_worker_migration_lock
FORMAT JSONEachRow;
SELECT toUnixTimestamp(now()) - toUnixTimestamp(metadata_modification_time) AS age FROM system.tables WHERE database = currentDatabase() AND name = 'k8s_worker_migration_lock'
FORMAT JSONEachRow;
DROP TABLE IF EXISTS k8s_worker_migration_lock;

-- the runbook: tenants whose last 3 hourly runs all failed
SELECT cloud_account_id FROM k8s_expenses_runs ANY INNER JOIN (SELECT cloud_account_id, arrayReverseSort(groupArray(started_at))[3] AS third_latest FROM k8s_expenses_runs WHERE mode = 'hourly' AND started_at >= now() - 86400 GROUP BY cloud_account_id HAVING count() >= 3) AS latest USING cloud_account_id WHERE mode = 'hourly' AND started_at >= third_latest GROUP BY cloud_account_id HAVING countIf(status != 'failed') = 0
FORMAT JSONEachRow;

-- the runbook: runs that started and never ended
SELECT run_id, min(started_at) AS started FROM k8s_worker_runs GROUP BY run_id HAVING countIf(status != 'running') = 0 ORDER BY started
FORMAT JSONEachRow;

-- What readers do: the REST API's queries over the view k8s_expenses_current live in db/queries/,
-- one file each, with their parameters in a header (ReaderQueriesIT runs them on 18.16). Check them
-- on current ClickHouse with the migrations that create the view:
--   ../shared/tools/modern-sql-check --set cloud_account_ids="'acme','globex'" --set start_date=2025-10-13 \
--     --set end_date=2025-10-15 db/migration/*.sql db/queries/*.sql
