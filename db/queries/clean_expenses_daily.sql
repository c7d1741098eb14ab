-- The REST API's own clean_expenses query (rest_api_server/controllers/expense.py) with only its
-- table changed: k8s_expenses_daily, the Kubernetes namespaces' costs per UTC day in the shape of
-- its cloud `expenses` table. Run it as the REST API runs its own, or run that query over
-- `(SELECT ... FROM expenses UNION ALL SELECT ... FROM k8s_expenses_daily)` for both at once.
-- No FINAL is needed: k8s_expenses_daily holds one row per resource, day and currency with
-- sign = 1, each day swapped in whole by the worker (see db/migration/V8__k8s_expenses_daily.sql).
--
-- Parameters:
--   external table cloud_account_ids  one String column _id: the Kubernetes cloud accounts
--   external table resource_ids       one String column _id: the resources to sum (our resource_id,
--                                     the cloud_resource_id of namespace_resources.sql)
--   %(start_date)s                    int, Unix seconds: days whose start (00:00 UTC) is >= it
--   %(end_date)s                      int, Unix seconds: days whose start is <= it (inclusive)
--
-- Columns: cloud_account_id String, resource_id String, total_cost Float64; most expensive first,
-- then the WITH TOTALS row (result.pop(-1)). Billed totals: the hour in progress is not included.
-- An account whose exporter changed currency has rows in both: add `AND currency = %(currency)s`
-- to keep one (k8s_costs.sql tells which accounts have more than one).
SELECT cloud_account_id, resource_id, SUM(cost * sign) AS total_cost
FROM k8s_expenses_daily
WHERE cloud_account_id IN cloud_account_ids
    AND resource_id IN resource_ids
    AND date >= %(start_date)s
    AND date <= %(end_date)s
GROUP BY cloud_account_id, resource_id
WITH TOTALS
HAVING SUM(sign) > 0
ORDER BY total_cost DESC;
