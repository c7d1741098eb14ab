-- clean_expenses for Kubernetes namespaces: the cost of each (cloud account, namespace resource)
-- over the days [start_date, end_date], the most expensive first, with a grand total.
--
-- Parameters (ClickHouse 18.16 has no server-side parameters: the caller substitutes the text
-- and is responsible for escaping it):
--   {{cloud_account_ids}}  comma-separated string literals, each escaped like any ClickHouse
--                          string literal (backslash and quote): 'acme', 'globex'. Never empty:
--                          `IN ()` is a syntax error, so skip the query when there is no account.
--   {{start_date}}         first day, YYYY-MM-DD (UTC), inclusive
--   {{end_date}}           last day, YYYY-MM-DD (UTC), inclusive
--
-- Columns, the same names and types as the REST API's clean_expenses query over its cloud
-- `expenses` table (SUM(cost * sign) over Float64 cost and Int8 sign is Float64), so the two can
-- be combined with UNION ALL (see docs/reader-queries.md):
--   cloud_account_id  String   the exporter's tenant_id
--   resource_id       String   the namespace's resource id (k8s_expenses.resource_id)
--   total_cost        Float64  sum of the hourly cost over the days, in the exporter's currency
-- Billed totals: provisional rows (the hour in progress, `--current-hour`) are left out; for a
-- "so far" figure that includes the hour in progress, drop the `provisional = 0` condition.
-- WITH TOTALS adds one row after the data: empty ids and the sum of total_cost.
-- Ties are broken by the ids so that pages (LIMIT/OFFSET) are stable.
SELECT
    cloud_account_id,
    resource_id,
    sum(cost) AS total_cost
FROM k8s_expenses_current
WHERE cloud_account_id IN ({{cloud_account_ids}})
    AND toDate(hour) >= toDate('{{start_date}}')
    AND toDate(hour) <= toDate('{{end_date}}')
    AND provisional = 0
GROUP BY cloud_account_id, resource_id
WITH TOTALS
ORDER BY total_cost DESC, cloud_account_id, resource_id;
