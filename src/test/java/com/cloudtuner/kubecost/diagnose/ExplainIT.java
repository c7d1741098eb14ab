package com.cloudtuner.kubecost.diagnose;

import static com.cloudtuner.kubecost.testing.Exporter.HOUR;
import static com.cloudtuner.kubecost.testing.Exporter.MINUTE;
import static com.cloudtuner.kubecost.testing.Exporter.always;
import static com.cloudtuner.kubecost.testing.Exporter.labels;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

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
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code explain} on one hour whose numbers are worked out by hand in the comments: an HA pair for
 * namespace web (replica b stops at 10:20), a NaN, three minutes with the exporter unhealthy, the
 * samples next to the hour's edges, and the cluster's totals for {@code __unallocated__}.
 */
@ExtendWith(RealServers.class)
class ExplainIT {

    private static final long H = Instant.parse("2025-10-13T10:00:00Z").toEpochMilli();
    private static final long FROM = H - HOUR;
    private static final long TO = H + 2 * HOUR;
    private static final LongPredicate DOWN = t -> t >= H + 10 * MINUTE && t < H + 13 * MINUTE; // 10:10..10:12

    private static TestDatabase db;
    private static List<String> servers;

    @BeforeAll
    static void load(TestDatabase database, PrometheusServer prometheus) {
        Exporter e = new Exporter();
        // health 5 s past the minute, so each cost sample 2 s later is judged by that minute's health
        e.gauge(ExporterMetric.EXPORTER_SCRAPE_SUCCESS, Map.of("tenant_id", "t", "cluster", "c"), FROM + 5_000, TO, MINUTE, always(),
                t -> DOWN.test(t) ? 0 : 1);
        Map<String, String> webA = labels("t", "c", "web", "prometheus_replica", "a");
        Map<String, String> webB = labels("t", "c", "web", "prometheus_replica", "b");
        e.gauge(ExporterMetric.NAMESPACE_TOTAL_COST, webA, FROM + 7_000, TO, MINUTE, always(),
                t -> minute(t) == 30 && t >= H && t < H + HOUR ? Double.NaN : minute(t) < 30 ? 2.0 : 4.0);
        e.gauge(ExporterMetric.NAMESPACE_TOTAL_COST, webB, FROM + 37_000, H + 20 * MINUTE, MINUTE, always(), t -> 3.0);
        e.gauge(ExporterMetric.NAMESPACE_CPU_COST, webA, FROM + 7_000, TO, MINUTE, always(), t -> 1.0);
        e.gauge(ExporterMetric.NAMESPACE_RAM_COST, webA, FROM + 7_000, TO, MINUTE, always(), t -> 0.5);
        e.gauge(ExporterMetric.NAMESPACE_PV_COST, webA, FROM + 7_000, TO, MINUTE, always(), t -> 0.25);
        e.gauge(ExporterMetric.NAMESPACE_CPU_EFFICIENCY, webA, FROM + 7_000, TO, MINUTE, always(), t -> minute(t) < 30 ? 0.5 : 0.7);
        Map<String, String> batch = labels("t", "c", "batch", "prometheus_replica", "a");
        e.gauge(ExporterMetric.NAMESPACE_TOTAL_COST, batch, FROM + 7_000, TO, MINUTE, always(), t -> 4.0);
        e.gauge(ExporterMetric.NAMESPACE_CPU_COST, batch, FROM + 7_000, TO, MINUTE, always(), t -> 2.0);
        e.gauge(ExporterMetric.NAMESPACE_RAM_COST, batch, FROM + 7_000, TO, MINUTE, always(), t -> 1.5);
        e.gauge(ExporterMetric.NAMESPACE_PV_COST, batch, FROM + 7_000, TO, MINUTE, always(), t -> 0.5);
        Map<String, String> cluster = labels("t", "c", null, "prometheus_replica", "a");
        double[] totals = {10, 6, 3, 0.5, 0.3, 0.2};
        ExporterMetric[] metrics = {ExporterMetric.CLUSTER_TOTAL_COST, ExporterMetric.CLUSTER_CPU_COST, ExporterMetric.CLUSTER_RAM_COST,
                ExporterMetric.CLUSTER_PV_COST, ExporterMetric.CLUSTER_NETWORK_COST, ExporterMetric.CLUSTER_LB_COST};
        for (int i = 0; i < metrics.length; i++) {
            double v = totals[i];
            e.gauge(metrics[i], cluster, FROM + 7_000, TO, MINUTE, always(), t -> v);
        }
        prometheus.load(e.dataset());
        db = database;
        servers = Worker.serverArgs(database, prometheus.url());
        Worker.Result backfill = Worker.run(servers, "backfill", "--from=2025-10-13T10:00:00Z", "--to=2025-10-13T11:00:00Z");
        assertThat(backfill.exitCode()).as(backfill.toString()).isZero();
    }

    private static int minute(long t) {
        return (int) (Math.floorMod(t, HOUR) / MINUTE);
    }

