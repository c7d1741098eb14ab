package com.cloudtuner.kubecost.e2e;

import static com.cloudtuner.kubecost.testing.Exporter.HOUR;
import static com.cloudtuner.kubecost.testing.Exporter.MINUTE;
import static com.cloudtuner.kubecost.testing.Exporter.always;
import static com.cloudtuner.kubecost.testing.Exporter.labels;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import com.cloudtuner.kubecost.clickhouse.ClickHouseGateway;
import com.cloudtuner.kubecost.cost.ExporterMetric;
import com.cloudtuner.kubecost.testing.Exporter;
import com.cloudtuner.kubecost.testing.PrometheusServer;
import com.cloudtuner.kubecost.testing.RealServers;
import com.cloudtuner.kubecost.testing.TestDatabase;
import com.cloudtuner.kubecost.testing.Worker;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.LongPredicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * One tenant per cost rule, all in one generated dataset, backfilled through the command line
 * against real Prometheus and ClickHouse. Expected values are worked out from the functions that
 * generate the samples (comments show the arithmetic), never read from the worker.
 */
@ExtendWith(RealServers.class)
class CostRulesIT {

    private static final long D0 = Instant.parse("2025-10-13T00:00:00Z").toEpochMilli();
    private static final long END = D0 + 4 * HOUR;
    private static final long OFFSET = 7_000; // where in the minute these exporters are scraped
    private static final String WEIRD = "x\"}weird";

    private static TestDatabase db;
    private static List<String> servers;
    private static Worker.Result backfill;
    private static long weirdRowsAfterDiscovery;
    private static ViewSnapshot rawView;
    private static ViewSnapshot aggregatedView;

    @BeforeAll
    static void loadAndBackfill(TestDatabase database, PrometheusServer prometheus) {
        Exporter e = new Exporter();
        rule1Data(e);
        rule2Data(e);
        rule3Data(e);
        rule4Data(e);
        rule5Data(e);
        rule6Data(e);
        e.gauge(ExporterMetric.NAMESPACE_TOTAL_COST, labels("r7-total", "c", "a"), D0 + OFFSET, END, MINUTE, always(), t -> 48);
        e.gauge(ExporterMetric.NAMESPACE_CPU_EFFICIENCY, labels("r7-total", "c", "a"), D0 + OFFSET, END, MINUTE, always(), t -> 0.5);
        e.gauge(ExporterMetric.NAMESPACE_TOTAL_COST, labels(WEIRD, "c\"1", "a}b"), D0 + OFFSET, END, MINUTE, always(), t -> 1.25);
        prometheus.load(e.dataset());
        db = database;
        servers = Worker.serverArgs(database, prometheus.url());
        // the reference first: the same backfill reading every raw sample
        Worker.Result raw = Worker.run(servers, "backfill", "--from=2025-10-13T00:00:00Z", "--to=2025-10-13T04:00:00Z",
                "--worker.read-mode=raw");
        assertThat(raw.exitCode()).as(raw.toString()).isZero();
        rawView = ViewSnapshot.of(db);
        db.recreate();
        backfill = Worker.run(servers, "backfill", "--from=2025-10-13T00:00:00Z", "--to=2025-10-13T04:00:00Z");
        assertThat(backfill.exitCode()).as(backfill.toString()).isZero();
        aggregatedView = ViewSnapshot.of(db);
        weirdRowsAfterDiscovery = db.query("SELECT count() AS n FROM k8s_expenses WHERE cloud_account_id = "
                + ClickHouseGateway.quote(WEIRD)).get(0).get("n").asLong();
    }

    @Test
    void everyRuleGivesTheSameRowsFromHourlySumsAsFromRawSamples() {
        assertThat(rawView.expenses()).isNotEmpty();
        aggregatedView.assertSameRowsAs(rawView, "aggregated vs raw");
    }

    // ---- rule 1: hours are UTC, [h, h+1h)

    private static void rule1Data(Exporter e) {
        // scraped on the minute, so samples fall exactly on hour boundaries; rate = hour number + 1,
        // and 100 outside the window, which must not leak into its first or last hour
        e.gauge(ExporterMetric.NAMESPACE_TOTAL_COST, labels("r1-hours", "c", "a"), D0 - 5 * MINUTE, END + 5 * MINUTE, MINUTE, always(),
                t -> t < D0 || t >= END ? 100 : hourIndex(t) + 1);
    }

