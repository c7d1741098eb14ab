#!/usr/bin/env bash
# The start-up benchmark: an hourly run's time from its JVM's start to its first request to Thanos,
# for the fat jar, the image's extracted layers, and the extracted application with a
# class-data-sharing archive (with and without the migration check), 5 runs each, alternating,
# against a real ClickHouse. Prints one table (median and minimum, and each against the image's way).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-servers.sh
mvn -B -q -Dstyle.color=never package -DskipTests
mvn -B -q -Dstyle.color=never test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
exec java -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
  com.cloudtuner.kubecost.bench.StartupBenchmark "$@"
