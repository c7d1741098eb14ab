#!/usr/bin/env bash
# The freshness benchmark: a tiny exporter at constant rates, a real Prometheus scraping it every
# 15 s, a real ClickHouse, and the worker's jar run with --current-hour every 20 s (bench/freshness.sh 30
# for another interval). Measures how long a new namespace and a new tenant take from the exporter to
# k8s_expenses_current, and checks their accrued cost against the rate. Takes a few minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-servers.sh
mvn -B -q -Dstyle.color=never package -DskipTests
mvn -B -q -Dstyle.color=never test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
exec java -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
  com.cloudtuner.kubecost.bench.FreshnessBenchmark "$@"
