package com.cloudtuner.kubecost.e2e;

import static com.cloudtuner.kubecost.testing.Exporter.HOUR;
import static org.assertj.core.api.Assertions.assertThat;

import com.cloudtuner.kubecost.cost.ExporterMetric;
import com.cloudtuner.kubecost.testing.Exporter;
import com.cloudtuner.kubecost.testing.JarProcess;
import com.cloudtuner.kubecost.testing.RealServers;
import com.cloudtuner.kubecost.testing.TestDatabase;
import com.cloudtuner.kubecost.testing.VictoriaMetricsServer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * Memory you can plan for: a day of 200 tenants (2 clusters x 4 namespaces each, every series
 * scraped every 15 minutes) backfilled by the jar with a 64 MB heap. With the default settings the
 * batches follow the heap and the run succeeds; with the planning switched off
 * ({@code worker.batch.heap-per-series-hour=1B}) the heap runs out, and every tenant is still
 * recorded as failed in the ledger, with the settings that make units smaller. And a day of 120
 * tenants with a standing credit, every cluster-hour of which is read raw, fits too: the raw reads
 * are cut by the samples the hourly counts announce.
 */
@ExtendWith(RealServers.class)
class MemoryIT {

    private static final Instant D0 = Instant.parse("2025-10-23T00:00:00Z");
    private static final int TENANTS = 200;
    private static final List<String> SMALL_HEAP = List.of("-Xmx64m");
    private static final int CREDIT_TENANTS = 120;

    /** A day of 120 tenants, 4 namespaces each, scraped every minute, one namespace with a standing credit. */
    private static Exporter credits() {
        Exporter e = new Exporter();
        long from = D0.toEpochMilli() + 24 * HOUR + 13_000;
        long to = from + 24 * HOUR - 13_000;
        for (int t = 0; t < CREDIT_TENANTS; t++) {
            String tenant = String.format("credit-%02d", t);
            for (ExporterMetric m : ExporterMetric.values()) {
                if (m.scope() == ExporterMetric.Scope.NAMESPACE) {
                    for (int n = 0; n < 4; n++) {
                        double rate = n == 0 && m == ExporterMetric.NAMESPACE_TOTAL_COST ? -0.25 : 0.1 + n;
                        e.gauge(m, Exporter.labels(tenant, "prod", "ns" + n), from, to, 60_000L, Exporter.always(),
                                x -> m.quantity().isCost() ? rate : 0.5);
                    }
                } else if (m.scope() == ExporterMetric.Scope.CLUSTER) {
                    e.gauge(m, Exporter.labels(tenant, "prod", null), from, to, 60_000L, Exporter.always(),
                            x -> m.quantity().isCost() ? 9.0 : 0.5);
                } else {
                    e.gauge(m, Map.of("tenant_id", tenant, "cluster", "prod"), from, to, 60_000L, Exporter.always(), x -> 1);
                }
            }
        }
        return e;
    }

    private static VictoriaMetricsServer victoria;

    @BeforeAll
    static void load(VictoriaMetricsServer vm) {
        Exporter e = new Exporter();
        long from = D0.toEpochMilli() + 11_000;
        long to = D0.toEpochMilli() + 24 * HOUR;
        long step = 15 * 60_000L;
        for (int t = 0; t < TENANTS; t++) {
            String tenant = String.format("mem-%03d", t);
            for (String cluster : List.of("prod", "staging")) {
                for (ExporterMetric m : ExporterMetric.values()) {
                    if (m.scope() == ExporterMetric.Scope.NAMESPACE) {
                        for (int n = 0; n < 4; n++) {
                            double rate = 0.1 + n + t / 1000.0;
                            e.gauge(m, Exporter.labels(tenant, cluster, "ns" + n), from, to, step, Exporter.always(),
                                    x -> m.quantity().isCost() ? rate : 0.5);
                        }
                    } else if (m.scope() == ExporterMetric.Scope.CLUSTER) {
                        e.gauge(m, Exporter.labels(tenant, cluster, null), from, to, step, Exporter.always(),
                                x -> m.quantity().isCost() ? 9.0 : 0.5);
                    } else {
                        e.gauge(m, Map.of("tenant_id", tenant, "cluster", cluster), from, to, step, Exporter.always(), x -> 1);
                    }
                }
            }
        }
        vm.load(e.dataset());
        vm.load(credits().dataset());
        victoria = vm;
    }

    @Test
    void aDayOf200TenantsFitsA64MegabyteHeapWithTheDefaultSettings(TestDatabase db) {
        db.recreate();
        JarProcess.Result r = backfill(db);

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(statuses(db)).hasSize(TENANTS).containsOnly("succeeded");
        // per tenant 2 clusters x (4 namespaces + __unallocated__) x 24 hours
        assertThat(db.query("SELECT count() AS n FROM k8s_expenses_current").get(0).get("n").asLong()).isEqualTo(TENANTS * 2 * 5 * 24L);
    }

    @Test
    void aUnitThatRunsOutOfHeapRecordsItsTenantsAsFailedNamingTheSettings(TestDatabase db) {
        db.recreate();
        JarProcess.Result r = backfill(db, "--worker.batch.heap-per-series-hour=1B");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        List<JsonNode> ledger = db.query("SELECT status, error FROM k8s_expenses_runs");
        assertThat(ledger).hasSize(TENANTS).allSatisfy(row -> {
            assertThat(row.get("status").asString()).isEqualTo("failed");
            assertThat(row.get("error").asString()).contains("out of memory", "worker.batch.max-series", "worker.chunk-hours");
        });
    }

    @Test
    void standingCreditsReadRawStayWithinA64MegabyteHeap(TestDatabase db) {
        // every hour of every credit tenant has negative cost samples: all of them are read raw (the ledger
        // counts them one by one), 60 s scrapes, 1,440 samples of each of 38 series a tenant
        db.recreate();
        List<String> args = new ArrayList<>(List.of("backfill", "--from=2025-10-24", "--to=2025-10-25",
                "--thanos.url=" + victoria.url(), "--worker.tenants="));
        args.addAll(db.workerArgs());
        JarProcess.Result r = JarProcess.runWithJvm(SMALL_HEAP, Map.of(), args.toArray(String[]::new));

        assertThat(r.exitCode()).as(r.toString()).isZero();
        List<JsonNode> ledger = db.query("SELECT sum(negative_cost_samples) AS n, count() AS tenants FROM k8s_expenses_runs");
        assertThat(ledger.get(0).get("tenants").asLong()).isEqualTo(CREDIT_TENANTS);
        // per tenant its namespace total cost: 1,440 negative samples a day
        assertThat(ledger.get(0).get("n").asLong()).isEqualTo(CREDIT_TENANTS * 1440L);
    }

    private static JarProcess.Result backfill(TestDatabase db, String... more) {
        List<String> args = new ArrayList<>(List.of("backfill", "--from=2025-10-23", "--to=2025-10-24",
                "--thanos.url=" + victoria.url(), "--worker.tenants="));
        args.addAll(db.workerArgs());
        args.addAll(List.of(more));
        return JarProcess.runWithJvm(SMALL_HEAP, Map.of(), args.toArray(String[]::new));
    }

    private static List<String> statuses(TestDatabase db) {
        return db.query("SELECT status FROM k8s_expenses_runs").stream().map(r -> r.get("status").asString()).toList();
    }
}
