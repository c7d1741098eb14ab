-- Proves on current ClickHouse that the reader queries' cloud_account_id filter reaches the table's
-- sort key (inside FINAL), so a query reads its accounts' granules only. Run after the migrations and
-- before the rendered queries, in one session: scripts/check-reader-sql.sh does.
-- 2,000,000 rows of 1,000 tenants over 2,000 hours; then a query that reads more than 5% of them fails.
INSERT INTO k8s_expenses (cloud_account_id, cluster, namespace, resource_id, hour, currency, cost, version, computed_at)
SELECT concat('t', toString(number % 1000)), 'prod', concat('ns', toString(intDiv(number, 1000) % 10)), 'r',
       toDateTime(1760313600 + 3600 * intDiv(number, 10000)), 'USD', 1, 1, toDateTime(1760313600)
FROM numbers(2000000);
SET max_rows_to_read = 100000;
