package com.cloudtuner.kubecost.cost;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a row says apart from its key: currency, costs, efficiencies and coverage. The one rule of
 * whether two rows say the same, used by the writer (is there anything to write?) and by the
 * tools (does the stored row match a fresh computation?).
 */
public record Figures(String currency, Costs costs, Efficiencies efficiencies, double coverage) {

    /**
     * Relative tolerance (absolute below 1) between two figures that say the same: ClickHouse 18.16
     * may parse a double one ulp off, so a stored value is never compared bit for bit.
     */
    public static final double RELATIVE_TOLERANCE = 1e-12;

    /** One column that differs; a null value is SQL NULL (an efficiency without samples). */
    public record Difference(String column, Object stored, Object fresh) {
    }

    public Figures {
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(costs, "costs");
        Objects.requireNonNull(efficiencies, "efficiencies");
    }

    public boolean sameAs(Figures stored) {
        return differencesFrom(stored).isEmpty();
    }

    /** The columns in which {@code stored} says something else than these (fresh) figures, in table order. */
    public List<Difference> differencesFrom(Figures stored) {
        List<Difference> out = new ArrayList<>();
        if (!currency.equals(stored.currency)) {
            out.add(new Difference("currency", stored.currency, currency));
        }
        Costs s = stored.costs;
        number(out, "cost", s.total(), costs.total());
        number(out, "cpu_cost", s.cpu(), costs.cpu());
        number(out, "ram_cost", s.ram(), costs.ram());
        number(out, "pv_cost", s.pv(), costs.pv());
        number(out, "network_cost", s.network(), costs.network());
        number(out, "lb_cost", s.lb(), costs.lb());
        Efficiencies e = stored.efficiencies;
        number(out, "cpu_efficiency", e.cpu(), efficiencies.cpu());
        number(out, "ram_efficiency", e.ram(), efficiencies.ram());
        number(out, "total_efficiency", e.total(), efficiencies.total());
        number(out, "coverage", stored.coverage, coverage);
        return out;
    }

    private static void number(List<Difference> out, String column, Double stored, Double fresh) {
        boolean same = stored == null || fresh == null ? stored == fresh : close(stored, fresh);
        if (!same) {
            out.add(new Difference(column, stored, fresh));
        }
    }

    private static boolean close(double a, double b) {
        return Math.abs(a - b) <= RELATIVE_TOLERANCE * Math.max(1.0, Math.max(Math.abs(a), Math.abs(b)));
    }
}
