-- Daily cost per cloud account, cluster, namespace and currency over the days [start_date,
-- end_date]: what a cost-over-time chart or a per-namespace breakdown reads.
--
-- Parameters:
--   %(cloud_account_ids)s  tuple of str; never empty (see clean_expenses.sql)
--   %(start_date)s         int, Unix seconds: a day counts when its start (00:00 UTC) is >= it
--   %(end_date)s           int, Unix seconds: a day counts when its start is <= it (inclusive)
--
-- Columns:
--   cloud_account_id, cluster, namespace  String  (namespace may be __unallocated__: the part of
--                                                  the cluster's cost no namespace accounts for)
--   resource_id   String   the namespace resource, as in clean_expenses.sql
--   date          UInt32   the day's start, Unix seconds (00:00 UTC), as the REST API's dates
--   currency      String   part of the key: sums never mix currencies
--   cost, cpu_cost, ram_cost, pv_cost, network_cost, lb_cost  Float64  sums over the day's hours
--   hours         UInt64   hours of that day with a row (24 when the day is fully covered)
--   provisional_hours UInt64  of those, hours not yet complete (`--current-hour`): their cost is
--                          what has accrued so far, and a later run replaces it. "Today so far"
--                          includes them; for billed figures subtract them or use k8s_costs.sql.
SELECT
    cloud_account_id,
    cluster,
    namespace,
    resource_id,
    toUInt32(toStartOfDay(hour)) AS date,
    currency,
    sum(cost) AS cost,
    sum(cpu_cost) AS cpu_cost,
    sum(ram_cost) AS ram_cost,
    sum(pv_cost) AS pv_cost,
    sum(network_cost) AS network_cost,
    sum(lb_cost) AS lb_cost,
    count() AS hours,
    sum(provisional) AS provisional_hours
FROM
(
    SELECT cloud_account_id, cluster, namespace, resource_id, hour, currency,
           cost, cpu_cost, ram_cost, pv_cost, network_cost, lb_cost, deleted, provisional
    FROM k8s_expenses FINAL
    WHERE cloud_account_id IN %(cloud_account_ids)s
        AND hour >= toDateTime(%(start_date)s)
        AND hour < toDateTime(%(end_date)s) + 86400
        AND toStartOfDay(hour) >= toDateTime(%(start_date)s)
        AND toStartOfDay(hour) <= toDateTime(%(end_date)s)
)
WHERE deleted = 0
GROUP BY cloud_account_id, cluster, namespace, resource_id, date, currency
ORDER BY cloud_account_id, cluster, namespace, date, currency;
