package com.cloudtuner.kubecost.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.cloudtuner.kubecost.cost.ClusterHour;
import com.cloudtuner.kubecost.cost.CostResult;
import com.cloudtuner.kubecost.cost.CostRow;
import com.cloudtuner.kubecost.cost.Costs;
import com.cloudtuner.kubecost.cost.Efficiencies;
import com.cloudtuner.kubecost.cost.ResourceIds;
import com.cloudtuner.kubecost.cost.Window;
import com.cloudtuner.kubecost.testing.RealServers;
import com.cloudtuner.kubecost.testing.TestDatabase;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(RealServers.class)
class ExpensesStoreIT {

    private static final Instant H0 = Instant.parse("2025-10-13T10:00:00Z");
    private static final Instant H1 = H0.plusSeconds(3600);
    private static final Instant H2 = H0.plusSeconds(7200);
    private static final String TENANT = "acme-o'brien\\prod";

    private TestDatabase db;
    private ClickHouseGateway ch;
    private Writer writer;

    @BeforeEach
    void emptySchema(TestDatabase db) {
        this.db = db;
        db.recreate();
        ch = db.newGateway();
        new Migrator(ch, MigrationSource.classpath(), Duration.ofMinutes(1), Clock.systemUTC()).migrate();
        writer = new Writer(new ClickHouseExpenseStore(ch, Clock.systemUTC(), 100_000));
    }

    @AfterEach
    void close() {
        ch.close();
    }

    @Test
    void writesABatchAndWritingItAgainChangesNothing() {
        CostResult batch = batch(TENANT, "c1", List.of(H0, H1), List.of("a", "b"), 1.0);
        WriteResult first = writer.write(TENANT, H0, H2, batch, false);
        assertThat(first).isEqualTo(new WriteResult(6, 6, 0));
        List<String> view = view();
        assertThat(view).hasSize(6);
        assertThat(costs(TENANT)).containsExactly(
                "c1 __unallocated__ " + H0 + " 7.0", "c1 __unallocated__ " + H1 + " 7.0",
                "c1 a " + H0 + " 1.0", "c1 a " + H1 + " 1.0", "c1 b " + H0 + " 2.0", "c1 b " + H1 + " 2.0");

        for (int i = 0; i < 3; i++) {
            assertThat(writer.write(TENANT, H0, H2, batch, false)).isEqualTo(new WriteResult(6, 0, 0));
        }
        assertThat(view()).isEqualTo(view); // every column, version and computed_at included
        assertThat(physicalRows()).isEqualTo(6);
    }

    @Test
    void aNamespaceMissingFromARewriteIsTombstoned() {
        writer.write(TENANT, H0, H2, batch(TENANT, "c1", List.of(H0, H1), List.of("a", "b"), 1.0), false);

        WriteResult rewrite = writer.write(TENANT, H0, H2, batch(TENANT, "c1", List.of(H0, H1), List.of("a"), 1.0), false);

        assertThat(rewrite.tombstoned()).isEqualTo(2);
        assertThat(costs(TENANT)).noneMatch(r -> r.startsWith("c1 b "));
        assertThat(ch.select("SELECT count() AS n FROM k8s_expenses FINAL WHERE namespace = 'b' AND deleted = 1").get(0).get("n").asLong())
                .isEqualTo(2);
        // the cluster total did not change, so the remainder grew by b's cost
        assertThat(costs(TENANT)).contains("c1 __unallocated__ " + H0 + " 9.0");
    }

    @Test
    void aClusterHourWithoutDataKeepsItsRows() {
        writer.write(TENANT, H0, H2, batch(TENANT, "c1", List.of(H0, H1), List.of("a", "b"), 1.0), false);
        writer.write(TENANT, H0, H2, batch(TENANT, "c2", List.of(H1), List.of("x"), 1.0), false);
        List<String> before = view();

        // the metrics store now only has hour H0 of c1: H1 of c1, and all of c2, are not covered
        WriteResult partial = writer.write(TENANT, H0, H2, batch(TENANT, "c1", List.of(H0), List.of("a"), 1.0), false);
        assertThat(partial.tombstoned()).isEqualTo(1); // only c1 b at H0
        assertThat(costs(TENANT)).contains("c1 b " + H1 + " 2.0", "c1 a " + H1 + " 1.0", "c2 x " + H1 + " 1.0")
                .doesNotContain("c1 b " + H0 + " 2.0");

        // nothing at all for the window: every row stays
        List<String> afterPartial = view();
        assertThat(writer.write(TENANT, H0, H2, new CostResult(List.of(), List.of()), false)).isEqualTo(WriteResult.NOTHING);
        assertThat(view()).isEqualTo(afterPartial).isNotEqualTo(before);
    }

