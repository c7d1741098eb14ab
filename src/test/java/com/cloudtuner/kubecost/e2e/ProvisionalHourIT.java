package com.cloudtuner.kubecost.e2e;

import static com.cloudtuner.kubecost.testing.Exporter.HOUR;
import static com.cloudtuner.kubecost.testing.Exporter.MINUTE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.within;

import com.cloudtuner.kubecost.cost.ExporterMetric;
import com.cloudtuner.kubecost.testing.Exporter;
import com.cloudtuner.kubecost.testing.MetricsStore;
import com.cloudtuner.kubecost.testing.PrometheusServer;
import com.cloudtuner.kubecost.testing.RealServers;
import com.cloudtuner.kubecost.testing.TestDatabase;
import com.cloudtuner.kubecost.testing.VictoriaMetricsServer;
import com.cloudtuner.kubecost.testing.Worker;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongPredicate;
import java.util.function.LongToDoubleFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The hour in progress: {@code hourly --current-hour} at 10:30 writes provisional rows of the hour
 * 10:00, and the hourly run after it has settled (11:10) replaces every one of them. Scrapes every
 * minute at 7 s past it, so at 10:30 a cluster's last sample is 10:29:07 and one interval later is
 * past 10:30: the hour has accrued half its cost. The expected numbers are worked out in the comments
 * from the rates below; the worker's arithmetic is not consulted.
 *
 * <p>Tenant {@code T} (cluster {@code c}, 20 $/h in all): {@code steady} 2 $/h; {@code vanishing}
 * 3 $/h until 10:20; {@code restarting} 1 $/h until 10:10, nothing until 10:40, then 4 $/h;
 * {@code appearing} 1.5 $/h from 10:40. Cluster {@code d} (web 5 $/h, 6 $/h in all) has no health
 * series in the hour at 10:30; its scrape-success samples of that hour arrive after the provisional
 * run, all 0, so the complete hour has no row of {@code d}. Tenant {@code T-new} appears at 10:05.
 */
@ExtendWith(RealServers.class)
class ProvisionalHourIT {

    private static final long P = Instant.parse("2025-10-03T10:00:00Z").toEpochMilli(); // the hour in progress
    private static final long FROM = P - 2 * 24 * HOUR;
    private static final long OFFSET = 7_000;
    private static final Instant AS_OF = Instant.ofEpochMilli(P + 30 * MINUTE);
    private static final Instant SETTLED = Instant.ofEpochMilli(P + HOUR + 10 * MINUTE);

    @Test
    void onPrometheusProvisionalRowsAccrueAndTheCompleteHourReplacesEachOfThem(TestDatabase db, PrometheusServer prometheus) {
        runScenario(db, prometheus, "acme");
    }

    @Test
    void onVictoriaMetricsToo(TestDatabase db, VictoriaMetricsServer victoria) {
        runScenario(db, victoria, "vm-acme");
    }

