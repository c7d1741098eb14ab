#!/usr/bin/env bash
# The scale benchmark: the worker's jar (-Xmx256m) against a real Prometheus and ClickHouse on
# generated data, next to the floor measured in the same invocation. Prints one table; writes it
# as markdown to target/bench-results.md (bench/RESULTS.md keeps the last one with machine facts).
#   bench/run.sh          scenarios a, b, c, d and e (e: the hourly run of a on one node and on a 2-shard ClickHouse cluster)
#   bench/run.sh a c      only these
# Generated TSDB blocks are cached in $KUBECOST_BENCH_CACHE (default ~/.cache/kubecost-worker-bench):
# the first run generates and converts them (a few minutes), later runs reuse them.
#   bench/run.sh --main StartupBenchmark ...   another benchmark of the bench package (startup.sh, freshness.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
main=ScaleBenchmark
if [ "${1:-}" = "--main" ]; then main=$2; shift 2; fi
./scripts/install-servers.sh
mvn -B -q -Dstyle.color=never package -DskipTests
mvn -B -q -Dstyle.color=never test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
exec java -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
  "com.cloudtuner.kubecost.bench.$main" "$@"
