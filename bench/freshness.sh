#!/usr/bin/env bash
# The freshness benchmark: a tiny exporter at constant rates, a real Prometheus scraping it every
# 15 s, a real ClickHouse, and the worker's jar run with --current-hour every 20 s (bench/freshness.sh 30
# for another interval). Measures how long a new namespace and a new tenant take from the exporter to
# k8s_expenses_current, and checks their accrued cost against the rate. Takes a few minutes.
set -euo pipefail
exec "$(dirname "$0")/run.sh" --main FreshnessBenchmark "$@"
