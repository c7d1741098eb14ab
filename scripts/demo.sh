#!/usr/bin/env bash
# See kubecost-worker work end to end on this machine: starts a private ClickHouse and Prometheus
# in a temporary directory, loads 24 hours of simulated exporter series for two tenants, backfills
# that day, runs the hourly job as of the end of the day, and prints what landed in
# k8s_expenses_current. Stops what it started and removes the directory when it ends; the worker's
# log is kept in its own file, named in the output.
set -euo pipefail
cd "$(dirname "$0")/.."

DAY=2025-10-13
NEXT_DAY=2025-10-14
TENANTS=acme,globex

./scripts/install-servers.sh

work=$(mktemp -d /tmp/kubecost-demo.XXXXXX)
worker_log=$(mktemp /tmp/kubecost-demo-worker.XXXXXX.log) # outside $work: kept after the demo
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

echo "== building target/kubecost-worker.jar"
mvn -B -q package -DskipTests >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }

free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 40000))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
}

await() { # url what
  for _ in $(seq 1 300); do
    curl -sf -o /dev/null "$1" && return 0
    sleep 0.1
  done
  echo "demo: $2 did not start; its log is in $work" >&2
  trap - EXIT
  exit 1
}

ch_port=$(free_port)
prom_port=$(free_port)
clickhouse_server=$(command -v clickhouse-server || echo /usr/sbin/clickhouse-server)
"$clickhouse_server" --config-file=/etc/clickhouse-server/config.xml -- \
  --http_port="$ch_port" --tcp_port="$(free_port)" --interserver_http_port="$(free_port)" \
  --path="$work/clickhouse/" --tmp_path="$work/clickhouse/tmp/" \
  --user_files_path="$work/clickhouse/user_files/" --format_schema_path="$work/clickhouse/format_schemas/" \
  --logger.log="$work/clickhouse.log" --logger.errorlog="$work/clickhouse.err.log" >"$work/clickhouse.out" 2>&1 &
pids+=($!)

echo "== generating 24 h of exporter series for $TENANTS on $DAY"
java -jar target/kubecost-worker.jar simulate --out="$work/exporter.om" --from="$DAY" --hours=24 --tenants="$TENANTS" 2>>"$worker_log"
promtool tsdb create-blocks-from openmetrics -q "$work/exporter.om" "$work/prometheus" >"$work/promtool.log"
printf 'global:\n  scrape_interval: 1h\n' >"$work/prometheus.yml"
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/prometheus" \
  --storage.tsdb.retention.time=100y --web.listen-address="127.0.0.1:$prom_port" >"$work/prometheus.log" 2>&1 &
pids+=($!)

await "http://127.0.0.1:$ch_port/ping" ClickHouse
await "http://127.0.0.1:$prom_port/-/ready" Prometheus
echo "   ClickHouse on :$ch_port, Prometheus (the Thanos query API) on :$prom_port, files in $work"

export THANOS_URL="http://127.0.0.1:$prom_port"
export CLICKHOUSE_URL="http://127.0.0.1:$ch_port"
export CLICKHOUSE_DATABASE=kubecost_demo

query() {
  curl -sS "$CLICKHOUSE_URL/?database=$CLICKHOUSE_DATABASE&output_format_pretty_color=0" --data-binary "$1"
}

echo
echo "== backfill the day (the worker's log, kept: $worker_log)"
echo "\$ java -jar target/kubecost-worker.jar backfill --from=$DAY --to=$NEXT_DAY"
java -jar target/kubecost-worker.jar backfill --from="$DAY" --to="$NEXT_DAY" 2>>"$worker_log"

echo
echo "== the hourly job as of 00:10 the next day: re-processes the last 3 hours, changes nothing"
echo "\$ java -jar target/kubecost-worker.jar hourly --now=${NEXT_DAY}T00:10:00Z"
java -jar target/kubecost-worker.jar hourly --now="${NEXT_DAY}T00:10:00Z" 2>>"$worker_log"
rows=$(query "SELECT count() FROM k8s_expenses_current")
stored=$(query "SELECT count() FROM k8s_expenses")
echo "   rows visible: $rows, rows stored: $stored (nothing doubled)"

echo
echo "== cost per tenant and namespace on $DAY, from k8s_expenses_current"
query "SELECT cloud_account_id AS tenant, cluster, namespace, count() AS hours,
              round(sum(cost), 4) + 0 AS cost, round(sum(cpu_cost), 4) + 0 AS cpu, round(sum(ram_cost), 4) + 0 AS ram,
              round(sum(pv_cost), 4) + 0 AS pv, round(sum(network_cost) + sum(lb_cost), 4) + 0 AS net_lb,
              round(avg(coverage), 3) AS coverage
       FROM k8s_expenses_current
       GROUP BY cloud_account_id, cluster, namespace
       ORDER BY tenant, cluster, namespace = '__unallocated__', namespace
       FORMAT PrettyCompactMonoBlock"

echo
echo "== clean_expenses-style daily totals: per resource and day (acme/prod), then per tenant and day"
query "SELECT cloud_account_id, resource_id, any(namespace) AS namespace, toDate(hour) AS date, round(sum(cost), 4) AS cost
       FROM k8s_expenses_current WHERE cloud_account_id = 'acme' AND cluster = 'prod'
       GROUP BY cloud_account_id, resource_id, date ORDER BY cost DESC
       FORMAT PrettyCompactMonoBlock"
query "SELECT cloud_account_id AS tenant, toDate(hour) AS date, any(currency) AS currency, round(sum(cost), 4) AS cost
       FROM k8s_expenses_current GROUP BY tenant, date ORDER BY tenant
       FORMAT PrettyCompactMonoBlock"
echo
echo "== done; stopping ClickHouse and Prometheus"
