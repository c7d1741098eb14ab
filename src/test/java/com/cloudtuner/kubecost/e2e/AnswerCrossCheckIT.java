package com.cloudtuner.kubecost.e2e;

import static com.cloudtuner.kubecost.testing.Exporter.HOUR;
import static com.cloudtuner.kubecost.testing.Exporter.MINUTE;
import static org.assertj.core.api.Assertions.assertThat;

import com.cloudtuner.kubecost.cost.ExporterMetric;
import com.cloudtuner.kubecost.testing.Exporter;
import com.cloudtuner.kubecost.testing.FaultProxy;
import com.cloudtuner.kubecost.testing.MetricsStore;
import com.cloudtuner.kubecost.testing.PrometheusServer;
import com.cloudtuner.kubecost.testing.RealServers;
import com.cloudtuner.kubecost.testing.TestDatabase;
import com.cloudtuner.kubecost.testing.VictoriaMetricsServer;
import com.cloudtuner.kubecost.testing.Worker;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * An answer that is well formed but incomplete is never data. A proxy in front of the real
 * Prometheus drops namespace "beta" from one metric's sum and count answers, or from every answer;
 * on VictoriaMetrics a scrape of "beta" arrives while a work unit is being read. Each run must
 * leave exactly the rows a clean run over the same data writes (or fail the tenant), never a
 * cost read as zero or a row tombstoned for an answer's absence.
 */
@ExtendWith(RealServers.class)
class AnswerCrossCheckIT {

    private static final Instant D0 = Instant.parse("2025-10-20T00:00:00Z");
    private static final long START = D0.toEpochMilli();
    private static final String[] BACKFILL = {"backfill", "--from=2025-10-20T00:00:00Z", "--to=2025-10-20T03:00:00Z",
            "--tenant=xcheck"};
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** The scrape of beta that arrives late, with another rate. */
    private static final long LATE = START + HOUR + 30 * MINUTE + 5_000;

    @BeforeAll
    static void load(PrometheusServer prometheus, VictoriaMetricsServer victoria) {
        Exporter e = new Exporter();
        List<String> namespaces = List.of("alpha", "beta", "gamma");
        for (int i = 0; i < namespaces.size(); i++) {
            double rate = 0.35 * (i + 1); // beta: 0.7 $/h
            // beta's scrape of 01:30 has not reached the store yet (remote-write lag)
            java.util.function.LongPredicate stored = namespaces.get(i).equals("beta") ? t -> t != LATE : Exporter.always();
            for (ExporterMetric m : ExporterMetric.values()) {
                if (m.scope() == ExporterMetric.Scope.NAMESPACE) {
                    e.gauge(m, Exporter.labels("xcheck", "c1", namespaces.get(i)), START + 5_000, START + 3 * HOUR, MINUTE,
                            stored, t -> m.quantity().isCost() ? rate : 0.5);
                }
            }
        }
        for (ExporterMetric m : ExporterMetric.values()) {
            if (m.scope() == ExporterMetric.Scope.CLUSTER) {
                e.gauge(m, Exporter.labels("xcheck", "c1", null), START + 5_000, START + 3 * HOUR, MINUTE, Exporter.always(),
                        t -> m.quantity().isCost() ? 3.0 : 0.4);
            }
        }
        e.gauge(ExporterMetric.EXPORTER_SCRAPE_SUCCESS, Map.of("tenant_id", "xcheck", "cluster", "c1"), START + 5_000,
                START + 3 * HOUR, MINUTE, Exporter.always(), t -> 1);
        prometheus.load(e.dataset());
        victoria.load(e.dataset());
    }

    @Test
    void aSeriesMissingFromOneMetricsSumAndCountIsReadRawNotTakenAsZero(TestDatabase db, PrometheusServer prometheus) {
        // the total cost (the server's census counts its series) and the cpu cost (its neighbours have theirs)
        for (String metric : List.of("namespace_total_cost", "namespace_cpu_cost")) {
            ViewSnapshot clean = cleanRun(db, prometheus);
            try (FaultProxy proxy = new FaultProxy(prometheus.url())) {
                proxy.transformAnswers(r -> r.contains(metric) && (r.contains("sum_over_time") || r.contains("count_over_time")),
                        body -> withoutNamespace(body, "beta"));
                Worker.Result r = Worker.run(through(db, prometheus, proxy), BACKFILL);

                assertThat(r.exitCode()).as(r.toString()).isZero();
                ViewSnapshot.of(db).assertSameRowsAs(clean, "after answers without beta's " + metric);
                assertThat(ledger(db, r.runId()).get("rows_changed").asLong()).isZero();
            }
        }
    }

