-- Proves on current ClickHouse that the reader queries' cloud_account_id filter reaches the table's
-- sort key through the view k8s_expenses_current (ClickHouse 18.16, which the tests run, merges the
-- whole table behind a view; production runs 21.10 or newer). Run after the migrations and before
-- the queries, in one session:
--   ../shared/tools/modern-sql-check --set cloud_account_ids="'t1','t2'" --set start_date=2025-10-13 \
--     --set end_date=2025-10-15 db/migration/*.sql db/checks/many-tenants.sql db/queries/*.sql
-- 2,000,000 rows of 1,000 tenants over 2,000 hours; then a query that reads more than 5% of them fails.
INSERT INTO k8s_expenses (cloud_account_id, cluster, namespace, resource_id, hour, currency, cost, version, computed_at)
SELECT concat('t', toString(number % 1000)), 'prod', concat('ns', toString(intDiv(number, 1000) % 10)), 'r',
       toDateTime(1760313600 + 3600 * intDiv(number, 10000)), 'USD', 1, 1, toDateTime(1760313600)
FROM numbers(2000000);
SET max_rows_to_read = 100000;
