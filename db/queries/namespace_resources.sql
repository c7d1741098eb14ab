-- The Kubernetes namespaces to register as resources: one row per namespace that has a cost row
-- in the days [start_date, end_date], with the first and last hour seen and the total cost in
-- that range. To register everything, pass a range that covers all the data; to keep an existing
-- registry current, pass the recent days and take min(first)/max(last) with what is stored.
--
-- Provisional rows (the hour in progress) count, so a new namespace is registered as soon as it
-- has a cost; its first_seen_hour stays when the hour completes.
--
-- Parameters (substituted as text by the caller, see clean_expenses.sql):
--   {{cloud_account_ids}}  comma-separated, escaped string literals: 'acme', 'globex'; never empty
--   {{start_date}}         first day, YYYY-MM-DD (UTC), inclusive
--   {{end_date}}           last day, YYYY-MM-DD (UTC), inclusive
--
-- Columns:
--   resource_id       String            the namespace's resource id (stable: a v5 UUID of
--                                        tenant, cluster and namespace, see docs/tables.md)
--   cloud_account_id  String
--   cluster           String
--   namespace         String            may be __unallocated__ (one per cluster)
--   first_seen_hour   DateTime('UTC')   start of the first hour with a row in the range
--   last_seen_hour    DateTime('UTC')   start of the last hour with a row in the range
--   total_cost        Float64           sum of cost over the range
SELECT
    resource_id,
    cloud_account_id,
    cluster,
    namespace,
    min(hour) AS first_seen_hour,
    max(hour) AS last_seen_hour,
    sum(cost) AS total_cost
FROM k8s_expenses_current
WHERE cloud_account_id IN ({{cloud_account_ids}})
    AND toDate(hour) >= toDate('{{start_date}}')
    AND toDate(hour) <= toDate('{{end_date}}')
GROUP BY resource_id, cloud_account_id, cluster, namespace
ORDER BY cloud_account_id, cluster, namespace;
