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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * The aggregated read (hourly sums from the store, raw samples only where they cannot settle a
 * cluster-hour) gives the rows the raw read gives, on {@link FaultScenario}'s every fault, on
 * Prometheus (closed range selectors) and VictoriaMetrics (left-open ones): costs and efficiencies
 * within 1e-9 relative, coverage within 0.01.
 */
@ExtendWith(RealServers.class)
class ReadModeEqualityIT {

    private static final String[] FIGURES = {"cost", "cpu_cost", "ram_cost", "pv_cost", "network_cost", "lb_cost",
            "cpu_efficiency", "ram_efficiency", "total_efficiency"};
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

    private static void assertSameRows(TestDatabase db, MetricsStore store) {
        List<String> servers = Worker.serverArgs(db, store.url());
        Snapshot raw = backfill(db, servers, "raw");
        Snapshot aggregated = backfill(db, servers, "aggregated");

        assertThat(raw.expenses).as("rows on " + store.engine()).isNotEmpty();
        assertThat(aggregated.expenses.keySet()).as(store.engine()).containsExactlyElementsOf(raw.expenses.keySet());
        assertThat(aggregated.clusters.keySet()).as(store.engine()).containsExactlyElementsOf(raw.clusters.keySet());
        raw.expenses.forEach((key, want) -> assertSameFigures(store.engine() + " " + key, want, aggregated.expenses.get(key)));
        raw.clusters.forEach((key, want) -> assertSameFigures(store.engine() + " cluster " + key, want, aggregated.clusters.get(key)));
        // the scenario's features made it into the rows
        assertThat(raw.expenses).containsKey("team.a|prod|ns0|0").containsKey("teamxa|prod|ns0|0")
                .containsKey("fast|c1|newcomer|7").doesNotContainKey("fast|c1|newcomer|6")
                .containsKey("nohealth|c1|once|15").containsKey("nohealth|c1|twice|16")
                .doesNotContainKey("nohealth|c1|ns0|12").containsKey("money|c1|__unallocated__|24")
                .doesNotContainKey("money|c1|__unallocated__|9");
        assertThat(raw.expenses.get("team.a|prod|ns0|0").get("cost").asDouble())
                .isNotEqualTo(raw.expenses.get("teamxa|prod|ns0|0").get("cost").asDouble());
        assertThat(raw.expenses.get("ha|c1|ns0|3").get("coverage").asDouble()).isBetween(0.6, 0.7); // 40 of 60 minutes
    }

    private static void assertSameFigures(String what, JsonNode want, JsonNode got) {
        for (String column : FIGURES) {
            JsonNode w = want.get(column);
            JsonNode g = got.get(column);
            if (w.isNull() || g.isNull()) {
                assertThat(g.isNull()).as(what + " " + column + " null").isEqualTo(w.isNull());
            } else {
                double a = w.asDouble();
                double b = g.asDouble();
                assertThat(Math.abs(a - b)).as(what + " " + column + ": raw " + a + ", aggregated " + b)
                        .isLessThanOrEqualTo(1e-9 * Math.max(1.0, Math.abs(a)));
            }
        }
        assertThat(g(got, "coverage")).as(what + " coverage").isCloseTo(g(want, "coverage"),
                org.assertj.core.api.Assertions.within(0.01));
        assertThat(got.get("currency").asString()).as(what).isEqualTo(want.get("currency").asString());
    }

    private static double g(JsonNode row, String column) {
        return row.get(column).asDouble();
    }

    private record Snapshot(Map<String, JsonNode> expenses, Map<String, JsonNode> clusters) {
    }

    private static Snapshot backfill(TestDatabase db, List<String> servers, String mode) {
        db.recreate();
        Worker.Result r = Worker.run(servers, append(BACKFILL, "--worker.read-mode=" + mode));
        // money's currencies contradict each other in hour 9: its first day fails in both modes, all else succeeds
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.out()).as(r.toString()).contains(FaultScenario.TENANTS.size() - 1 + " tenants succeeded, 1 failed");
        assertThat(r.err()).contains("tenant " + FaultScenario.FAILING_TENANT + " failed").contains("EUR");
        Map<String, JsonNode> expenses = new TreeMap<>();
        for (JsonNode row : db.query("SELECT *, toUnixTimestamp(hour) AS h FROM k8s_expenses_current")) {
            expenses.put(key(row, row.get("namespace").asString()), row);
        }
        Map<String, JsonNode> clusters = new TreeMap<>();
        for (JsonNode row : db.query("SELECT *, toUnixTimestamp(hour) AS h FROM k8s_cluster_expenses_current")) {
            clusters.put(key(row, ""), row);
        }
        return new Snapshot(expenses, clusters);
    }

    private static String key(JsonNode row, String namespace) {
        long hour = (row.get("h").asLong() * 1000 - FaultScenario.D0) / 3_600_000L;
        return row.get("cloud_account_id").asString() + "|" + row.get("cluster").asString() + "|" + namespace + "|" + hour;
    }

    private static String[] append(String[] args, String more) {
        String[] all = java.util.Arrays.copyOf(args, args.length + 1);
        all[args.length] = more;
        return all;
    }
}
