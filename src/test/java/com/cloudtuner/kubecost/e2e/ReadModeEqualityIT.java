package com.cloudtuner.kubecost.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.cloudtuner.kubecost.testing.MetricsStore;
import com.cloudtuner.kubecost.testing.PrometheusServer;
import com.cloudtuner.kubecost.testing.RealServers;
import com.cloudtuner.kubecost.testing.TestDatabase;
import com.cloudtuner.kubecost.testing.VictoriaMetricsServer;
import com.cloudtuner.kubecost.testing.Worker;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The aggregated read (hourly sums from the store, raw samples only where they cannot settle a
 * cluster-hour) gives the rows the raw read gives, on {@link FaultScenario}'s every fault, on
 * Prometheus (closed range selectors) and VictoriaMetrics (left-open ones): costs and efficiencies
 * within 1e-9 relative, coverage within 0.01.
 */
@ExtendWith(RealServers.class)
class ReadModeEqualityIT {

    private static final String[] BACKFILL = {"backfill", "--from=2025-10-13T00:00:00Z", "--to=2025-10-14T06:00:00Z",
            "--worker.tenant-pattern=[a-z][a-z.-]*"};

    @BeforeAll
    static void load(PrometheusServer prometheus, VictoriaMetricsServer victoria) {
        var data = FaultScenario.generate().dataset();
        prometheus.load(data);
        victoria.load(data);
    }

    @Test
    void onPrometheusBothReadsGiveTheSameRows(TestDatabase db, PrometheusServer prometheus) {
        assertSameRows(db, prometheus);
    }

    @Test
    void onVictoriaMetricsBothReadsGiveTheSameRows(TestDatabase db, VictoriaMetricsServer victoria) {
        assertSameRows(db, victoria);
    }

    @Test
    void onPrometheusRerunningAnyWindowChangesNoRow(TestDatabase db, PrometheusServer prometheus) {
        assertReRunsChangeNothing(db, prometheus);
    }

    @Test
    void onVictoriaMetricsRerunningAnyWindowChangesNoRow(TestDatabase db, VictoriaMetricsServer victoria) {
        assertReRunsChangeNothing(db, victoria);
    }

    /**
     * After one backfill, the same data read again in other windows and modes change no row: one-hour
     * chunks, raw samples, the last hours alone, and the hourly run; gaps finds nothing to do but the
     * refused hour, and explain finds a jittered hour's stored row to match.
     */
    private static void assertReRunsChangeNothing(TestDatabase db, MetricsStore store) {
        List<String> servers = Worker.serverArgs(db, store.url());
        backfill(db, servers, "aggregated");
        List<String[]> reruns = List.of(append(BACKFILL, "--worker.chunk-hours=1"), append(BACKFILL, "--worker.read-mode=raw"),
                new String[] {"backfill", "--from=2025-10-14T03:00:00Z", "--to=2025-10-14T06:00:00Z",
                        "--worker.tenant-pattern=[a-z][a-z.-]*"},
                new String[] {"hourly", "--now=2025-10-14T06:10:00Z", "--worker.tenant-pattern=[a-z][a-z.-]*"});
        for (String[] rerun : reruns) {
            Worker.Result r = Worker.run(servers, rerun);
            long changed = db.query("SELECT sum(rows_changed) + sum(rows_tombstoned) AS n FROM k8s_expenses_runs WHERE run_id = '"
                    + r.runId() + "'").get(0).get("n").asLong();
            assertThat(changed).as(store.engine() + " " + String.join(" ", rerun) + "\n" + r).isZero();
            // every tenant ran and succeeded (money's refused hour 9 only where the window holds it)
            Map<String, String> statuses = statuses(db, r.runId());
            assertThat(statuses).as(String.join(" ", rerun)).hasSize(FaultScenario.TENANTS.size());
            statuses.forEach((t, st) -> {
                if (!t.equals(FaultScenario.FAILING_TENANT)) {
                    assertThat(st).as(t + " " + String.join(" ", rerun)).isEqualTo("succeeded 0");
                }
            });
        }
        Worker.Result gaps = Worker.run(servers, "gaps", "--from=2025-10-13T00:00:00Z", "--to=2025-10-14T06:00:00Z", "--json",
                "--worker.tenant-pattern=[a-z][a-z.-]*", "--min-coverage=0");
        List<String> ranges = new java.util.ArrayList<>();
        tools.jackson.databind.json.JsonMapper.builder().build().readTree(gaps.out()).get("ranges")
                .forEach(x -> ranges.add(x.get("kind").asString() + " " + x.get("tenant").asString() + " " + x.get("from").asString()));
        assertThat(ranges).as(store.engine() + "\n" + gaps).containsExactly("refused money 2025-10-13T09:00:00Z");
        Worker.Result explain = Worker.run(servers, "explain", "--tenant=jitter", "--cluster=c2", "--namespace=ns0",
                "--hour=2025-10-13T05:00:00Z", "--json");
        assertThat(tools.jackson.databind.json.JsonMapper.builder().build().readTree(explain.out()).get("verdict").asString())
                .as(explain.toString()).isEqualTo("matches");
    }

