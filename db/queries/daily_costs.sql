-- Daily cost per cloud account, cluster and namespace over the days [start_date, end_date]:
-- what a cost-over-time chart or a per-namespace breakdown reads.
--
-- Parameters (substituted as text by the caller, see clean_expenses.sql):
--   {{cloud_account_ids}}  comma-separated, escaped string literals: 'acme', 'globex'; never empty
--   {{start_date}}         first day, YYYY-MM-DD (UTC), inclusive
--   {{end_date}}           last day, YYYY-MM-DD (UTC), inclusive
--
-- Columns:
--   cloud_account_id, cluster, namespace  String  (namespace may be __unallocated__: the part of
--                                                  the cluster's cost no namespace accounts for)
--   resource_id   String   the namespace's resource id, as in clean_expenses.sql
--   date          Date     the UTC day
--   currency      String   the exporter's currency; part of the key so sums never mix currencies
--   cost, cpu_cost, ram_cost, pv_cost, network_cost, lb_cost  Float64  sums over the day's hours
--   hours         UInt64   hours of that day with a row (24 when the day is fully covered)
--   provisional_hours UInt64  of those, hours not yet complete (`--current-hour`): their cost is
--                          what has accrued so far, and a later run replaces it. "Today so far"
--                          includes them; for billed figures add `AND provisional = 0` to WHERE.
SELECT
    cloud_account_id,
    cluster,
    namespace,
    resource_id,
    toDate(hour) AS date,
    currency,
    sum(cost) AS cost,
    sum(cpu_cost) AS cpu_cost,
    sum(ram_cost) AS ram_cost,
    sum(pv_cost) AS pv_cost,
    sum(network_cost) AS network_cost,
    sum(lb_cost) AS lb_cost,
    count() AS hours,
    sum(provisional) AS provisional_hours
FROM k8s_expenses_current
WHERE cloud_account_id IN ({{cloud_account_ids}})
    AND toDate(hour) >= toDate('{{start_date}}')
    AND toDate(hour) <= toDate('{{end_date}}')
GROUP BY cloud_account_id, cluster, namespace, resource_id, date, currency
ORDER BY cloud_account_id, cluster, namespace, date, currency;
