package com.cloudtuner.kubecost.diagnose;

import static com.cloudtuner.kubecost.testing.Exporter.HOUR;
import static com.cloudtuner.kubecost.testing.Exporter.MINUTE;
import static com.cloudtuner.kubecost.testing.Exporter.always;
import static com.cloudtuner.kubecost.testing.Exporter.labels;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.cloudtuner.kubecost.cli.ExitCodes;
import com.cloudtuner.kubecost.cost.ExporterMetric;
import com.cloudtuner.kubecost.testing.Exporter;
import com.cloudtuner.kubecost.testing.PrometheusServer;
import com.cloudtuner.kubecost.testing.RealServers;
import com.cloudtuner.kubecost.testing.TestDatabase;
import com.cloudtuner.kubecost.testing.Worker;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
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

    /** The explanation's series of this family and scrape target. */
    private static JsonNode series(JsonNode doc, ExporterMetric metric, String replica) {
        for (JsonNode s : doc.get("series")) {
            if (s.get("metric").asString().equals(metric.metricName(Exporter.PREFIX)) && s.get("replica").asString().equals(replica)) {
                return s;
            }
        }
        throw new AssertionError("no series " + metric + " " + replica + " in:\n" + doc);
    }

    /** Consecutive shown samples with the same value and verdict, and the health samples that vetoed them. */
    private record Run(String first, String last, int count, String value, String verdict, String vetoFirst, String vetoLast) {

        /** {@code 10:00:07..10:09:07 10 x 2.0 counted}, with {@code vetoed by 10:10:05..10:12:05} for a veto. */
        @Override
        public String toString() {
            return span(first, last, "..") + " " + count + " x " + value + " " + verdict
                    + (vetoFirst == null ? "" : " vetoed by " + span(vetoFirst, vetoLast, ".."));
        }

        /** How the text's line of the run begins: {@code 10:00:07 .. 10:09:07 10}. */
        String textStart() {
            return span(first, last, " .. ") + " " + count;
        }

        private static String span(String a, String b, String between) {
            return a.equals(b) ? a : a + between + b;
        }
    }

    private static String clock(JsonNode instant) {
        return instant == null ? null : instant.asString().substring(11, 19);
    }

    private static List<Run> runs(JsonNode series) {
        List<Run> runs = new ArrayList<>();
        for (JsonNode sample : series.get("samples")) {
            JsonNode v = sample.get("value");
            String value = v.isNumber() ? Double.toString(v.asDouble()) : v.asString();
            String verdict = sample.get("verdict").asString();
            String t = clock(sample.get("t"));
            String veto = clock(sample.get("vetoed_by"));
            Run last = runs.isEmpty() ? null : runs.get(runs.size() - 1);
            if (last != null && last.value().equals(value) && last.verdict().equals(verdict)) {
                runs.set(runs.size() - 1, new Run(last.first(), t, last.count() + 1, value, verdict, last.vetoFirst(), veto));
            } else {
                runs.add(new Run(t, t, 1, value, verdict, veto, veto));
            }
        }
        return runs;
    }

    /** In the text, how the lines below the series' heading begin (their times and sample counts). */
    private static List<String> textRunStarts(List<String> lines, ExporterMetric metric, String replica) {
        String heading = "  " + metric.metricName(Exporter.PREFIX) + "{" + replica + "}";
        int at = -1;
        for (int i = 0; i < lines.size() && at < 0; i++) {
            if (lines.get(i).equals(heading) || lines.get(i).startsWith(heading + " ")) {
                at = i;
            }
        }
        assertThat(at).as("heading " + heading + " in:\n" + String.join("\n", lines)).isNotNegative();
        List<String> starts = new ArrayList<>();
        for (int i = at + 1; i < lines.size() && lines.get(i).startsWith("    "); i++) {
            String line = lines.get(i).strip().replaceAll("\\s+", " ");
            starts.add(line.substring(0, line.indexOf(" x ")));
        }
        return starts;
    }

    /** A formula's terms: per series with counted samples, its target, the sum and the number of those samples. */
    private static List<String> terms(JsonNode formula) {
        List<String> out = new ArrayList<>();
        for (JsonNode t : formula.get("terms")) {
            out.add(String.format(Locale.ROOT, "%s %.6f / %d", t.get("replica").asString(), t.get("sum").asDouble(),
                    t.get("counted").asInt()));
        }
        return out;
    }

    private static JsonNode column(JsonNode formula, String column) {
        for (JsonNode f : formula) {
            if (f.get("column").asString().equals(column)) {
                return f;
            }
        }
        throw new AssertionError("no column " + column + " in " + formula);
    }

    private static final String A = "prometheus_replica=a";
    private static final String B = "prometheus_replica=b";

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
        JsonNode doc = explainJson("web");
        JsonNode a = series(doc, ExporterMetric.NAMESPACE_TOTAL_COST, A);
        JsonNode b = series(doc, ExporterMetric.NAMESPACE_TOTAL_COST, B);
        assertThat(a.get("currency").asString()).isEqualTo("USD");
        // the hour's samples and the nearest on either side; health 0 at 10:10:05..10:12:05 vetoes the samples 2 s later
        assertThat(runs(a)).extracting(Run::toString).containsExactly(
                "09:59:07 1 x 4.0 outside_window",
                "10:00:07..10:09:07 10 x 2.0 counted",
                "10:10:07..10:12:07 3 x 2.0 exporter_unhealthy vetoed by 10:10:05..10:12:05",
                "10:13:07..10:29:07 17 x 2.0 counted",
                "10:30:07 1 x NaN not_finite",
                "10:31:07..10:59:07 29 x 4.0 counted",
                "11:00:07 1 x 2.0 outside_window");
        // b stops at 10:20: its last sample is the last shown
        assertThat(runs(b)).extracting(Run::toString).containsExactly(
                "09:59:37 1 x 3.0 outside_window",
                "10:00:37..10:09:37 10 x 3.0 counted",
                "10:10:37..10:12:37 3 x 3.0 exporter_unhealthy vetoed by 10:10:05..10:12:05",
                "10:13:37..10:19:37 7 x 3.0 counted");
        JsonNode efficiency = series(doc, ExporterMetric.NAMESPACE_CPU_EFFICIENCY, A);
        assertThat(runs(efficiency)).extracting(Run::toString).containsExactly(
                "09:59:07 1 x 0.7 outside_window",
                "10:00:07..10:09:07 10 x 0.5 counted",
                "10:10:07..10:12:07 3 x 0.5 exporter_unhealthy vetoed by 10:10:05..10:12:05",
                "10:13:07..10:29:07 17 x 0.5 counted",
                "10:30:07..10:59:07 30 x 0.7 counted",
                "11:00:07 1 x 0.5 outside_window");

        // the text shows one line per such run: consecutive samples together only while value and verdict stay the same
        Worker.Result r = explain("web");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        for (JsonNode s : List.of(a, b, efficiency)) {
            ExporterMetric metric = s == efficiency ? ExporterMetric.NAMESPACE_CPU_EFFICIENCY : ExporterMetric.NAMESPACE_TOTAL_COST;
            assertThat(textRunStarts(r.outLines(), metric, s.get("replica").asString()))
                    .containsExactlyElementsOf(runs(s).stream().map(Run::textStart).toList());
        }
    }

    @Test
    void theFormulaShowsTheSumsAndCountsOfTheCountedSamplesReplicasPooled() {
        JsonNode formula = explainJson("web").get("formula");
        assertThat(formula).extracting(f -> f.get("column").asString()).containsExactly("cost", "cpu_cost", "ram_cost", "pv_cost",
                "network_cost", "lb_cost", "cpu_efficiency", "ram_efficiency", "total_efficiency");
        assertThat(terms(column(formula, "cost"))).containsExactly(A + " 170.000000 / 56", B + " 51.000000 / 17");
        assertThat(column(formula, "cost").get("value").asDouble()).isCloseTo(WEB_COST, within(1e-12));
        // cpu, ram and pv: replica a only, 57 counted samples each (only the total had a NaN)
        assertThat(terms(column(formula, "cpu_cost"))).containsExactly(A + " 57.000000 / 57");
        assertThat(column(formula, "cpu_cost").get("value").asDouble()).isCloseTo(1, within(1e-12));
        assertThat(terms(column(formula, "ram_cost"))).containsExactly(A + " 28.500000 / 57");
        assertThat(column(formula, "ram_cost").get("value").asDouble()).isCloseTo(0.5, within(1e-12));
        assertThat(terms(column(formula, "pv_cost"))).containsExactly(A + " 14.250000 / 57");
        // namespaces have no network or load balancer costs: 0, from no series
        assertThat(terms(column(formula, "network_cost"))).isEmpty();
        assertThat(column(formula, "network_cost").get("value").asDouble()).isZero();
        // 27 x 0.5 + 30 x 0.7 = 34.5 over 57
        assertThat(terms(column(formula, "cpu_efficiency"))).containsExactly(A + " 34.500000 / 57");
        assertThat(column(formula, "cpu_efficiency").get("value").asDouble()).isCloseTo(34.5 / 57, within(1e-12));
        // no ram efficiency series: NULL
        assertThat(terms(column(formula, "ram_efficiency"))).isEmpty();
        assertThat(column(formula, "ram_efficiency").get("value").isNull()).isTrue();
    }

    @Test
    void coverageIsTheBestTargetsCountedSamplesOverItsExpectedScrapes() {
        JsonNode doc = explainJson("web");
        JsonNode coverage = doc.get("coverage");
        assertThat(coverage.get("value").asDouble()).isCloseTo(WEB_COVERAGE, within(1e-12));
        assertThat(coverage.get("targets")).extracting(t -> t.get("replica").asString() + " " + t.get("counted").asInt() + " "
                + t.get("expected").asInt() + " " + t.get("day_median").asInt() + " " + t.get("busiest_series").asInt())
                .containsExactly("prometheus_replica=a 57 60 60 60", "prometheus_replica=b 17 60 60 60");
        assertThat(doc.get("fresh").get("coverage").asDouble()).isCloseTo(WEB_COVERAGE, within(1e-12));
    }

    @Test
    void unallocatedIsTheClusterTotalMinusEachNamespace() {
        JsonNode doc = explainJson("__unallocated__");
        // the cluster's own series: 57 counted samples of each (10:10..10:12 dropped)
        assertThat(doc.get("formula")).isNull();
        assertThat(terms(column(doc.get("cluster_formula"), "cost"))).containsExactly(A + " 570.000000 / 57");
        assertThat(costs(doc.get("unallocated").get("cluster"))).containsExactlyElementsOf(rounded(10, 6, 3, 0.5, 0.3, 0.2));
        assertThat(doc.get("unallocated").get("namespaces")).extracting(n -> n.get("namespace").asString()).containsExactly("batch", "web");
        assertThat(costs(doc.get("unallocated").get("namespaces").get(0))).containsExactlyElementsOf(rounded(4, 2, 1.5, 0.5, 0, 0));
        assertThat(costs(doc.get("unallocated").get("namespaces").get(1))).containsExactlyElementsOf(rounded(WEB_COST, 1, 0.5, 0.25, 0, 0));
        // cost 10 - (4 + 221/73); cpu 6 - (2 + 1); ram 3 - (1.5 + 0.5); pv 0.5 - (0.5 + 0.25); network and lb are the cluster's
        assertThat(costs(doc.get("fresh"))).containsExactlyElementsOf(rounded(10 - 4 - WEB_COST, 3, 1, -0.25, 0.3, 0.2));
        // the cluster's series lost 10:10..10:12 only (health 0): 57 of the target's 60 scrapes
        assertThat(doc.get("fresh").get("coverage").asDouble()).isCloseTo(57.0 / 60, within(1e-12));
    }

    /** A row's cost columns, cost to lb_cost, rounded to 1e-9 so that sums compare with hand arithmetic. */
    private static List<Double> costs(JsonNode row) {
        return List.of("cost", "cpu_cost", "ram_cost", "pv_cost", "network_cost", "lb_cost").stream()
                .map(c -> rounded(row.get(c).asDouble())).toList();
    }

    private static List<Double> rounded(double... values) {
        return Arrays.stream(values).map(ExplainIT::rounded).boxed().toList();
    }

    private static double rounded(double v) {
        return Math.round(v * 1e9) / 1e9;
    }

    @Test
    void theStoredRowMatchesAFreshComputationAfterABackfill() {
        JsonNode doc = explainJson("web");
        assertThat(doc.get("verdict").asString()).isEqualTo("matches");
        assertThat(doc.get("stored").get("cost").asDouble()).isCloseTo(WEB_COST, within(1e-9));
        assertThat(doc.get("differences")).isEmpty();
        assertThat(doc.get("recompute").isNull()).isTrue();
    }

    @Test
    void aStoredRowThatDiffersIsStaleWithTheBackfillThatRecomputesIt() {
        // a newer version of batch's row with another cost, as an older computation could have left it
        db.execute("INSERT INTO k8s_expenses SELECT cloud_account_id, cluster, namespace, resource_id, hour, currency, 9, cpu_cost,"
                + " ram_cost, pv_cost, network_cost, lb_cost, cpu_efficiency, ram_efficiency, total_efficiency, coverage, 0,"
                + " version + 1, computed_at, provisional FROM k8s_expenses_current WHERE namespace = 'batch'");
        JsonNode doc = explainJson("batch");
        assertThat(doc.get("verdict").asString()).isEqualTo("stale");
        assertThat(doc.get("column_differences")).singleElement().satisfies(d -> {
            assertThat(d.get("column").asString()).isEqualTo("cost");
            assertThat(d.get("stored").asDouble()).isEqualTo(9.0);
            assertThat(d.get("fresh").asDouble()).isEqualTo(4.0);
        });
        // the jar's path is the running jar's, so only the arguments are fixed here
        assertThat(doc.get("recompute").asString()).startsWith("java -jar ")
                .endsWith(" backfill --from=2025-10-13T10:00:00Z --to=2025-10-13T11:00:00Z --tenant=t");
        Worker.Result backfill = Worker.run(servers, "backfill", "--from=2025-10-13T10:00:00Z", "--to=2025-10-13T11:00:00Z", "--tenant=t");
        assertThat(backfill.exitCode()).as(backfill.toString()).isZero();
        JsonNode after = explainJson("batch");
        assertThat(after.get("verdict").asString()).isEqualTo("matches");
        assertThat(after.get("column_differences")).isEmpty();
    }

    @Test
    void anHourWithoutSamplesOrRowsHasNothingToExplain() {
        Worker.Result r = Worker.run(servers, "explain", "--tenant=t", "--cluster=c", "--namespace=web", "--hour=2025-10-12T10:00:00Z",
                "--json");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        JsonNode doc = JsonMapper.builder().build().readTree(r.out());
        assertThat(doc.get("verdict").asString()).isEqualTo("nothing");
        assertThat(doc.get("series")).isEmpty();
        assertThat(doc.get("fresh").isNull()).isTrue();
        assertThat(doc.get("stored").isNull()).isTrue();
        assertThat(doc.get("recompute").isNull()).isTrue();
    }

    @Test
    void aNamespaceThatIsNotThereListsTheClustersNamespaces() {
        JsonNode doc = explainJson("webb");
        assertThat(doc.get("verdict").asString()).isEqualTo("nothing");
        // the loaded series are web and batch; the backfill stored both and the cluster's __unallocated__
        assertThat(doc.get("namespaces_in_cluster").valueStream().map(JsonNode::asString).toList())
                .containsExactly("__unallocated__", "batch", "web");
    }

    @Test
    void anInvalidTenantIdIsBadInput() {
        Worker.Result r = Worker.run(servers, "explain", "--tenant=a b", "--cluster=c", "--namespace=web", "--hour=2025-10-13T10:00:00Z",
                "--json");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("worker.tenant-pattern");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void aThanosThatFailsIsExitOne() {
        Worker.Result r = Worker.run(Worker.withOption(servers, "thanos.url", "http://127.0.0.1:9"), "explain", "--tenant=t",
                "--cluster=c", "--namespace=web", "--hour=2025-10-13T10:00:00Z", "--thanos.retries=0", "--json");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.FAILED);
        // nothing to explain: no document, and stderr says why
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isNotBlank();
    }
}
