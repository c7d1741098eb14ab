-- The hour in progress (`hourly --current-hour`): its rows carry provisional = 1 until the hour's
-- first final processing replaces them (provisional = 0, a higher version) or tombstones them.
-- Rows of complete hours, and every row written before this migration, have 0. The run ledger
-- marks the windows a run computed provisionally. One column per statement: ClickHouse 18.16 has no
-- ADD COLUMN IF NOT EXISTS, and the migrator skips an ADD COLUMN whose column exists, so a run that
-- died halfway can run this file again.
ALTER TABLE k8s_expenses
    ADD COLUMN provisional UInt8 DEFAULT 0;

ALTER TABLE k8s_cluster_expenses
    ADD COLUMN provisional UInt8 DEFAULT 0;

ALTER TABLE k8s_expenses_runs
    ADD COLUMN provisional UInt8 DEFAULT 0;

-- The views show the new column (a view's columns are fixed when it is created).
DROP TABLE IF EXISTS k8s_expenses_current;

CREATE VIEW IF NOT EXISTS k8s_expenses_current AS
SELECT cloud_account_id, cluster, namespace, resource_id, hour, currency,
       cost, cpu_cost, ram_cost, pv_cost, network_cost, lb_cost,
       cpu_efficiency, ram_efficiency, total_efficiency, coverage,
       deleted, version, computed_at, provisional
FROM k8s_expenses FINAL
WHERE deleted = 0;

DROP TABLE IF EXISTS k8s_cluster_expenses_current;

CREATE VIEW IF NOT EXISTS k8s_cluster_expenses_current AS
SELECT cloud_account_id, cluster, hour, currency,
       cost, cpu_cost, ram_cost, pv_cost, network_cost, lb_cost,
       cpu_efficiency, ram_efficiency, total_efficiency, coverage,
       deleted, version, computed_at, provisional
FROM k8s_cluster_expenses FINAL
WHERE deleted = 0;