    private static void assertSameRows(TestDatabase db, MetricsStore store) {
        List<String> servers = Worker.serverArgs(db, store.url());
        ViewSnapshot raw = backfill(db, servers, "raw");
        Map<String, String> rawSamples = sampleCounts(db);
        ViewSnapshot aggregated = backfill(db, servers, "aggregated");

        // both count the samples they drop as not finite and the negative cost samples they use alike
        assertThat(sampleCounts(db)).as(store.engine()).isEqualTo(rawSamples);
        // restart: NaN in 3 minutes, +Inf in 1, +Inf and -Inf in 2, each in its total and cpu series (VictoriaMetrics
        // drops NaN on import); fast: "credit" is negative in all 7,200 scrapes of 30 hours, in both series
        assertThat(rawSamples).containsEntry("restart", (store.engine().equals("VictoriaMetrics") ? 6 : 12) + " 0")
                .containsEntry("fast", "0 14400").containsEntry("acme", "0 0");

        assertThat(raw.expenses()).as("rows on " + store.engine()).isNotEmpty();
        aggregated.assertSameRowsAs(raw, store.engine());
        // the scenario's features made it into the rows
        assertThat(raw.expenses()).containsKey(key("team.a", "prod", "ns0", 0)).containsKey(key("teamxa", "prod", "ns0", 0))
                .containsKey(key("fast", "c1", "newcomer", 7)).doesNotContainKey(key("fast", "c1", "newcomer", 6))
                .containsKey(key("nohealth", "c1", "once", 15)).containsKey(key("nohealth", "c1", "twice", 16))
                .doesNotContainKey(key("nohealth", "c1", "ns0", 12)).containsKey(key("money", "c1", "__unallocated__", 24))
                .doesNotContainKey(key("money", "c1", "__unallocated__", 9));
        assertThat(raw.expenses().get(key("team.a", "prod", "ns0", 0)).get("cost").asDouble())
                .isNotEqualTo(raw.expenses().get(key("teamxa", "prod", "ns0", 0)).get("cost").asDouble());
        assertThat(raw.expenses().get(key("ha", "c1", "ns0", 3)).get("coverage").asDouble()).isBetween(0.6, 0.7); // 40 of 60 minutes
    }

    /** Per tenant, "non-finite negative" samples as the ledger has them, summed over the run's rows. */
    private static Map<String, String> sampleCounts(TestDatabase db) {
        Map<String, String> counts = new TreeMap<>();
        for (JsonNode r : db.query("SELECT cloud_account_id, sum(non_finite_samples) AS n, sum(negative_cost_samples) AS m"
                + " FROM k8s_expenses_runs GROUP BY cloud_account_id")) {
            counts.put(r.get("cloud_account_id").asString(), r.get("n").asLong() + " " + r.get("m").asLong());
        }
        return counts;
    }

    private static String key(String tenant, String cluster, String namespace, int hour) {
        return tenant + "|" + cluster + "|" + namespace + "|" + (FaultScenario.START.getEpochSecond() + hour * 3600L);
    }

    private static ViewSnapshot backfill(TestDatabase db, List<String> servers, String mode) {
        db.recreate();
        Worker.Result r = Worker.run(servers, append(BACKFILL, "--worker.read-mode=" + mode));
        // money's currencies contradict each other in hour 9: that cluster-hour is refused in both modes, all else written
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(statuses(db, r.runId())).containsEntry(FaultScenario.FAILING_TENANT, "partial 1")
                .containsEntry("acme", "succeeded 0").hasSize(FaultScenario.TENANTS.size());
        assertThat(statuses(db, r.runId()).values()).filteredOn(v -> !v.equals("succeeded 0")).hasSize(1);
        return ViewSnapshot.of(db);
    }

    /** Per tenant of the run, "status refused_cluster_hours" from the ledger. */
    private static Map<String, String> statuses(TestDatabase db, String runId) {
        Map<String, String> out = new TreeMap<>();
        for (JsonNode r : db.query("SELECT cloud_account_id, status, refused_cluster_hours FROM k8s_expenses_runs WHERE run_id = '"
                + runId + "'")) {
            out.put(r.get("cloud_account_id").asString(), r.get("status").asString() + " " + r.get("refused_cluster_hours").asLong());
        }
        return out;
    }

    private static String[] append(String[] args, String more) {
        String[] all = java.util.Arrays.copyOf(args, args.length + 1);
        all[args.length] = more;
        return all;
    }
}
