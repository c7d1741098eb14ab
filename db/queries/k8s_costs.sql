-- The k8s_costs block of the REST API's clean_expenses answer: per Kubernetes cloud account and
-- currency, the cost over the days [start_date, end_date] and its breakdown.
--
-- Parameters:
--   %(cloud_account_ids)s  tuple of str; never empty (see clean_expenses.sql)
--   %(start_date)s         int, Unix seconds: a day counts when its start (00:00 UTC) is >= it
--   %(end_date)s           int, Unix seconds: a day counts when its start is <= it (inclusive)
--
-- Columns, one row per account and currency (an account whose exporter changed currency has two):
--   cloud_account_id     String
--   currency             String
--   total_cost           Float64  = cpu_cost + ram_cost + pv_cost + network_cost + load_balancer_cost
--   cpu_cost, ram_cost, pv_cost, network_cost, load_balancer_cost  Float64
--   management_cost      Float64  always 0: the allocation exporter publishes no cluster management
--                                 fee (Kubecost leaves it out of allocations); the block's field is 0
--   hours                UInt64   hour rows summed (namespaces x hours), to tell "no data" from 0
-- Billed totals: provisional rows are left out. Ordered by account, then currency.
SELECT
    cloud_account_id,
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
    SELECT cloud_account_id, currency, cost, cpu_cost, ram_cost, pv_cost, network_cost, lb_cost, deleted, provisional
    FROM k8s_expenses FINAL
    WHERE cloud_account_id IN %(cloud_account_ids)s
        AND hour >= toDateTime(%(start_date)s)
        AND hour < toDateTime(%(end_date)s) + 86400
        AND toStartOfDay(hour) >= toDateTime(%(start_date)s)
        AND toStartOfDay(hour) <= toDateTime(%(end_date)s)
)
WHERE deleted = 0 AND provisional = 0
GROUP BY cloud_account_id, currency
ORDER BY cloud_account_id, currency;
