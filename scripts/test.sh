#!/usr/bin/env bash
# The test suite: unit tests and tests against real ClickHouse and Prometheus servers, which the
# tests start themselves (installed here when missing). Extra arguments go to Maven, e.g.
#   ./scripts/test.sh -Dtest=ExpensesWriterTest
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-servers.sh
exec mvn -B verify "$@"
