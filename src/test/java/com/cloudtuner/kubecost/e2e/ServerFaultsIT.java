package com.cloudtuner.kubecost.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.cloudtuner.kubecost.simulate.DemoScenario;
import com.cloudtuner.kubecost.testing.Exporter;
import com.cloudtuner.kubecost.testing.FaultProxy;
import com.cloudtuner.kubecost.testing.JarProcess;
import com.cloudtuner.kubecost.testing.PrometheusServer;
import com.cloudtuner.kubecost.testing.RealServers;
import com.cloudtuner.kubecost.testing.TestDatabase;
import com.cloudtuner.kubecost.testing.Worker;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The jar as an operator runs it, when a server is not there, and on a small heap. */
@ExtendWith(RealServers.class)
class ServerFaultsIT {

    private static final Instant D0 = Instant.parse("2025-10-13T00:00:00Z");
    private static PrometheusServer prometheus;

    @BeforeAll
    static void load(PrometheusServer prom) {
        prom.load(DemoScenario.generate(Exporter.PREFIX, List.of("acme", "globex", "initech"), D0, 24, 11));
        prometheus = prom;
    }

    @Test
    void clickHouseUnreachableAtStartExitsWithOneAndOneLine(TestDatabase db) throws IOException {
        Map<String, String> env = env(db);
        env.put("CLICKHOUSE_URL", "http://127.0.0.1:" + Worker.closedPort());
        JarProcess.Result r = JarProcess.run(env, "hourly", "--now=2025-10-13T12:10:00Z");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.err().lines().filter(l -> l.startsWith("kubecost-worker: "))).singleElement()
                .satisfies(l -> assertThat(l).contains("cannot bring the ClickHouse schema up to date"));
    }

    @Test
    void aDaysBackfillOfThreeTenantsCompletesOnA64MegabyteHeap(TestDatabase db) {
        db.recreate();
        JarProcess.Result r = JarProcess.runWithJvm(List.of("-Xmx64m"), env(db), "backfill", "--from=2025-10-13", "--to=2025-10-14");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("3 tenants succeeded, 0 failed");
        // 3 tenants x 24 hours x (5 + 3 namespaces + 2 __unallocated__)
        assertThat(db.query("SELECT count() AS n FROM k8s_expenses_current").get(0).get("n").asLong()).isEqualTo(3 * 24 * 10);
    }

    @Test
    void aSlowThanosFailsTheReadOnceOnOneLine(TestDatabase db) {
        db.recreate();
        try (FaultProxy slow = new FaultProxy(prometheus.url())) {
            slow.delayEachRequest(java.time.Duration.ofMillis(400));
            Map<String, String> env = env(db);
            env.put("THANOS_URL", slow.url());
            env.put("THANOS_TIMEOUT", "200ms");
            env.put("THANOS_RETRIES", "1");
            JarProcess.Result r = JarProcess.run(env, "backfill", "--from=2025-10-13T00:00:00Z", "--to=2025-10-13T03:00:00Z",
                    "--tenant=acme", "--tenant=globex", "--tenant=initech");

            assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
            // every line of stderr is one event: a log line with its time, or one of the command's own lines
            assertThat(r.err().lines()).as(r.err()).isNotEmpty()
                    .allMatch(l -> l.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z (INFO|WARN|ERROR) .*")
                            || l.startsWith("kubecost-worker: "));
            // the unit's failed read, logged once (a network fault ends it: no halving)
            assertThat(r.err().lines().filter(l -> l.contains("read failed"))).singleElement()
                    .satisfies(l -> assertThat(l).contains("batch=1", "tenants=3"));
        }
    }

    private static Map<String, String> env(TestDatabase db) {
        return Worker.environment(Worker.serverArgs(db, prometheus.url()));
    }
}