    @Test
    void rule1_eachHourHoldsTheSamplesFromItsStartUpToItsEnd() {
        assertThat(costs("r1-hours", "a")).containsExactly(1.0, 2.0, 3.0, 4.0);
        assertThat(rows("r1-hours")).extracting(r -> Instant.ofEpochSecond(r.get("h").asLong()).toString())
                .containsExactly("2025-10-13T00:00:00Z", "2025-10-13T01:00:00Z", "2025-10-13T02:00:00Z", "2025-10-13T03:00:00Z");
    }

    // ---- rule 2: valid samples

    private static void rule2Data(Exporter e) {
        LongPredicate restart = t -> hourIndex(t) == 0 && minute(t) >= 10 && minute(t) < 20;
        e.gauge(ExporterMetric.EXPORTER_SCRAPE_SUCCESS, Map.of("tenant_id", "r2-valid", "cluster", "c"), D0 + OFFSET, END, MINUTE, always(),
                t -> restart.test(t) ? 0 : 1);
        e.gauge(ExporterMetric.NAMESPACE_TOTAL_COST, labels("r2-valid", "c", "a"), D0 + OFFSET, END, MINUTE, always(), t -> {
            if (restart.test(t)) {
                return 0; // not real: the exporter could not read Kubecost
            }
            if (hourIndex(t) == 1 && minute(t) >= 30 && minute(t) < 35) {
                return Double.NaN;
            }
            return hourIndex(t) == 1 && minute(t) == 40 ? Double.POSITIVE_INFINITY : 2.5;
        });
        // a cluster without a health series: every finite sample counts
        e.gauge(ExporterMetric.NAMESPACE_TOTAL_COST, labels("r2-valid", "nohealth", "a"), D0 + OFFSET, END, MINUTE, always(),
                t -> hourIndex(t) == 0 && minute(t) == 5 ? Double.NaN : 1.5);
    }

    @Test
    void rule2_onlyFiniteSamplesTheExporterVouchedForCount() {
        assertThat(costs("r2-valid", "a")).containsExactly(2.5, 2.5, 2.5, 2.5, 1.5, 1.5, 1.5, 1.5);
        // c: hour 0 lost 10 minutes to the restart, hour 1 five NaN and one +Inf; nohealth: one NaN in hour 0
        assertThat(coverages("r2-valid", "a")).containsExactly(50 / 60.0, 54 / 60.0, 1.0, 1.0, 59 / 60.0, 1.0, 1.0, 1.0);
    }

    // ---- rule 3: mean x 1 hour, efficiencies, coverage

    private static void rule3Data(Exporter e) {
        LongPredicate scraped = t -> !(hourIndex(t) == 2 && minute(t) >= 20 && minute(t) < 40);
        Map<String, String> a = labels("r3-mean", "c", "a");
        e.gauge(ExporterMetric.NAMESPACE_TOTAL_COST, a, D0 + OFFSET, END, MINUTE, scraped, t -> (hourIndex(t) + 1) * minute(t) / 10.0);
        e.gauge(ExporterMetric.NAMESPACE_CPU_COST, a, D0 + OFFSET, END, MINUTE, scraped, t -> 1.0);
        e.gauge(ExporterMetric.NAMESPACE_RAM_COST, a, D0 + OFFSET, END, MINUTE, scraped, t -> 0.5);
        e.gauge(ExporterMetric.NAMESPACE_PV_COST, a, D0 + OFFSET, END, MINUTE, scraped, t -> 0.25);
        e.gauge(ExporterMetric.NAMESPACE_CPU_EFFICIENCY, a, D0 + OFFSET, END, MINUTE, scraped, t -> minute(t) < 30 ? 0.2 : 0.6);
        e.gauge(ExporterMetric.NAMESPACE_TOTAL_EFFICIENCY, a, D0 + OFFSET, D0 + HOUR, MINUTE, scraped, t -> 0.7);
        // the exporter answered every scrape: coverage measures the namespace's samples against them
        e.gauge(ExporterMetric.EXPORTER_SCRAPE_SUCCESS, Map.of("tenant_id", "r3-mean", "cluster", "c"), D0 + OFFSET, END, MINUTE,
                always(), t -> 1);
    }