    private static Worker.Result explain(String namespace, String... more) {
        String[] args = new String[5 + more.length];
        args[0] = "explain";
        args[1] = "--tenant=t";
        args[2] = "--cluster=c";
        args[3] = "--namespace=" + namespace;
        args[4] = "--hour=2025-10-13T10:00:00Z";
        System.arraycopy(more, 0, args, 5, more.length);
        return Worker.run(servers, args);
    }

    private static JsonNode explainJson(String namespace) {
        Worker.Result r = explain(namespace, "--json");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        return JsonMapper.builder().build().readTree(r.out());
    }

    // web, replica a: minutes 0..29 at 2, 30..59 at 4; NaN at 10:30; 10:10..10:12 dropped (health 0)
    //   counted: 27 x 2 = 54 and 29 x 4 = 116 -> 170 over 56 samples
    // web, replica b: 3 at minutes 0..19 of the hour; 10:10..10:12 dropped -> 17 x 3 = 51 over 17
    // pooled (rule 5): (170 + 51) / (56 + 17) = 221 / 73
    private static final double WEB_COST = 221.0 / 73;
    // coverage: the cluster is expected to bring 60 scrapes an hour (its health and cluster total series, 60 an
    // hour, the day's median); replica a's fullest cost series (cpu: no NaN) counts 57, replica b's 17: 57 / 60
    private static final double WEB_COVERAGE = 57.0 / 60;

    @Test
    void everySampleOfTheHourIsShownWithWhatTheRulesDidWithIt() {
        Worker.Result r = explain("web");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        List<String> lines = r.outLines();
        int a = lines.indexOf("  cloudtuner_kubecost_namespace_total_cost{prometheus_replica=a} currency USD");
        int b = lines.indexOf("  cloudtuner_kubecost_namespace_total_cost{prometheus_replica=b} currency USD");
        assertThat(a).as(r.out()).isNotNegative();
        assertThat(b).isGreaterThan(a);
        assertThat(lines.subList(a + 1, b)).extracting(String::strip).containsExactly(
                "09:59:07                1 x 4            outside the hour (rule 1: it belongs to the hour of 2025-10-13T09:00:00Z)",
                "10:00:07 .. 10:09:07   10 x 2            counted",
                "10:10:07 .. 10:12:07    3 x 2            dropped: exporter unhealthy (rule 2: exporter_scrape_success 0 at 10:10:05 .."
                        + " 10:12:05, at most 5m before)",
                "10:13:07 .. 10:29:07   17 x 2            counted",
                "10:30:07                1 x NaN          dropped: not a finite value (rule 2)",
                "10:31:07 .. 10:59:07   29 x 4            counted",
                "11:00:07                1 x 2            outside the hour (rule 1: it belongs to the hour of 2025-10-13T11:00:00Z)");
        assertThat(lines.subList(b + 1, b + 4)).extracting(String::strip).containsExactly(
                "09:59:37                1 x 3            outside the hour (rule 1: it belongs to the hour of 2025-10-13T09:00:00Z)",
                "10:00:37 .. 10:09:37   10 x 3            counted",
                "10:10:37 .. 10:12:37    3 x 3            dropped: exporter unhealthy (rule 2: exporter_scrape_success 0 at 10:10:05 .."
                        + " 10:12:05, at most 5m before)");
        // consecutive samples are shown together only while both their value and their verdict stay the same
        int efficiency = lines.indexOf("  cloudtuner_kubecost_namespace_cpu_efficiency{prometheus_replica=a} currency USD");
        assertThat(lines.subList(efficiency + 1, efficiency + 7)).extracting(String::strip).containsExactly(
                "09:59:07                1 x 0.7          outside the hour (rule 1: it belongs to the hour of 2025-10-13T09:00:00Z)",
                "10:00:07 .. 10:09:07   10 x 0.5          counted",
                "10:10:07 .. 10:12:07    3 x 0.5          dropped: exporter unhealthy (rule 2: exporter_scrape_success 0 at 10:10:05 .."
                        + " 10:12:05, at most 5m before)",
                "10:13:07 .. 10:29:07   17 x 0.5          counted",
                "10:30:07 .. 10:59:07   30 x 0.7          counted",
                "11:00:07                1 x 0.5          outside the hour (rule 1: it belongs to the hour of 2025-10-13T11:00:00Z)");
    }

    @Test
    void theFormulaShowsTheSumsAndCountsOfTheCountedSamplesReplicasPooled() {
        Worker.Result r = explain("web");
        assertThat(r.out()).contains("  cost             = (170 + 51) / (56 + 17) = " + String.format("%.8f", WEB_COST).substring(0, 9),
                // cpu, ram and pv: replica a only, 57 counted samples each (only the total had a NaN)
                "  cpu_cost         = 57 / 57 = 1\n",
                "  ram_cost         = 28.5 / 57 = 0.5\n",
                "  network_cost     = 0 (namespaces have none; the cluster's are in its __unallocated__ row)",
                // 27 x 0.5 + 30 x 0.7 = 34.5 over 57
                "  cpu_efficiency   = 34.5 / 57 = 0.6052631",
                "  ram_efficiency   = NULL (no counted sample)");
        JsonNode doc = explainJson("web");
        JsonNode cost = doc.get("formula").get(0);
        assertThat(cost.get("column").asString()).isEqualTo("cost");
        assertThat(cost.get("value").asDouble()).isCloseTo(WEB_COST, within(1e-12));
        assertThat(doc.get("formula").get(6).get("value").asDouble()).isCloseTo(34.5 / 57, within(1e-12));
    }

