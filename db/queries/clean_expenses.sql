-- clean_expenses for Kubernetes namespaces: the cost of each (cloud account, namespace resource) in
-- one currency over the days [start_date, end_date], most expensive first, with a grand total.
-- Run as the REST API runs its own: clickhouse_driver's Client.execute(sql, params); the totals
-- row comes last (result.pop(-1)).
--
-- Parameters:
--   %(cloud_account_ids)s  tuple of str: the Kubernetes cloud accounts (the exporter's tenant_id);
--                          never empty (`IN ()` is a syntax error: skip the query without accounts)
--   %(start_date)s         int, Unix seconds: a day counts when its start (00:00 UTC) is >= it
--   %(end_date)s           int, Unix seconds: a day counts when its start is <= it (inclusive, as
--                          the REST API compares its expenses' `date`)
--   %(currency)s           str: the organization's currency; rows in other currencies are left out
--                          (k8s_costs.sql lists every currency an account has)
--
-- Columns, the names and types of the REST API's clean_expenses query over its cloud `expenses`
-- table (SUM(cost * sign) of Float64 and Int8 is Float64), so the two combine with UNION ALL:
--   cloud_account_id  String
--   resource_id       String   the namespace resource (its cloud_resource_id, see namespace_resources.sql)
--   total_cost        Float64  the hours' cost over the days
-- Billed totals: provisional rows (the hour in progress, `--current-hour`) are left out.
-- Reads only the asked accounts' rows: the filter is inside FINAL, on the table's sort key.
SELECT
    cloud_account_id,
    resource_id,
    sum(cost) AS total_cost
FROM
(
    SELECT cloud_account_id, resource_id, currency, cost, deleted, provisional
    FROM k8s_expenses FINAL
    WHERE cloud_account_id IN %(cloud_account_ids)s
        AND hour >= toDateTime(%(start_date)s)
        AND hour < toDateTime(%(end_date)s) + 86400
        AND toStartOfDay(hour) >= toDateTime(%(start_date)s)
        AND toStartOfDay(hour) <= toDateTime(%(end_date)s)
)
WHERE deleted = 0 AND provisional = 0 AND currency = %(currency)s
GROUP BY cloud_account_id, resource_id
WITH TOTALS
ORDER BY total_cost DESC, cloud_account_id, resource_id;