    @Test
    void rule3_costIsTheMeanRateOfTheHourAndCoverageTheShareWithData() {
        // mean of minute/10 over 0..59 is 2.95, times (hour + 1); hour 2 misses minutes 20..39:
        // (0 + ... + 19 + 40 + ... + 59) / 40 = 1180 / 40 = 29.5 minutes -> 2.95 x 3 again
        List<Double> costs = costs("r3-mean", "a");
        assertThat(costs).hasSize(4);
        for (int h = 0; h < 4; h++) {
            assertThat(costs.get(h)).isCloseTo(2.95 * (h + 1), within(1e-9));
        }
        assertThat(coverages("r3-mean", "a")).containsExactly(1.0, 1.0, 40 / 60.0, 1.0);
        for (JsonNode r : rows("r3-mean")) {
            assertThat(r.get("cpu_cost").asDouble()).isEqualTo(1.0);
            assertThat(r.get("ram_cost").asDouble()).isEqualTo(0.5);
            assertThat(r.get("pv_cost").asDouble()).isEqualTo(0.25);
            assertThat(r.get("cpu_efficiency").asDouble()).isCloseTo(0.4, within(1e-12)); // 0.2 half the hour, 0.6 the other
            assertThat(r.get("ram_efficiency").isNull()).isTrue(); // no series at all
        }
        assertThat(rows("r3-mean")).extracting(r -> r.get("total_efficiency").isNull()).containsExactly(false, true, true, true);
    }

    // ---- rule 4: presence, not positivity

    private static void rule4Data(Exporter e) {
        for (ExporterMetric m : List.of(ExporterMetric.NAMESPACE_TOTAL_COST, ExporterMetric.NAMESPACE_CPU_COST,
                ExporterMetric.NAMESPACE_RAM_COST, ExporterMetric.NAMESPACE_PV_COST)) {
            e.gauge(m, labels("r4-presence", "c", "zero"), D0 + OFFSET, END, MINUTE, always(), t -> 0);
        }
        e.gauge(ExporterMetric.NAMESPACE_TOTAL_COST, labels("r4-presence", "c", "gap"), D0 + OFFSET, END, MINUTE,
                t -> hourIndex(t) != 1, t -> hourIndex(t) == 3 ? Double.NaN : 3.0);
    }

    @Test
    void rule4_zeroIsACostButNoDataIsNoRow() {
        assertThat(costs("r4-presence", "zero")).containsExactly(0.0, 0.0, 0.0, 0.0);
        assertThat(coverages("r4-presence", "zero")).containsExactly(1.0, 1.0, 1.0, 1.0);
        assertThat(rows("r4-presence").stream().filter(r -> r.get("namespace").asString().equals("gap")))
                .extracting(r -> hourIndex(r.get("h").asLong() * 1000), r -> r.get("cost").asDouble())
                .containsExactly(tuple(0, 3.0), tuple(2, 3.0));
    }

    // ---- rule 5: HA replicas

    private static void rule5Data(Exporter e) {
        for (String replica : List.of("0", "1")) {
            long offset = replica.equals("0") ? OFFSET : OFFSET + 30_000;
            LongPredicate scraped = replica.equals("0") ? always() : t -> !(hourIndex(t) == 0 && minute(t) < 30);
            e.gauge(ExporterMetric.NAMESPACE_TOTAL_COST, labels("r5-ha", "c", "a", "prometheus_replica", replica),
                    D0 + offset, END, MINUTE, scraped, t -> 3.0);
            e.gauge(ExporterMetric.CLUSTER_TOTAL_COST, labels("r5-ha", "c", null, "prometheus_replica", replica),
                    D0 + offset, END, MINUTE, scraped, t -> 5.0);
            e.gauge(ExporterMetric.EXPORTER_SCRAPE_SUCCESS, Map.of("tenant_id", "r5-ha", "cluster", "c", "prometheus_replica", replica),
                    D0 + offset, END, MINUTE, scraped, t -> 1);
        }
    }

