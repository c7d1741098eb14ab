#!/usr/bin/env bash
# Installs the servers the tests and the demo run locally: ClickHouse 18.16, ZooKeeper 3.8, Prometheus 2.42, VictoriaMetrics 1.79, the Pushgateway
# and python3-clickhouse-driver (the REST API's driver)
# from Debian's packages (and curl, which the demo talks to them with). Does nothing when they are already installed. Needs root (or sudo).
set -euo pipefail

missing=()
command -v clickhouse-server >/dev/null 2>&1 || [ -x /usr/sbin/clickhouse-server ] || missing+=(clickhouse-server clickhouse-client)
command -v prometheus >/dev/null 2>&1 || missing+=(prometheus)
command -v promtool >/dev/null 2>&1 || missing+=(prometheus)
command -v victoria-metrics >/dev/null 2>&1 || missing+=(victoria-metrics)
command -v prometheus-pushgateway >/dev/null 2>&1 || missing+=(prometheus-pushgateway)
command -v curl >/dev/null 2>&1 || missing+=(curl)
# ZooKeeper 3.8, for the ClickHouse cluster tests (replicated and Distributed tables).
[ -x /usr/share/zookeeper/bin/zkServer.sh ] || missing+=(zookeeper)
# The REST API's ClickHouse driver, for the reader-query tests and bench/reader.sh (Debian's python3).
/usr/bin/python3 -c 'import clickhouse_driver' >/dev/null 2>&1 || missing+=(python3-clickhouse-driver)
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "install-servers: need root or sudo to apt-get install ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
echo "install-servers: installing ${missing[*]} with apt" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q >/dev/null
# The packages' services are not used: tests and the demo start private instances.
$sudo apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
