package com.cloudtuner.kubecost.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.cloudtuner.kubecost.testing.TestDatabase;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;

/**
 * What {@code k8s_expenses_current} and {@code k8s_cluster_expenses_current} show, keyed by
 * tenant, cluster, namespace and hour, and the comparison of two such snapshots by the tolerances
 * the read modes promise: costs and efficiencies within 1e-9 relative, coverage within 0.01.
 */
record ViewSnapshot(Map<String, JsonNode> expenses, Map<String, JsonNode> clusters) {

    private static final String[] FIGURES = {"cost", "cpu_cost", "ram_cost", "pv_cost", "network_cost", "lb_cost",
            "cpu_efficiency", "ram_efficiency", "total_efficiency"};

    static ViewSnapshot of(TestDatabase db) {
        Map<String, JsonNode> expenses = new TreeMap<>();
        for (JsonNode row : db.query("SELECT *, toUnixTimestamp(hour) AS h FROM k8s_expenses_current")) {
            expenses.put(key(row, row.get("namespace").asString()), row);
        }
        Map<String, JsonNode> clusters = new TreeMap<>();
        for (JsonNode row : db.query("SELECT *, toUnixTimestamp(hour) AS h FROM k8s_cluster_expenses_current")) {
            clusters.put(key(row, ""), row);
        }
        return new ViewSnapshot(expenses, clusters);
    }

    /** "tenant|cluster|namespace|unix seconds of the hour". */
    static String key(JsonNode row, String namespace) {
        return row.get("cloud_account_id").asString() + "|" + row.get("cluster").asString() + "|" + namespace + "|"
                + row.get("h").asLong();
    }

    /** The same keys, and every row the same within the tolerances. */
    void assertSameRowsAs(ViewSnapshot want, String what) {
        assertThat(expenses.keySet()).as(what).containsExactlyElementsOf(want.expenses.keySet());
        assertThat(clusters.keySet()).as(what).containsExactlyElementsOf(want.clusters.keySet());
        want.expenses.forEach((key, row) -> assertSameFigures(what + " " + key, row, expenses.get(key)));
        want.clusters.forEach((key, row) -> assertSameFigures(what + " cluster " + key, row, clusters.get(key)));
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
                assertThat(Math.abs(a - b)).as(what + " " + column + ": " + a + " and " + b)
                        .isLessThanOrEqualTo(1e-9 * Math.max(1.0, Math.abs(a)));
            }
        }
        assertThat(got.get("coverage").asDouble()).as(what + " coverage").isCloseTo(want.get("coverage").asDouble(), within(0.01));
        assertThat(got.get("currency").asString()).as(what).isEqualTo(want.get("currency").asString());
    }
}