    @Test
    void eraseMissingClearsTheWindowOnly() {
        writer.write(TENANT, H0, H2, batch(TENANT, "c1", List.of(H0, H1), List.of("a"), 1.0), false);
        Instant outside = H2;
        writer.write(TENANT, H2, H2.plusSeconds(3600), batch(TENANT, "c1", List.of(outside), List.of("a"), 1.0), false);

        WriteResult erased = writer.write(TENANT, H0, H2, new CostResult(List.of(), List.of()), true);

        assertThat(erased).isEqualTo(new WriteResult(0, 0, 4));
        assertThat(costs(TENANT)).containsExactly("c1 __unallocated__ " + outside + " 9.0", "c1 a " + outside + " 1.0"); // 10 - 1
        assertThat(ch.select("SELECT count() AS n FROM k8s_cluster_expenses_current").get(0).get("n").asLong()).isEqualTo(1);
    }

    @Test
    void aChangedValueReplacesTheStoredRowWithALargerVersion() {
        writer.write(TENANT, H0, H1, batch(TENANT, "c1", List.of(H0), List.of("a"), 1.0), false);
        long before = ch.select("SELECT max(version) AS v FROM k8s_expenses").get(0).get("v").asLong();

        WriteResult w = writer.write(TENANT, H0, H1, batch(TENANT, "c1", List.of(H0), List.of("a"), 1.5), false);

        assertThat(w).isEqualTo(new WriteResult(2, 2, 0)); // a and the remainder changed
        assertThat(costs(TENANT)).containsExactly("c1 __unallocated__ " + H0 + " 8.5", "c1 a " + H0 + " 1.5"); // 10 - 1.5
        assertThat(ch.select("SELECT min(version) AS v FROM k8s_expenses_current").get(0).get("v").asLong()).isGreaterThan(before);
    }

    @Test
    void otherTenantsAreUntouched() {
        writer.write("other", H0, H1, batch("other", "c1", List.of(H0), List.of("a", "b"), 1.0), false);
        List<String> others = costs("other");
        writer.write(TENANT, H0, H1, batch(TENANT, "c1", List.of(H0), List.of("z"), 1.0), false);
        writer.write(TENANT, H0, H1, new CostResult(List.of(), List.of()), true);
        assertThat(costs("other")).isEqualTo(others).hasSize(3);
        assertThat(costs(TENANT)).isEmpty();
    }

    @Test
    void overlappingRunsWritingTheSameWindowLeaveOneCopyOfEachRow() throws Exception {
        CostResult batch = batch(TENANT, "c1", List.of(H0, H1), List.of("a", "b"), 1.0);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                runs.add(pool.submit(() -> {
                    try (ClickHouseGateway own = db.newGateway()) {
                        Writer w = new Writer(new ClickHouseExpenseStore(own, Clock.systemUTC(), 100_000));
                        for (int k = 0; k < 5; k++) {
                            w.write(TENANT, H0, H2, batch, false);
                        }
                    }
                }));
            }
            for (var run : runs) {
                run.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(costs(TENANT)).containsExactly(
                "c1 __unallocated__ " + H0 + " 7.0", "c1 __unallocated__ " + H1 + " 7.0",
                "c1 a " + H0 + " 1.0", "c1 a " + H1 + " 1.0", "c1 b " + H0 + " 2.0", "c1 b " + H1 + " 2.0");
        assertThat(ch.select("SELECT count() AS n FROM k8s_expenses FINAL WHERE deleted = 1").get(0).get("n").asLong()).isZero();
    }

    @Test
    void nullEfficienciesRoundTrip() {
        CostRow withNulls = row(TENANT, "c1", "a", H0, new Costs(1, 0.5, 0.25, 0.25, 0, 0), new Efficiencies(0.125, null, null), 0.5);
        writer.write(TENANT, H0, H1, new CostResult(List.of(withNulls), List.of()), false);
        var stored = ch.select("SELECT cpu_efficiency, ram_efficiency, total_efficiency, coverage, resource_id FROM k8s_expenses_current").get(0);
        assertThat(stored.get("cpu_efficiency").asDouble()).isEqualTo(0.125);
        assertThat(stored.get("ram_efficiency").isNull()).isTrue();
        assertThat(stored.get("total_efficiency").isNull()).isTrue();
        assertThat(stored.get("coverage").asDouble()).isEqualTo(0.5);
        assertThat(stored.get("resource_id").asString()).isEqualTo(ResourceIds.namespaceResourceId(TENANT, "c1", "a").toString());
        // written again unchanged: nulls compare equal to stored nulls
        assertThat(writer.write(TENANT, H0, H1, new CostResult(List.of(withNulls), List.of()), false).changed()).isZero();
    }