    private static void runScenario(TestDatabase db, MetricsStore store, String tenant) {
        String newTenant = tenant + "-new";
        store.load(initialData(tenant, newTenant).dataset());
        List<String> servers = Worker.serverArgs(db, store.url());

        // tenants discovered, as the CronJob runs: each store holds only this scenario's two
        Worker.Result provisional = Worker.run(servers, "hourly", "--current-hour", "--now=" + AS_OF);

        assertThat(provisional.exitCode()).as(provisional.toString()).isZero();
        // cluster c: half the hour accrued; coverage counts the samples so far against 60 expected
        assertThat(rows(db, tenant, "c")).containsOnly(
                entry("steady", new Row(2.0 * 0.5, 30 / 60.0, 1)),
                entry("vanishing", new Row(3.0 * 0.5, 20 / 60.0, 1)),
                entry("restarting", new Row(1.0 * 0.5, 10 / 60.0, 1)),
                entry("__unallocated__", new Row((20 - 2 - 3 - 1) * 0.5, 30 / 60.0, 1)));
        assertThat(clusterCost(db, tenant, "c")).isCloseTo(20 * 0.5, within(1e-9));
        assertThat(rows(db, tenant, "d")).containsOnly(
                entry("web", new Row(5 * 0.5, 30 / 60.0, 1)), entry("__unallocated__", new Row(1 * 0.5, 30 / 60.0, 1)));
        // a tenant seen for the first time in the hour in progress: rows, but no watermark yet
        assertThat(rows(db, newTenant, "c")).containsOnlyKeys("web", "__unallocated__")
                .allSatisfy((ns, row) -> assertThat(row.provisional()).isEqualTo(1));
        assertThat(rows(db, newTenant, "c").get("web").cost()).isCloseTo(1.2 * 0.5, within(1e-9));
        // no watermark moves into the hour in progress; the new tenant has none past 10:00 either (the
        // store's label values may already name it for the complete hours, which then start it at 10:00)
        assertThat(watermarks(db)).containsEntry(tenant, Instant.ofEpochMilli(P));
        assertThat(watermarks(db).getOrDefault(newTenant, Instant.ofEpochMilli(P))).isEqualTo(Instant.ofEpochMilli(P));
        assertThat(ledger(db, provisional.runId())).containsOnly(
                entry(List.of(tenant, "0"), Instant.ofEpochMilli(P)), // the complete hours, up to 10:00
                entry(List.of(newTenant, "0"), Instant.ofEpochMilli(P)), // named by the label values, without data
                entry(List.of(tenant, "1"), Instant.ofEpochMilli(P + HOUR)),
                entry(List.of(newTenant, "1"), Instant.ofEpochMilli(P + HOUR)));

        // explain computes a provisional row again as of its computed_at (the run's instant), and agrees with it
        for (String namespace : List.of("steady", "__unallocated__")) {
            Worker.Result explained = Worker.run(servers, "explain", "--tenant=" + tenant, "--cluster=c", "--namespace=" + namespace,
                    "--hour=" + Instant.ofEpochMilli(P), "--json");
            assertThat(explained.exitCode()).as(explained.toString()).isZero();
            JsonNode doc = JsonMapper.builder().build().readTree(explained.out());
            assertThat(doc.get("verdict").asString()).isEqualTo("matches");
            assertThat(doc.get("provisional").get("as_of").asString()).isEqualTo(AS_OF.toString());
            assertThat(doc.get("provisional").get("accrued_fraction").asDouble()).isEqualTo(0.5);
            assertThat(doc.get("provisional").get("latest_sample").asString())
                    .isEqualTo(Instant.ofEpochMilli(P + 29 * MINUTE + OFFSET).toString());
        }

        store.load(lateHealth(tenant).dataset());
        Worker.Result complete = Worker.run(servers, "hourly", "--now=" + SETTLED);

        assertThat(complete.exitCode()).as(complete.toString()).isZero();
        // every row final: means over the hour's valid samples times one hour
        assertThat(rows(db, tenant, "c")).containsOnly(
                entry("steady", new Row(2.0, 1.0, 0)),
                entry("vanishing", new Row(3.0, 20 / 60.0, 0)),
                entry("restarting", new Row((10 * 1.0 + 20 * 4.0) / 30, 30 / 60.0, 0)),
                entry("appearing", new Row(1.5, 20 / 60.0, 0)),
                entry("__unallocated__", new Row(20 - 2 - 3 - 3 - 1.5, 1.0, 0)));
        assertThat(clusterCost(db, tenant, "c")).isCloseTo(20, within(1e-9));
        assertThat(rows(db, tenant, "d")).as("health 0 all hour: no row, the provisional ones tombstoned").isEmpty();
        assertThat(rows(db, newTenant, "c").get("web")).isEqualTo(new Row(1.2, 55 / 55.0, 0));
        assertThat(db.query("SELECT count() AS n FROM k8s_expenses_current WHERE provisional = 1 AND cloud_account_id IN ('"
                + tenant + "', '" + newTenant + "')").get(0).get("n").asLong()).isZero();
        assertThat(db.query("SELECT count() AS n FROM k8s_cluster_expenses_current WHERE provisional = 1 AND cloud_account_id IN ('"
                + tenant + "', '" + newTenant + "')").get(0).get("n").asLong()).isZero();
        assertThat(watermarks(db)).containsEntry(tenant, Instant.ofEpochMilli(P + HOUR))
                .containsEntry(newTenant, Instant.ofEpochMilli(P + HOUR));
    }