    @Test
    void aSeriesMissingFromEveryAnswerFailsTheTenantAndTombstonesNothing(TestDatabase db, PrometheusServer prometheus) {
        ViewSnapshot clean = cleanRun(db, prometheus);
        try (FaultProxy proxy = new FaultProxy(prometheus.url())) {
            proxy.transformAnswers(r -> true, body -> withoutNamespace(body, "beta"));
            Worker.Result r = Worker.run(through(db, prometheus, proxy), BACKFILL);

            assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
            ViewSnapshot.of(db).assertSameRowsAs(clean, "after answers without beta at all");
            JsonNode ledger = ledger(db, r.runId());
            assertThat(ledger.get("status").asString()).isEqualTo("failed");
            assertThat(ledger.get("rows_tombstoned").asLong()).isZero();
        }
    }

    @Test
    void aScrapeArrivingBetweenTwoQueriesOfAUnitIsReadAsOneSnapshot(TestDatabase db, VictoriaMetricsServer victoria) {
        db.recreate();
        try (FaultProxy proxy = new FaultProxy(victoria.url())) {
            // beta's late scrape reaches the store right after the namespace total cost's sums were read
            Predicate<String> betaSums = r -> r.contains("query_range") && r.contains("sum_over_time(cloudtuner_kubecost_namespace_total_cost");
            proxy.afterForwardingNth(betaSums, 1, () -> victoria.load(lateScrape(LATE, 70.0).dataset()));
            Worker.Result r = Worker.run(through(db, victoria, proxy), BACKFILL);
            assertThat(r.exitCode()).as(r.toString()).isZero();
        }
        // what a run over the data as they now are writes: exactly the rows already there
        Worker.Result again = Worker.run(Worker.serverArgs(db, victoria.url()), BACKFILL);
        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(ledger(db, again.runId()).get("rows_changed").asLong()).as(again.toString()).isZero();
        // beta's hour 1: 59 samples of 0.7 and the late one of 70, one mean
        double cost = db.query("SELECT cost FROM k8s_expenses_current WHERE cloud_account_id = 'xcheck' AND namespace = 'beta'"
                + " AND hour = toDateTime(" + (START + HOUR) / 1000 + ")").get(0).get("cost").asDouble();
        assertThat(cost).isCloseTo((59 * 0.7 + 70.0) / 60, org.assertj.core.api.Assertions.within(1e-9));
    }

    /** Every series of namespace beta, sampled once more at {@code t}: a scrape that reaches the store late. */
    private static Exporter lateScrape(long t, double rate) {
        Exporter e = new Exporter();
        for (ExporterMetric m : ExporterMetric.values()) {
            if (m.scope() == ExporterMetric.Scope.NAMESPACE) {
                e.gauge(m, Exporter.labels("xcheck", "c1", "beta"), t, t + 1, MINUTE, Exporter.always(),
                        x -> m.quantity().isCost() ? rate : 0.5);
            }
        }
        return e;
    }

    private static ViewSnapshot cleanRun(TestDatabase db, MetricsStore store) {
        db.recreate();
        Worker.Result r = Worker.run(Worker.serverArgs(db, store.url()), BACKFILL);
        assertThat(r.exitCode()).as(r.toString()).isZero();
        ViewSnapshot clean = ViewSnapshot.of(db);
        assertThat(clean.expenses()).hasSize(3 * 4); // 3 hours x (alpha, beta, gamma, __unallocated__)
        return clean;
    }

    private static List<String> through(TestDatabase db, MetricsStore store, FaultProxy proxy) {
        return Worker.withOption(Worker.serverArgs(db, store.url()), "thanos.url", proxy.url());
    }

    private static JsonNode ledger(TestDatabase db, String runId) {
        return db.query("SELECT status, rows_changed, rows_tombstoned FROM k8s_expenses_runs WHERE run_id = '" + runId + "'").get(0);
    }

    /** The answer without the series of one namespace, as an upstream that loses them would pass it on. */
    private static String withoutNamespace(String body, String namespace) {
        JsonNode doc = JSON.readTree(body);
        JsonNode result = doc.path("data").path("result");
        if (!result.isArray()) {
            return body;
        }
        ArrayNode kept = JSON.createArrayNode();
        for (JsonNode series : result) {
            if (!namespace.equals(series.path("metric").path("namespace").asString(""))) {
                kept.add(series);
            }
        }
        ((ObjectNode) doc.get("data")).set("result", kept);
        return doc.toString();
    }
}
