-- The Kubernetes namespaces to register as REST API resources (POST .../cloud_resources/bulk,
-- behavior skip_existing or update_existing): one row per namespace resource and currency with a
-- cost row in the days [start_date, end_date]. To register everything, pass a range that covers
-- all the data; to keep a registry current, pass the recent days (the REST API keeps the min of
-- first_seen and the max of last_seen). Provisional rows (the hour in progress) count, so a new
-- namespace is registered as soon as it has a cost.
--
-- Parameters:
--   %(cloud_account_ids)s  tuple of str; never empty (see clean_expenses.sql)
--   %(start_date)s         int, Unix seconds: a day counts when its start (00:00 UTC) is >= it
--   %(end_date)s           int, Unix seconds: a day counts when its start is <= it (inclusive)
--
-- Columns, named as the bulk creation's fields where there is one:
--   cloud_account_id   String  the Kubernetes cloud account
--   cloud_resource_id  String  our resource_id: a stable v5 UUID of tenant, cluster and namespace
--                              (the resource_id of clean_expenses.sql and k8s_expenses_daily)
--   resource_type      String  'K8s Namespace'
--   name               String  the namespace (__unallocated__: the cluster's cost no namespace has)
--   k8s_namespace      String  the namespace
--   cluster            String  the exporter's cluster label (the REST API has no cluster field:
--                              put it in tags, e.g. {"k8s_cluster": cluster})
--   first_seen         UInt32  Unix seconds: start of the first hour with a row in the range
--   last_seen          UInt32  Unix seconds: start of the last hour with a row in the range
--   currency           String
--   total_cost         Float64 the range's cost in that currency
SELECT
    cloud_account_id,
    resource_id AS cloud_resource_id,
    'K8s Namespace' AS resource_type,
    namespace AS name,
    namespace AS k8s_namespace,
    cluster,
    toUInt32(min(hour)) AS first_seen,
    toUInt32(max(hour)) AS last_seen,
    currency,
    sum(cost) AS total_cost
FROM
(
    SELECT cloud_account_id, cluster, namespace, resource_id, hour, currency, cost, deleted
    FROM k8s_expenses FINAL
    WHERE cloud_account_id IN %(cloud_account_ids)s
        AND hour >= toDateTime(%(start_date)s)
        AND hour < toDateTime(%(end_date)s) + 86400
        AND toStartOfDay(hour) >= toDateTime(%(start_date)s)
        AND toStartOfDay(hour) <= toDateTime(%(end_date)s)
)
WHERE deleted = 0
GROUP BY cloud_account_id, resource_id, namespace, cluster, currency
ORDER BY cloud_account_id, cluster, name, currency;
