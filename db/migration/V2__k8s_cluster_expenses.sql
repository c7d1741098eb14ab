-- k8s_cluster_expenses: what the cluster-level series report for one cluster in one UTC hour:
-- the totals the __unallocated__ row of k8s_expenses balances against, and the cluster's own
-- efficiencies (the __unallocated__ row's efficiencies are NULL). Versioned like k8s_expenses.
CREATE TABLE IF NOT EXISTS k8s_cluster_expenses
(
    cloud_account_id String,
    cluster String,
    hour DateTime('UTC'),
    currency String,
    cost Float64,
    cpu_cost Float64,
    ram_cost Float64,
    pv_cost Float64,
    network_cost Float64,
    lb_cost Float64,
    cpu_efficiency Nullable(Float64),
    ram_efficiency Nullable(Float64),
    total_efficiency Nullable(Float64),
    coverage Float64,
    deleted UInt8,
    version UInt64,
    computed_at DateTime('UTC')
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(hour)
ORDER BY (cloud_account_id, cluster, hour);

CREATE VIEW IF NOT EXISTS k8s_cluster_expenses_current AS
SELECT cloud_account_id, cluster, hour, currency,
       cost, cpu_cost, ram_cost, pv_cost, network_cost, lb_cost,
       cpu_efficiency, ram_efficiency, total_efficiency, coverage,
       deleted, version, computed_at
FROM k8s_cluster_expenses FINAL
WHERE deleted = 0;
