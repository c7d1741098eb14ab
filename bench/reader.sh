#!/usr/bin/env bash
# The read-cost benchmark: the REST API's queries through its own driver (python3-clickhouse-driver)
# on a private ClickHouse 18.16 with 23.76 M hourly rows, beside the old view-based query (baseline)
# and a plain read of the same rows (floor), and the time to build k8s_expenses_daily. ~3 minutes.
set -euo pipefail
exec "$(dirname "$0")/run.sh" --main ReaderBenchmark "$@"