    @Test
    void nonFiniteValuesAreRejectedBeforeTheyReachClickHouse() {
        CostRow good = row(TENANT, "c1", "a", H0, new Costs(1, 1, 0, 0, 0, 0), Efficiencies.NONE, 1);
        for (Costs bad : List.of(new Costs(1, Double.NaN, 0, 0, 0, 0), new Costs(Double.POSITIVE_INFINITY, 0, 0, 0, 0, 0),
                new Costs(1, 0, 0, 0, 0, Double.NEGATIVE_INFINITY))) {
            CostRow badRow = row(TENANT, "c1", "b", H0, bad, Efficiencies.NONE, 1);
            assertThatThrownBy(() -> writer.write(TENANT, H0, H1, new CostResult(List.of(good, badRow), List.of()), false))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a finite value");
        }
        CostRow badEfficiency = row(TENANT, "c1", "b", H0, Costs.ZERO, new Efficiencies(Double.NaN, null, null), 1);
        assertThatThrownBy(() -> writer.write(TENANT, H0, H1, new CostResult(List.of(badEfficiency), List.of()), false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cpu_efficiency");
        assertThat(physicalRows()).isZero();
    }

    // ---- helpers

    /** One tenant's write through the batch store. */
    private record Writer(ClickHouseExpenseStore store) {
        WriteResult write(String tenant, Instant start, Instant end, CostResult rows, boolean eraseMissing) {
            return store.write(List.of(tenant), new Window(start, end), rows, eraseMissing ? WriteKind.ERASING : WriteKind.FINAL).get(tenant);
        }
    }

    /** Per hour: namespace i costs base * (i + 1); the cluster reports 10, the remainder is 10 minus the namespaces. */
    private static CostResult batch(String tenant, String cluster, List<Instant> hours, List<String> namespaces, double base) {
        List<CostRow> rows = new ArrayList<>();
        List<ClusterHour> clusters = new ArrayList<>();
        for (Instant h : hours) {
            double allocated = 0;
            for (int i = 0; i < namespaces.size(); i++) {
                double cost = base * (i + 1);
                allocated += cost;
                rows.add(row(tenant, cluster, namespaces.get(i), h, new Costs(cost, cost, 0, 0, 0, 0), new Efficiencies(0.5, 0.5, 0.5), 1));
            }
            Costs total = new Costs(10, 10, 0, 0, 0, 0);
            clusters.add(new ClusterHour(tenant, cluster, h, "USD", total, new Efficiencies(0.4, 0.4, 0.4), 1));
            rows.add(row(tenant, cluster, CostRow.UNALLOCATED, h, new Costs(10 - allocated, 10 - allocated, 0, 0, 0, 0), Efficiencies.NONE, 1));
        }
        return new CostResult(rows, clusters);
    }

    private static CostRow row(String tenant, String cluster, String ns, Instant hour, Costs costs, Efficiencies eff, double coverage) {
        return new CostRow(tenant, cluster, ns, hour, "USD", costs, eff, coverage);
    }

    private List<String> view() {
        return ch.select("SELECT * FROM k8s_expenses_current ORDER BY cloud_account_id, cluster, namespace, hour")
                .stream().map(Object::toString).toList();
    }

    private List<String> costs(String tenant) {
        return ch.select("SELECT cluster, namespace, toUnixTimestamp(hour) AS h, cost FROM k8s_expenses_current WHERE cloud_account_id = "
                        + ClickHouseGateway.quote(tenant) + " ORDER BY cluster, namespace, hour").stream()
                .map(r -> r.get("cluster").asString() + " " + r.get("namespace").asString() + " "
                        + Instant.ofEpochSecond(r.get("h").asLong()) + " " + r.get("cost").asDouble())
                .toList();
    }

    private long physicalRows() {
        return ch.select("SELECT count() AS n FROM k8s_expenses").get(0).get("n").asLong();
    }
}
