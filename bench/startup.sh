#!/usr/bin/env bash
# The start-up benchmark: an hourly run's time from its JVM's start to its first request to Thanos,
# for the fat jar, the image's extracted layers, and the extracted application with a
# class-data-sharing archive (with and without the migration check), 5 runs each, alternating,
# against a real ClickHouse. Prints one table (median and minimum, and each against the image's way).
set -euo pipefail
exec "$(dirname "$0")/run.sh" --main StartupBenchmark "$@"
