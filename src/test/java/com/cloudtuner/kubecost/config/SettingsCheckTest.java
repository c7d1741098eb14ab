package com.cloudtuner.kubecost.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Which settings given as arguments or environment variables pass the check before start-up:
 * every name the binder binds, in each of its relaxed forms, and nothing else under the prefixes.
 */
class SettingsCheckTest {

    private static final SettingsCheck CHECK = new SettingsCheck(KnownSettings.scan());

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"--thanos.url=http://t:9090", "--thanos.bearerToken=abcd", "--thanos.ca-file=", "--worker.exporter.window=2h",
            "--worker.batch.max-series=10", "--worker.tenants[0]=acme", "--thanos.headers[1]=A: b", "--clickhouse.ca-file=x",
            "--pushgateway.timeout=PT10S", "--worker.current-hour", "--worker.settle-delay=0s", "--spring.main.banner-mode=off",
            "--worker.shard.index=1", "--worker.shard.count=3"})
    void knownArgumentsPass(String arg) {
        assertThat(CHECK.problem(List.of(arg), Map.of())).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"THANOS_URL", "THANOS_BEARER_TOKEN", "THANOS_HEADERS_0", "WORKER_EXPORTER_MIN_SCRAPE_INTERVAL",
            "WORKER_BATCH_HEAP_PER_SERIES_HOUR", "WORKER_TENANTS", "CLICKHOUSE_CA_FILE", "PUSHGATEWAY_JOB", "WORKER_SHARD_INDEX",
            "WORKER_SHARD_COUNT", "JOB_COMPLETION_INDEX",
            // not settings, and not the worker's to refuse: see SettingsCheck.NOT_SETTINGS
            "CLICKHOUSE_NATIVE_PORT", "CLICKHOUSE_PORT", "CLICKHOUSE_SERVICE_HOST", "CLICKHOUSE_SERVICE_PORT_HTTP",
            "THANOS_QUERY_PORT_9090_TCP_ADDR", "PUSHGATEWAY_PORT_9091_TCP", "OTHER_THING", "TENANTS"})
    void knownEnvironmentVariablesPass(String name) {
        assertThat(CHECK.problem(List.of(), Map.of(name, "x"))).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            --thanos.ulr=http://t:9090        | --thanos.ulr            | thanos.url
            --worker.reprocess-hour=2         | --worker.reprocess-hour | worker.reprocess-hours
            --worker.exporter.windw=1h        | --worker.exporter.windw | worker.exporter.window
            --clickhouse.passwd=secret        | --clickhouse.passwd     | clickhouse.password
            """)
    void anUnknownArgumentNamesTheClosestSetting(String arg, String given, String closest) {
        Optional<String> line = CHECK.problem(List.of(arg), Map.of());
        assertThat(line).hasValueSatisfying(l -> assertThat(l).contains(given).contains(closest).doesNotContain("secret"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            THANOS_ULR             | THANOS_URL
            WORKER_REPROCESS_HOUR  | WORKER_REPROCESS_HOURS
            CLICKHOUSE_PASWORD     | CLICKHOUSE_PASSWORD
            PUSHGATEWAY_URI        | PUSHGATEWAY_URL
            """)
    void anUnknownEnvironmentVariableNamesTheClosestSetting(String name, String closest) {
        assertThat(CHECK.problem(List.of(), Map.of(name, "v"))).hasValueSatisfying(l -> assertThat(l).contains(name).contains(closest + " ("));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            --worker.settle-delay=10           |                            | worker.settle-delay=10
            --thanos.retry-backoff=500         |                            | thanos.retry-backoff=500
            --worker.exporter.health-lookback=5 |                           | worker.exporter.health-lookback=5
            --pushgateway.timeout= 3           |                            | pushgateway.timeout=3
                                               | WORKER_SETTLE_DELAY=10     | WORKER_SETTLE_DELAY
                                               | CLICKHOUSE_SOCKET_TIMEOUT=0 | clickhouse.socket-timeout=0
            """)
    void aDurationWithoutAUnitIsRefused(String arg, String env, String named) {
        Map<String, String> environment = env == null ? Map.of() : Map.of(env.split("=")[0], env.split("=")[1]);
        assertThat(CHECK.problem(arg == null ? List.of() : List.of(arg), environment))
                .hasValueSatisfying(l -> assertThat(l).contains(named).contains("no unit"));
    }

    @Test
    void numbersThatAreNoDurationsKeepTheirMeaning() {
        assertThat(CHECK.problem(List.of("--worker.reprocess-hours=2", "--clickhouse.retries=0"), Map.of("WORKER_CHUNK_HOURS", "6")))
                .isEmpty();
    }

    @Test
    void severalProblemsMakeOneLineThatCountsTheRest() {
        assertThat(CHECK.problem(List.of("--thanos.ulr=x"), Map.of("WORKER_SETTLE_DELAY", "10", "THANOS_TIMOUT", "1s")))
                .hasValueSatisfying(l -> assertThat(l).doesNotContain("\n").contains("--thanos.ulr").contains("(and 2 more)"));
    }

    @Test
    void theKnownSettingsIncludeNestedAndTlsOnes() {
        assertThat(KnownSettings.scan().names()).contains("worker.exporter.window", "worker.batch.max-series", "thanos.ca-file",
                "thanos.client-key-file", "clickhouse.ca-file", "pushgateway.url");
    }
}
