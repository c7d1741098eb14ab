-- k8s_costs.sql per cluster: per Kubernetes cloud account, cluster and currency, the cost over the
-- days [start_date, end_date] and its breakdown (a cluster's namespaces, __unallocated__ included,
-- add up to the cluster's cost).
--
-- Parameters:
--   %(cloud_account_ids)s  tuple of str; never empty (see clean_expenses.sql)
--   %(start_date)s         int, Unix seconds: a day counts when its start (00:00 UTC) is >= it
--   %(end_date)s           int, Unix seconds: a day counts when its start is <= it (inclusive)
--
-- Columns: cloud_account_id, cluster, currency (String), then as k8s_costs.sql: total_cost,
-- cpu_cost, ram_cost, pv_cost, network_cost, load_balancer_cost, management_cost (Float64, the
-- last always 0), hours (UInt64). Billed totals: provisional rows are left out. Ordered by
-- account, cluster, currency.
SELECT
    cloud_account_id,
    cluster,
    currency,
    sum(cost) AS total_cost,
    sum(cpu_cost) AS cpu_cost,
    sum(ram_cost) AS ram_cost,
    sum(pv_cost) AS pv_cost,
    sum(network_cost) AS network_cost,
    sum(lb_cost) AS load_balancer_cost,
    toFloat64(0) AS management_cost,
    count() AS hours
FROM
(
    SELECT cloud_account_id, cluster, currency, cost, cpu_cost, ram_cost, pv_cost, network_cost, lb_cost, deleted, provisional
    FROM k8s_expenses FINAL
    WHERE cloud_account_id IN %(cloud_account_ids)s
        AND hour >= toDateTime(%(start_date)s)
        AND hour < toDateTime(%(end_date)s) + 86400
        AND toStartOfDay(hour) >= toDateTime(%(start_date)s)
        AND toStartOfDay(hour) <= toDateTime(%(end_date)s)
)
WHERE deleted = 0 AND provisional = 0
GROUP BY cloud_account_id, cluster, currency
ORDER BY cloud_account_id, cluster, currency;
