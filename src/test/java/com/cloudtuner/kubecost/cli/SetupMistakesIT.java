package com.cloudtuner.kubecost.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.cloudtuner.kubecost.testing.PrometheusServer;
import com.cloudtuner.kubecost.testing.RealServers;
import com.cloudtuner.kubecost.testing.TestDatabase;
import com.cloudtuner.kubecost.testing.Worker;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The set-up mistakes a real server answers for, through the jar's main against real servers:
 * ClickHouse's native port where its HTTP port belongs, a password ClickHouse refuses, and a
 * thanos.url ending in /api/v1. Each fails (exit 1, a server failed) with one line on stderr that
 * names the setting to correct; {@code check} reports each as its own finding.
 */
@ExtendWith(RealServers.class)
class SetupMistakesIT {

    private static final String WRONG_PASSWORD = "Wr0ng-Passw0rd-For-Test";

    @BeforeAll
    static void startPrometheus(PrometheusServer prometheus) {
        // the harness's Prometheus starts with its first data; one sample of no interest to the worker will do
        prometheus.load("# TYPE kw_setup_probe gauge\nkw_setup_probe 1 " + (Instant.now().getEpochSecond() - 3600) + "\n# EOF\n");
    }

    @Test
    void clickHousesNativePortIsNamedWithTheHttpPort(TestDatabase db, PrometheusServer prometheus) {
        String nativeUrl = "http://" + URI.create(db.server().url()).getHost() + ":" + db.server().nativePort();
        List<String> args = Worker.withOption(Worker.serverArgs(db, prometheus.url()), "clickhouse.url", nativeUrl);

        Worker.Result run = Worker.run(args, "hourly");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.FAILED);
        assertThat(run.err().lines().toList()).as(run.toString()).singleElement()
                .satisfies(line -> assertThat(line).contains("clickhouse.url").contains("8123").contains("9000"));

        Worker.Result check = Worker.run(args, "check", "--json");
        assertThat(check.out()).as(check.toString()).contains("\"clickhouse_native_port\"");
    }

    @Test
    void aRefusedPasswordNamesTheCredentialSettingsAndNotThePassword(TestDatabase db, PrometheusServer prometheus) {
        List<String> args = Worker.withOption(Worker.serverArgs(db, prometheus.url()), "clickhouse.password", WRONG_PASSWORD);

        Worker.Result run = Worker.run(args, "hourly");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.FAILED);
        assertThat(run.err().lines().toList()).as(run.toString()).singleElement()
                .satisfies(line -> assertThat(line).contains("CLICKHOUSE_USER").contains("CLICKHOUSE_PASSWORD"));
        assertThat(run.out() + run.err()).doesNotContain(WRONG_PASSWORD);
    }

    @Test
    void aThanosUrlEndingInTheApiPathIsNamed(TestDatabase db, PrometheusServer prometheus) {
        List<String> args = Worker.withOption(Worker.serverArgs(db, prometheus.url()), "thanos.url", prometheus.url() + "/api/v1");

        Worker.Result run = Worker.run(args, "hourly");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.FAILED);
        assertThat(run.err().lines().toList()).as(run.toString()).singleElement()
                .satisfies(line -> assertThat(line).contains("HTTP 404").contains("thanos.url").contains("/api/v1"));

        Worker.Result check = Worker.run(args, "check", "--json");
        assertThat(check.out()).as(check.toString()).contains("\"thanos_not_found\"");
    }
}
