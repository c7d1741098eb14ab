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

-- clickhouse/ClickHouseDailyExpenses: a day of k8s_expenses_daily rebuilt in a staging table and swapped in
SELECT DISTINCT toUnixTimestamp(min_time) AS first, toUnixTimestamp(max_time) AS last FROM system.parts WHERE database = currentDatabase() AND table = 'k8s_expenses' AND active
FORMAT JSONEachRow;
SELECT DISTINCT toString(day) AS day FROM k8s_expenses_daily_builds
FORMAT JSONEachRow;
SELECT name FROM system.tables WHERE database = currentDatabase() AND startsWith(name, 'k8s_expenses_daily_build_') AND toUnixTimestamp(metadata_modification_time) < toUnixTimestamp(now()) - 86400
FORMAT JSONEachRow;
CREATE TABLE k8s_expenses_daily_build_0a1b AS k8s_expenses_daily;
SELECT max(max_block_number) AS block FROM system.parts WHERE database = currentDatabase() AND table = 'k8s_expenses' AND active AND partition = '202510'
FORMAT JSONEachRow;
TRUNCATE TABLE k8s_expenses_daily_build_0a1b;
INSERT INTO k8s_expenses_daily_build_0a1b (cloud_account_id, resource_id, date, cost, sign, cluster, namespace, currency, cpu_cost, ram_cost, pv_cost, network_cost, lb_cost, hours) SELECT cloud_account_id, rid, toDateTime(toStartOfDay(hour)) AS day_start, sum(c), 1, cluster, namespace, cur, sum(cpu), sum(ram), sum(pv), sum(net), sum(lb), count() FROM (SELECT cloud_account_id, cluster, namespace, hour, argMax(resource_id, version) AS rid, argMax(currency, version) AS cur, argMax(cost, version) AS c, argMax(cpu_cost, version) AS cpu, argMax(ram_cost, version) AS ram, argMax(pv_cost, version) AS pv, argMax(network_cost, version) AS net, argMax(lb_cost, version) AS lb, argMax(deleted, version) AS del, argMax(provisional, version) AS prov FROM k8s_expenses WHERE hour >= toDateTime(1760400000) AND hour < toDateTime(1760486400) GROUP BY cloud_account_id, cluster, namespace, hour) WHERE del = 0 AND prov = 0 GROUP BY cloud_account_id, rid, day_start, cluster, namespace, cur;
SELECT count() AS n FROM k8s_expenses_daily_build_0a1b
FORMAT JSONEachRow;
ALTER TABLE k8s_expenses_daily DROP PARTITION 20375;
INSERT INTO k8s_expenses_daily_build_0a1b (cloud_account_id, resource_id, date, cost, sign) VALUES ('acme', 'r', 1760400000, 1.5, 1);
ALTER TABLE k8s_expenses_daily REPLACE PARTITION 20375 FROM k8s_expenses_daily_build_0a1b;
SELECT 1 AS newer FROM system.parts WHERE database = currentDatabase() AND table = 'k8s_expenses' AND active AND partition = '202510' AND max_block_number > 7 AND toUnixTimestamp(max_time) >= 1760400000 AND toUnixTimestamp(min_time) < 1760486400 LIMIT 1
FORMAT JSONEachRow;
INSERT INTO k8s_expenses_daily_builds (day, built_at, resource_days, run_id) VALUES (toDate('2025-10-14'), now(), 1, 'run-1');
DROP TABLE IF EXISTS k8s_expenses_daily_build_0a1b;

-- the runbook: tenants whose last 3 hourly runs all failed
SELECT cloud_account_id FROM k8s_expenses_runs ANY INNER JOIN (SELECT cloud_account_id, arrayReverseSort(groupArray(started_at))[3] AS third_latest FROM k8s_expenses_runs WHERE mode = 'hourly' AND started_at >= now() - 86400 GROUP BY cloud_account_id HAVING count() >= 3) AS latest USING cloud_account_id WHERE mode = 'hourly' AND started_at >= third_latest GROUP BY cloud_account_id HAVING countIf(status != 'failed') = 0
FORMAT JSONEachRow;

-- the runbook: runs that started and never ended
SELECT run_id, min(started_at) AS started FROM k8s_worker_runs GROUP BY run_id HAVING countIf(status != 'running') = 0 ORDER BY started
FORMAT JSONEachRow;

-- What readers do: the REST API's queries live in db/queries/, one file each, with clickhouse-driver
-- parameters listed in a header (ReaderQueriesIT runs them on 18.16 through that driver).
-- scripts/check-reader-sql.sh renders them through the driver and checks them with this file.