    @Test
    void rule5_replicasAreOneSeries() {
        assertThat(costs("r5-ha", "a")).containsExactly(3.0, 3.0, 3.0, 3.0);
        assertThat(coverages("r5-ha", "a")).containsExactly(1.0, 1.0, 1.0, 1.0);
        assertThat(costs("r5-ha", "__unallocated__")).containsExactly(2.0, 2.0, 2.0, 2.0); // 5 - 3
    }

    // ---- rule 6: __unallocated__

    private static void rule6Data(Exporter e) {
        long clusterEnd = D0 + 3 * HOUR; // hour 3 has namespace data only
        Map<String, String> c = labels("r6-unalloc", "c", null);
        double[] cluster = {10, 6, 3, 0.5, 0.3, 0.2};
        ExporterMetric[] clusterCosts = {ExporterMetric.CLUSTER_TOTAL_COST, ExporterMetric.CLUSTER_CPU_COST, ExporterMetric.CLUSTER_RAM_COST,
                ExporterMetric.CLUSTER_PV_COST, ExporterMetric.CLUSTER_NETWORK_COST, ExporterMetric.CLUSTER_LB_COST};
        for (int i = 0; i < clusterCosts.length; i++) {
            double v = cluster[i];
            e.gauge(clusterCosts[i], c, D0 + OFFSET, clusterEnd, MINUTE, always(), t -> v);
        }
        e.gauge(ExporterMetric.CLUSTER_CPU_EFFICIENCY, c, D0 + OFFSET, clusterEnd, MINUTE, always(), t -> 0.5);
        e.gauge(ExporterMetric.CLUSTER_RAM_EFFICIENCY, c, D0 + OFFSET, clusterEnd, MINUTE, always(), t -> 0.6);
        e.gauge(ExporterMetric.CLUSTER_TOTAL_EFFICIENCY, c, D0 + OFFSET, clusterEnd, MINUTE, always(), t -> 0.55);
        namespace(e, "r6-unalloc", "a", 4, 2, 1.5, 0.5);
        namespace(e, "r6-unalloc", "b", 3, 2, 1, 0);
        e.gauge(ExporterMetric.NAMESPACE_CPU_EFFICIENCY, labels("r6-unalloc", "c", "a"), D0 + OFFSET, END, MINUTE, always(), t -> 0.3);
    }

    private static void namespace(Exporter e, String tenant, String ns, double total, double cpu, double ram, double pv) {
        Map<String, String> l = labels(tenant, "c", ns);
        e.gauge(ExporterMetric.NAMESPACE_TOTAL_COST, l, D0 + OFFSET, END, MINUTE, always(), t -> total);
        e.gauge(ExporterMetric.NAMESPACE_CPU_COST, l, D0 + OFFSET, END, MINUTE, always(), t -> cpu);
        e.gauge(ExporterMetric.NAMESPACE_RAM_COST, l, D0 + OFFSET, END, MINUTE, always(), t -> ram);
        e.gauge(ExporterMetric.NAMESPACE_PV_COST, l, D0 + OFFSET, END, MINUTE, always(), t -> pv);
    }

    @Test
    void rule6_unallocatedIsTheClusterBeyondItsNamespaces() {
        List<JsonNode> unallocated = rows("r6-unalloc").stream().filter(r -> r.get("namespace").asString().equals("__unallocated__")).toList();
        assertThat(unallocated).hasSize(3); // no cluster-level data in hour 3, so no row
        for (JsonNode r : unallocated) {
            // 10 - 4 - 3; cpu 6 - 2 - 2; ram 3 - 1.5 - 1; pv 0.5 - 0.5 - 0; network and lb: the cluster's
            assertThat(List.of(r.get("cost").asDouble(), r.get("cpu_cost").asDouble(), r.get("ram_cost").asDouble(),
                    r.get("pv_cost").asDouble(), r.get("network_cost").asDouble(), r.get("lb_cost").asDouble()))
                    .containsExactly(3.0, 2.0, 0.5, 0.0, 0.3, 0.2);
            assertThat(r.get("cpu_efficiency").isNull() && r.get("ram_efficiency").isNull() && r.get("total_efficiency").isNull()).isTrue();
        }
        List<JsonNode> sums = db.query("SELECT toUnixTimestamp(hour) AS h, sum(cost) AS s FROM k8s_expenses_current"
                + " WHERE cloud_account_id = 'r6-unalloc' GROUP BY hour ORDER BY hour");
        assertThat(sums).extracting(r -> r.get("s").asDouble()).containsExactly(10.0, 10.0, 10.0, 7.0);
        List<JsonNode> clusters = db.query("SELECT cost, cpu_efficiency, ram_efficiency, total_efficiency, coverage"
                + " FROM k8s_cluster_expenses_current WHERE cloud_account_id = 'r6-unalloc' ORDER BY hour");
        assertThat(clusters).hasSize(3).allSatisfy(r -> {
            assertThat(r.get("cost").asDouble()).isEqualTo(10.0);
            assertThat(r.get("cpu_efficiency").asDouble()).isEqualTo(0.5);
            assertThat(r.get("ram_efficiency").asDouble()).isEqualTo(0.6);
            assertThat(r.get("total_efficiency").asDouble()).isEqualTo(0.55);
            assertThat(r.get("coverage").asDouble()).isEqualTo(1.0);
        });
    }

