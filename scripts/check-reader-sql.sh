#!/usr/bin/env bash
# Checks the SQL the worker and the REST API send on a current ClickHouse (26.7, via
# ../shared/tools/modern-sql-check): the migrations, the worker's statements (db/reader-queries.sql),
# the many-tenants read check, and every db/queries/*.sql with example parameters substituted by the
# REST API's own driver (python3-clickhouse-driver), so the text checked is the text it sends.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# clean_expenses_daily.sql reads the external tables the REST API sends; here they are plain tables.
cat > "$out/00-external-tables.sql" <<'SQL'
CREATE TABLE cloud_account_ids (_id String) ENGINE = Memory;
INSERT INTO cloud_account_ids VALUES ('t1'), ('t2');
CREATE TABLE resource_ids (_id String) ENGINE = Memory;
INSERT INTO resource_ids VALUES ('r');
SQL
/usr/bin/python3 - "$out" db/queries/*.sql <<'PY'
import os, sys
from clickhouse_driver import Client
client = Client('127.0.0.1', port=1)  # never connects: only the driver's escaping is used
params = {'cloud_account_ids': ('t1', 't2'), 'start_date': 1760313600, 'end_date': 1760486399, 'currency': 'USD'}
for path in sys.argv[2:]:
    text = open(path).read()
    body = '\n'.join(l for l in text.splitlines() if not l.lstrip().startswith('--'))
    used = {k: v for k, v in params.items() if '%(' + k + ')s' in body}
    with open(os.path.join(sys.argv[1], 'q-' + os.path.basename(path)), 'w') as f:
        f.write(client.substitute_params(body, used, client.connection.context) if used else body)
PY
../shared/tools/modern-sql-check db/migration/*.sql db/reader-queries.sql "$out/00-external-tables.sql" \
  db/checks/many-tenants.sql "$out"/q-*.sql
