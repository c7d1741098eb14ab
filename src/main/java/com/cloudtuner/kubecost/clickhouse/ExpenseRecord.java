package com.cloudtuner.kubecost.clickhouse;

import com.cloudtuner.kubecost.cost.ClusterHour;
import com.cloudtuner.kubecost.cost.CostRow;
import com.cloudtuner.kubecost.cost.Costs;
import com.cloudtuner.kubecost.cost.Efficiencies;
import java.util.Arrays;

/**
 * One row of {@code k8s_expenses} or, with {@code namespace} and {@code resourceId} null, of
 * {@code k8s_cluster_expenses}: what is stored or is to be.
 *
 * @param figures cost, cpu_cost, ram_cost, pv_cost, network_cost, lb_cost, cpu_efficiency,
 *                ram_efficiency, total_efficiency (NaN for NULL), coverage
 */
record ExpenseRecord(String tenant, String cluster, String namespace, long hourSec, String resourceId, String currency,
                     double[] figures, boolean deleted, long version, long computedAtSec) {

    static final String[] FIGURE_COLUMNS = {"cost", "cpu_cost", "ram_cost", "pv_cost", "network_cost", "lb_cost",
            "cpu_efficiency", "ram_efficiency", "total_efficiency", "coverage"};
    static final int FIRST_EFFICIENCY = 6;
    static final int COVERAGE = 9;

    /** Relative tolerance when comparing figures: 18.16 may parse a double one ulp off. */
    private static final double TOLERANCE = 1e-12;

    record Key(String tenant, String cluster, String namespace, long hourSec) {
    }

    Key key() {
        return new Key(tenant, cluster, namespace, hourSec);
    }

    /** The key of the row's cluster-hour: namespace null. */
    Key clusterHour() {
        return new Key(tenant, cluster, null, hourSec);
    }

    static ExpenseRecord of(CostRow r) {
        return new ExpenseRecord(r.tenant(), r.cluster(), r.namespace(), r.hour().getEpochSecond(), r.resourceId(),
                r.currency(), figures(r.costs(), r.efficiencies(), r.coverage(), describe(r)), false, 0, 0);
    }

    static ExpenseRecord of(ClusterHour c) {
        return new ExpenseRecord(c.tenant(), c.cluster(), null, c.hour().getEpochSecond(), null, c.currency(),
                figures(c.costs(), c.efficiencies(), c.coverage(),
                        "tenant=" + c.tenant() + " cluster=" + c.cluster() + " hour=" + c.hour()), false, 0, 0);
    }

    ExpenseRecord versioned(boolean deleted, long version, long computedAtSec) {
        return new ExpenseRecord(tenant, cluster, namespace, hourSec, resourceId, currency, figures, deleted, version, computedAtSec);
    }

    /** Whether this fresh row says the same as a stored one (currency, resource id and every figure). */
    boolean sameAs(ExpenseRecord stored) {
        if (!currency.equals(stored.currency) || (resourceId != null && !resourceId.equals(stored.resourceId))) {
            return false;
        }
        for (int i = 0; i < figures.length; i++) {
            double a = figures[i];
            double b = stored.figures[i];
            if (Double.isNaN(a) || Double.isNaN(b)) {
                if (Double.isNaN(a) != Double.isNaN(b)) {
                    return false;
                }
            } else if (Math.abs(a - b) > TOLERANCE * Math.max(1.0, Math.max(Math.abs(a), Math.abs(b)))) {
                return false;
            }
        }
        return true;
    }

    /** The figures as stored; refuses values ClickHouse would store but no reader could trust. */
    private static double[] figures(Costs costs, Efficiencies eff, double coverage, String where) {
        String bad = costs.firstNonFiniteColumn();
        if (bad == null) {
            bad = eff.firstNonFiniteColumn();
        }
        if (bad == null && !(coverage >= 0 && coverage <= 1)) {
            bad = "coverage";
        }
        if (bad != null) {
            throw new IllegalArgumentException("refusing to write " + bad
                    + " that is not a finite value (or coverage outside 0..1) for " + where);
        }
        return new double[] {costs.total(), costs.cpu(), costs.ram(), costs.pv(), costs.network(), costs.lb(),
                nullToNaN(eff.cpu()), nullToNaN(eff.ram()), nullToNaN(eff.total()), coverage};
    }

    private static double nullToNaN(Double d) {
        return d == null ? Double.NaN : d;
    }

    private static String describe(CostRow r) {
        return "tenant=" + r.tenant() + " cluster=" + r.cluster() + " namespace=" + r.namespace() + " hour=" + r.hour();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ExpenseRecord r && key().equals(r.key()) && deleted == r.deleted && version == r.version
                && computedAtSec == r.computedAtSec && java.util.Objects.equals(resourceId, r.resourceId)
                && currency.equals(r.currency) && Arrays.equals(figures, r.figures);
    }

    @Override
    public int hashCode() {
        return key().hashCode();
    }

    @Override
    public String toString() {
        return "ExpenseRecord" + key() + (deleted ? " deleted" : "") + " v" + version + " " + Arrays.toString(figures);
    }
}
