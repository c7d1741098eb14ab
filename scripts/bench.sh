#!/usr/bin/env bash
# Benchmarks (JMH): each measured piece next to a baseline run in the same invocation.
# Extra arguments are JMH options, e.g. ./scripts/bench.sh -i 10 -wi 5
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -Dstyle.color=never test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
exec java -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
  com.cloudtuner.kubecost.bench.Benchmarks "$@"