    private static Exporter initialData(String tenant, String newTenant) {
        Exporter e = new Exporter();
        long end = P + HOUR;
        LongPredicate all = Exporter.always();
        series(e, tenant, "c", "steady", FROM, end, all, t -> 2.0);
        series(e, tenant, "c", "vanishing", FROM, P + 20 * MINUTE, all, t -> 3.0);
        series(e, tenant, "c", "restarting", FROM, end, Exporter.except(P + 10 * MINUTE, P + 40 * MINUTE), t -> t < P + 30 * MINUTE ? 1.0 : 4.0);
        series(e, tenant, "c", "appearing", P + 40 * MINUTE, end, all, t -> 1.5);
        series(e, tenant, "c", null, FROM, end, all, t -> 20.0);
        health(e, tenant, "c", FROM, end, t -> 1);
        series(e, tenant, "d", "web", FROM, end, all, t -> 5.0);
        series(e, tenant, "d", null, FROM, end, all, t -> 6.0);
        health(e, tenant, "d", FROM, P, t -> 1); // the hour's own health samples arrive late
        series(e, newTenant, "c", "web", P + 5 * MINUTE, end, all, t -> 1.2);
        series(e, newTenant, "c", null, P + 5 * MINUTE, end, all, t -> 2.0);
        health(e, newTenant, "c", P + 5 * MINUTE, end, t -> 1);
        return e;
    }

    /** Cluster d's scrape success in the hour, every minute just before each cost sample: 0. */
    private static Exporter lateHealth(String tenant) {
        Exporter e = new Exporter();
        health(e, tenant, "d", P, P + HOUR, t -> 0);
        return e;
    }

    private static void series(Exporter e, String tenant, String cluster, String namespace, long from, long to, LongPredicate scraped,
                               LongToDoubleFunction rate) {
        ExporterMetric metric = namespace == null ? ExporterMetric.CLUSTER_TOTAL_COST : ExporterMetric.NAMESPACE_TOTAL_COST;
        e.gauge(metric, Exporter.labels(tenant, cluster, namespace), from + OFFSET, to, MINUTE, scraped, rate);
    }

    /** Scrape success on the minute, 7 s before the cost samples of the same scrape. */
    private static void health(Exporter e, String tenant, String cluster, long from, long to, LongToDoubleFunction value) {
        e.gauge(ExporterMetric.EXPORTER_SCRAPE_SUCCESS, Map.of("tenant_id", tenant, "cluster", cluster), from, to, MINUTE,
                Exporter.always(), value);
    }

    record Row(double cost, double coverage, int provisional) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Row r && Math.abs(cost - r.cost) < 1e-9 && Math.abs(coverage - r.coverage) < 1e-9
                    && provisional == r.provisional;
        }

        @Override
        public int hashCode() {
            return provisional;
        }
    }

    /** The visible rows of hour P of one cluster, by namespace. */
    private static Map<String, Row> rows(TestDatabase db, String tenant, String cluster) {
        Map<String, Row> rows = new LinkedHashMap<>();
        for (JsonNode r : db.query("SELECT namespace, cost, coverage, provisional FROM k8s_expenses_current WHERE cloud_account_id = '"
                + tenant + "' AND cluster = '" + cluster + "' AND hour = toDateTime(" + P / 1000 + ") ORDER BY namespace")) {
            rows.put(r.get("namespace").asString(), new Row(r.get("cost").asDouble(), r.get("coverage").asDouble(),
                    r.get("provisional").asInt()));
        }
        return rows;
    }

    private static double clusterCost(TestDatabase db, String tenant, String cluster) {
        return db.query("SELECT cost FROM k8s_cluster_expenses_current WHERE cloud_account_id = '" + tenant + "' AND cluster = '"
                + cluster + "' AND hour = toDateTime(" + P / 1000 + ")").get(0).get("cost").asDouble();
    }

    private static Map<String, Instant> watermarks(TestDatabase db) {
        Map<String, Instant> marks = new LinkedHashMap<>();
        for (JsonNode r : db.query("SELECT cloud_account_id, toUnixTimestamp(watermark) AS w FROM k8s_expenses_watermarks FINAL")) {
            marks.put(r.get("cloud_account_id").asString(), Instant.ofEpochSecond(r.get("w").asLong()));
        }
        return marks;
    }

    /** The run's ledger rows: (tenant, provisional) to the end of their window; each must have succeeded. */
    private static Map<List<String>, Instant> ledger(TestDatabase db, String runId) {
        Map<List<String>, Instant> entries = new LinkedHashMap<>();
        for (JsonNode r : db.query("SELECT cloud_account_id, provisional, status, toUnixTimestamp(window_end) AS we"
                + " FROM k8s_expenses_runs WHERE run_id = '" + runId + "'")) {
            assertThat(r.get("status").asString()).isEqualTo("succeeded");
            entries.put(List.of(r.get("cloud_account_id").asString(), String.valueOf(r.get("provisional").asInt())),
                    Instant.ofEpochSecond(r.get("we").asLong()));
        }
        return entries;
    }
}
