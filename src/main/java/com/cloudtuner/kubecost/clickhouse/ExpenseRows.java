package com.cloudtuner.kubecost.clickhouse;

import com.cloudtuner.kubecost.cost.ClusterHour;
import com.cloudtuner.kubecost.cost.CostRow;
import com.cloudtuner.kubecost.cost.Costs;
import com.cloudtuner.kubecost.cost.Efficiencies;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/** Column layout of k8s_expenses and k8s_cluster_expenses, and rows as JSONEachRow objects. */
public final class ExpenseRows {

    static final List<String> COST_COLUMNS = List.of("cost", "cpu_cost", "ram_cost", "pv_cost", "network_cost", "lb_cost",
            "cpu_efficiency", "ram_efficiency", "total_efficiency", "coverage");

    static final VersionedTable EXPENSES = new VersionedTable("k8s_expenses",
            List.of("cluster", "namespace", "hour"),
            concat(List.of("resource_id", "currency"), COST_COLUMNS));

    static final VersionedTable CLUSTER_EXPENSES = new VersionedTable("k8s_cluster_expenses",
            List.of("cluster", "hour"),
            concat(List.of("currency"), COST_COLUMNS));

    private ExpenseRows() {
    }

    /** The row as k8s_expenses stores it, without version fields; rejects non-finite values. */
    public static ObjectNode toJson(CostRow r) {
        ObjectNode o = ClickHouseGateway.json().createObjectNode();
        o.put("cloud_account_id", r.tenant());
        o.put("cluster", r.cluster());
        o.put("namespace", r.namespace());
        o.put("resource_id", r.resourceId());
        o.put("hour", r.hour().getEpochSecond());
        o.put("currency", r.currency());
        putFigures(o, r.costs(), r.efficiencies(), r.coverage(), describe(r));
        return o;
    }

    static ObjectNode toJson(ClusterHour c) {
        ObjectNode o = ClickHouseGateway.json().createObjectNode();
        o.put("cloud_account_id", c.tenant());
        o.put("cluster", c.cluster());
        o.put("hour", c.hour().getEpochSecond());
        o.put("currency", c.currency());
        putFigures(o, c.costs(), c.efficiencies(), c.coverage(),
                "tenant=" + c.tenant() + " cluster=" + c.cluster() + " hour=" + c.hour());
        return o;
    }

    private static void putFigures(ObjectNode o, Costs costs, Efficiencies eff, double coverage, String where) {
        String bad = costs.firstNonFiniteColumn();
        if (bad == null) {
            bad = eff.firstNonFiniteColumn();
        }
        if (bad == null && !(coverage >= 0 && coverage <= 1)) {
            bad = "coverage";
        }
        if (bad != null) {
            throw new IllegalArgumentException("refusing to write " + bad + " that is not a finite value (or coverage outside 0..1) for " + where);
        }
        o.put("cost", costs.total());
        o.put("cpu_cost", costs.cpu());
        o.put("ram_cost", costs.ram());
        o.put("pv_cost", costs.pv());
        o.put("network_cost", costs.network());
        o.put("lb_cost", costs.lb());
        o.put("cpu_efficiency", eff.cpu());
        o.put("ram_efficiency", eff.ram());
        o.put("total_efficiency", eff.total());
        o.put("coverage", coverage);
    }

    private static String describe(CostRow r) {
        return "tenant=" + r.tenant() + " cluster=" + r.cluster() + " namespace=" + r.namespace() + " hour=" + r.hour();
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}
