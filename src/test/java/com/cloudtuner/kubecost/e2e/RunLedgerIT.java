package com.cloudtuner.kubecost.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.cloudtuner.kubecost.simulate.DemoScenario;
import com.cloudtuner.kubecost.testing.Exporter;
import com.cloudtuner.kubecost.testing.FaultProxy;
import com.cloudtuner.kubecost.testing.PrometheusServer;
import com.cloudtuner.kubecost.testing.RealServers;
import com.cloudtuner.kubecost.testing.TestDatabase;
import com.cloudtuner.kubecost.testing.Worker;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/** k8s_worker_runs: every run is recorded when it starts and when it ends, so one that never ended shows. */
@ExtendWith(RealServers.class)
class RunLedgerIT {

    private static final Instant D0 = Instant.parse("2025-10-13T00:00:00Z");
    private static PrometheusServer prometheus;

    @BeforeAll
    static void load(PrometheusServer prom) {
        prom.load(DemoScenario.generate(Exporter.PREFIX, List.of("acme", "globex"), D0, 4, 5));
        prometheus = prom;
    }

    private TestDatabase db;

    @BeforeEach
    void emptyDatabase(TestDatabase database) {
        db = database;
        db.recreate();
        assertThat(Worker.run(Worker.serverArgs(db, prometheus.url()), "migrate").exitCode()).isZero();
    }

    @Test
    void aRunIsRecordedWhenItStartsAndWhenItEnds() {
        Worker.Result r = Worker.run(Worker.serverArgs(db, prometheus.url()), "backfill", "--from=2025-10-13", "--to=2025-10-13T04:00:00Z");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        List<JsonNode> rows = runs(r.runId());
        assertThat(rows).extracting(row -> row.get("status").asString()).containsExactly("running", "succeeded");
        JsonNode end = rows.get(1);
        assertThat(end.get("tenants").asLong()).isEqualTo(2);
        assertThat(end.get("failed_tenants").asLong()).isZero();
        assertThat(end.get("window_start").asString()).isEqualTo("2025-10-13 00:00:00");
        assertThat(end.get("window_end").asString()).isEqualTo("2025-10-13 04:00:00");
        assertThat(end.get("error").asString()).isEmpty();
    }

    @Test
    void aRunThatFailsWhileDiscoveringTenantsIsRecordedWithTheReason() throws IOException {
        int closed = Worker.closedPort();
        List<String> args = Worker.withOption(Worker.serverArgs(db, prometheus.url()), "thanos.url", "http://127.0.0.1:" + closed);
        Worker.Result r = Worker.run(args, "hourly", "--now=2025-10-13T04:10:00Z", "--thanos.retries=0");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        List<JsonNode> rows = db.query("SELECT status, error, tenants FROM k8s_worker_runs ORDER BY status = 'running' DESC");
        assertThat(rows).extracting(row -> row.get("status").asString()).containsExactly("running", "failed");
        assertThat(rows.get(1).get("error").asString()).contains("label values of tenant_id").containsIgnoringCase("connect");
        assertThat(db.query("SELECT count() AS n FROM k8s_expenses_runs").get(0).get("n").asLong()).isZero();
    }

    @Test
    void aKilledRunLeavesItsRunningRowAndNoEnd() throws Exception {
        try (FaultProxy slow = new FaultProxy(prometheus.url())) {
            slow.delayEachRequest(Duration.ofSeconds(30));
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-jar", "target/kubecost-worker.jar", "backfill", "--from=2025-10-13", "--to=2025-10-13T04:00:00Z"));
            command.addAll(Worker.withOption(Worker.serverArgs(db, prometheus.url()), "thanos.url", slow.url()));
            Process worker = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            try {
                // the run is under way once its row is there; it then waits on the slow upstream
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (db.query("SELECT count() AS n FROM k8s_worker_runs").get(0).get("n").asLong() == 0) {
                    assertThat(System.nanoTime()).as("the run recorded its start within a minute").isLessThan(deadline);
                    assertThat(worker.isAlive()).as("the worker is still running").isTrue();
                    worker.waitFor(100, TimeUnit.MILLISECONDS);
                }
            } finally {
                worker.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
        List<JsonNode> rows = db.query("SELECT status FROM k8s_worker_runs");
        assertThat(rows).extracting(row -> row.get("status").asString()).containsExactly("running");
        // what the runbook's query for runs that never ended finds
        assertThat(db.query("SELECT run_id FROM k8s_worker_runs GROUP BY run_id HAVING countIf(status != 'running') = 0"))
                .hasSize(1);
    }

    private List<JsonNode> runs(String runId) {
        return db.query("SELECT * FROM k8s_worker_runs WHERE run_id = '" + runId + "' ORDER BY status = 'running' DESC");
    }
}
