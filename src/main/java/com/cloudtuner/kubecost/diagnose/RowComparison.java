package com.cloudtuner.kubecost.diagnose;

import com.cloudtuner.kubecost.cost.CostRow;
import com.cloudtuner.kubecost.cost.Costs;
import com.cloudtuner.kubecost.cost.Efficiencies;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether a stored row says what a fresh computation says, within what the two read paths may
 * differ by: costs and efficiencies 1e-9 relative (absolute below 1), coverage 0.01, the currency
 * exactly.
 */
final class RowComparison {

    static final double RELATIVE = 1e-9;
    static final double COVERAGE = 0.01;

    private RowComparison() {
    }

    /** The columns that differ, each as {@code column stored X vs fresh Y}; empty when they match. */
    static List<String> differences(StoredRow stored, CostRow fresh) {
        List<String> out = new ArrayList<>();
        if (!stored.currency().equals(fresh.currency())) {
            out.add("currency stored '" + stored.currency() + "' vs fresh '" + fresh.currency() + "'");
        }
        Costs s = stored.costs();
        Costs f = fresh.costs();
        money(out, "cost", s.total(), f.total());
        money(out, "cpu_cost", s.cpu(), f.cpu());
        money(out, "ram_cost", s.ram(), f.ram());
        money(out, "pv_cost", s.pv(), f.pv());
        money(out, "network_cost", s.network(), f.network());
        money(out, "lb_cost", s.lb(), f.lb());
        Efficiencies se = stored.efficiencies();
        Efficiencies fe = fresh.efficiencies();
        efficiency(out, "cpu_efficiency", se.cpu(), fe.cpu());
        efficiency(out, "ram_efficiency", se.ram(), fe.ram());
        efficiency(out, "total_efficiency", se.total(), fe.total());
        if (Math.abs(stored.coverage() - fresh.coverage()) > COVERAGE) {
            out.add("coverage stored " + Texts.number(stored.coverage()) + " vs fresh " + Texts.number(fresh.coverage()));
        }
        return out;
    }

    private static void money(List<String> out, String column, double stored, double fresh) {
        if (!close(stored, fresh)) {
            out.add(column + " stored " + Texts.number(stored) + " vs fresh " + Texts.number(fresh));
        }
    }

    private static void efficiency(List<String> out, String column, Double stored, Double fresh) {
        if (stored == null || fresh == null ? stored != fresh : !close(stored, fresh)) {
            out.add(column + " stored " + Texts.number(stored) + " vs fresh " + Texts.number(fresh));
        }
    }

    static boolean close(double a, double b) {
        return Math.abs(a - b) <= RELATIVE * Math.max(1.0, Math.max(Math.abs(a), Math.abs(b)));
    }
}