    // ---- rule 7: totals over the exporter's window

    @Test
    void rule7_totalsAreDividedByTheExportersWindow() {
        Worker.Result totals = Worker.run(servers, "backfill", "--from=2025-10-13", "--to=2025-10-13T04:00:00Z", "--tenant=r7-total",
                "--worker.exporter.metric-mode=total", "--worker.exporter.window=24h");
        assertThat(totals.exitCode()).as(totals.toString()).isZero();
        assertThat(costs("r7-total", "a")).containsExactly(2.0, 2.0, 2.0, 2.0); // $48 per 24 h
        assertThat(rows("r7-total")).allSatisfy(r -> assertThat(r.get("cpu_efficiency").asDouble()).isEqualTo(0.5));
    }

    // ---- rule 8: tenants

    @Test
    void rule8_discoveredTenantsThatDoNotMatchThePatternAreSkippedAndCounted() {
        assertThat(backfill.out()).contains("7 tenants succeeded, 0 failed, 1 skipped");
        assertThat(backfill.err()).contains("skipped tenant id \"x\\\"}weird\"");
        assertThat(weirdRowsAfterDiscovery).isZero();
    }

    @Test
    void rule8_labelValuesAreEscapedWhenAPatternAllowsThem() {
        Worker.Result r = Worker.run(servers, "backfill", "--from=2025-10-13", "--to=2025-10-13T04:00:00Z",
                "--tenant=" + WEIRD, "--worker.tenant-pattern=.+");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        List<JsonNode> rows = rows(WEIRD);
        assertThat(rows).hasSize(4).allSatisfy(row -> {
            assertThat(row.get("cluster").asString()).isEqualTo("c\"1");
            assertThat(row.get("namespace").asString()).isEqualTo("a}b");
            assertThat(row.get("cost").asDouble()).isEqualTo(1.25);
        });
    }

    @Test
    void rule8_explicitTenantsThatAllFailThePatternAreAnInvalidArgument() {
        Worker.Result r = Worker.run(servers, "backfill", "--from=2025-10-13", "--to=2025-10-14", "--tenant=" + WEIRD);
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("no tenant id given matches worker.tenant-pattern");
    }

    // ---- helpers

    private static int hourIndex(long t) {
        return (int) Math.floorDiv(t - D0, HOUR);
    }

    private static int minute(long t) {
        return (int) (Math.floorMod(t - D0, HOUR) / MINUTE);
    }

    private static List<JsonNode> rows(String tenant) {
        return db.query("SELECT *, toUnixTimestamp(hour) AS h FROM k8s_expenses_current WHERE cloud_account_id = "
                + ClickHouseGateway.quote(tenant) + " ORDER BY cluster, namespace, hour");
    }

    private static List<Double> costs(String tenant, String namespace) {
        return column(tenant, namespace, "cost");
    }

    private static List<Double> coverages(String tenant, String namespace) {
        return column(tenant, namespace, "coverage");
    }

    private static List<Double> column(String tenant, String namespace, String column) {
        return rows(tenant).stream().filter(r -> r.get("namespace").asString().equals(namespace))
                .map(r -> r.get(column).asDouble()).toList();
    }

}
