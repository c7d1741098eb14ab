-- k8s_expenses: the cost of one namespace of one cluster in one UTC hour, per tenant
-- (cloud_account_id is the exporter's tenant_id). A contract read by the REST API: keep the names.
-- Every write carries a larger version; a key's newest version wins (ReplacingMergeTree). A row
-- with deleted = 1 is a tombstone: the key no longer has a cost for that hour.
CREATE TABLE IF NOT EXISTS k8s_expenses
(
    cloud_account_id String,
    cluster String,
    namespace String,
    resource_id String,
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
ORDER BY (cloud_account_id, cluster, namespace, hour);

-- What readers see: the newest version of every key, tombstones removed.
CREATE VIEW IF NOT EXISTS k8s_expenses_current AS
SELECT cloud_account_id, cluster, namespace, resource_id, hour, currency,
       cost, cpu_cost, ram_cost, pv_cost, network_cost, lb_cost,
       cpu_efficiency, ram_efficiency, total_efficiency, coverage,
       deleted, version, computed_at
FROM k8s_expenses FINAL
WHERE deleted = 0;