    @Test
    void coverageIsTheBestTargetsCountedSamplesOverItsExpectedScrapes() {
        JsonNode coverage = explainJson("web").get("coverage");
        assertThat(coverage.get("value").asDouble()).isCloseTo(WEB_COVERAGE, within(1e-12));
        assertThat(coverage.get("targets")).extracting(t -> t.get("replica").asString() + " " + t.get("counted").asInt() + " "
                + t.get("expected").asInt() + " " + t.get("day_median").asInt() + " " + t.get("busiest_series").asInt())
                .containsExactly("prometheus_replica=a 57 60 60 60", "prometheus_replica=b 17 60 60 60");
        assertThat(explain("web").out()).contains("coverage = 0.95 (rule 3)");
    }

    @Test
    void unallocatedIsTheClusterTotalMinusEachNamespace() {
        Worker.Result r = explain("__unallocated__");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        // cpu 6 - (1 + 2); ram 3 - (0.5 + 1.5); pv 0.5 - (0.25 + 0.5); network and lb are the cluster's
        assertThat(r.out()).contains("__unallocated__ = the cluster's total minus its namespaces' (rule 6):",
                "  cost             = 10 - (batch 4 + web 3.02739726",
                "  cpu_cost         = 6 - (batch 2 + web 1) = 3\n",
                "  ram_cost         = 3 - (batch 1.5 + web 0.5) = 1\n",
                "  pv_cost          = 0.5 - (batch 0.5 + web 0.25) = -0.25\n",
                "  network_cost     = 0.3 (namespaces have none) = 0.3\n");
        JsonNode doc = explainJson("__unallocated__");
        assertThat(doc.get("fresh").get("cost").asDouble()).isCloseTo(10 - 4 - WEB_COST, within(1e-12));
        // the cluster's series lost 10:10..10:12 only (health 0): 57 of the target's 60 scrapes
        assertThat(doc.get("fresh").get("coverage").asDouble()).isCloseTo(57.0 / 60, within(1e-12));
        assertThat(doc.get("unallocated").get("namespaces")).extracting(n -> n.get("namespace").asString()).containsExactly("batch", "web");
    }

    @Test
    void theStoredRowMatchesAFreshComputationAfterABackfill() {
        Worker.Result r = explain("web");
        assertThat(r.out()).contains("verdict: matches a fresh computation");
        JsonNode doc = explainJson("web");
        assertThat(doc.get("verdict").asString()).isEqualTo("matches");
        assertThat(doc.get("stored").get("cost").asDouble()).isCloseTo(WEB_COST, within(1e-9));
    }

    @Test
    void aStoredRowThatDiffersIsStaleWithTheBackfillThatRecomputesIt() {
        // a newer version of batch's row with another cost, as an older computation could have left it
        db.execute("INSERT INTO k8s_expenses SELECT cloud_account_id, cluster, namespace, resource_id, hour, currency, 9, cpu_cost,"
                + " ram_cost, pv_cost, network_cost, lb_cost, cpu_efficiency, ram_efficiency, total_efficiency, coverage, 0,"
                + " version + 1, computed_at FROM k8s_expenses_current WHERE namespace = 'batch'");
        Worker.Result r = explain("batch");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.outLines()).anySatisfy(l -> assertThat(l).startsWith("verdict: stale (cost stored 9 vs fresh 4), recompute with: java -jar ")
                .endsWith(" backfill --from=2025-10-13T10:00:00Z --to=2025-10-13T11:00:00Z --tenant=t"));
        Worker.Result backfill = Worker.run(servers, "backfill", "--from=2025-10-13T10:00:00Z", "--to=2025-10-13T11:00:00Z", "--tenant=t");
        assertThat(backfill.exitCode()).as(backfill.toString()).isZero();
        assertThat(explain("batch").out()).contains("verdict: matches a fresh computation");
    }

    @Test
    void anHourWithoutSamplesOrRowsHasNothingToExplain() {
        Worker.Result r = Worker.run(servers, "explain", "--tenant=t", "--cluster=c", "--namespace=web", "--hour=2025-10-12T10:00:00Z");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("verdict: no row stored and none to compute");
    }

    @Test
    void anInvalidTenantIdIsBadInput() {
        Worker.Result r = Worker.run(servers, "explain", "--tenant=a b", "--cluster=c", "--namespace=web", "--hour=2025-10-13T10:00:00Z");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("does not match worker.tenant-pattern");
    }

    @Test
    void aThanosThatFailsIsExitOne() {
        Worker.Result r = Worker.run(Worker.withOption(servers, "thanos.url", "http://127.0.0.1:9"), "explain", "--tenant=t",
                "--cluster=c", "--namespace=web", "--hour=2025-10-13T10:00:00Z", "--thanos.retries=0");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("kubecost-worker: explain: Thanos failed");
        assertThat(r.out()).isEmpty();
    }
}
