package com.cloudtuner.kubecost.clickhouse;

import com.cloudtuner.kubecost.cost.ClusterHour;
import com.cloudtuner.kubecost.cost.CostRow;
import com.cloudtuner.kubecost.cost.Costs;
import com.cloudtuner.kubecost.cost.Efficiencies;
import com.cloudtuner.kubecost.cost.Figures;
import java.time.Instant;
import java.util.Objects;

/**
 * One row of {@code k8s_expenses} or, with {@code namespace} and {@code resourceId} null, of
 * {@code k8s_cluster_expenses}: what is stored (with its version, {@code computed_at} and tombstone
 * flag) or is to be.
 *
 * @param provisional a row of an hour not yet complete, computed as of {@code computedAt}: the
 *                    hour's first final processing replaces or tombstones it
 */
public record ExpenseRecord(String tenant, String cluster, String namespace, Instant hour, String resourceId, Figures figures,
                            boolean deleted, long version, Instant computedAt, boolean provisional) {

    /** The figure columns, in table order. */
    static final String FIGURE_COLUMNS = "currency, cost, cpu_cost, ram_cost, pv_cost, network_cost, lb_cost, cpu_efficiency,"
            + " ram_efficiency, total_efficiency, coverage";

    public ExpenseRecord {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(hour, "hour");
        Objects.requireNonNull(figures, "figures");
    }

    /** A row's identity in its table; namespace null for the cluster table (and for a cluster-hour). */
    public record Key(String tenant, String cluster, String namespace, Instant hour) {
    }

    public Key key() {
        return new Key(tenant, cluster, namespace, hour);
    }

    /** The key of the row's cluster-hour: namespace null. */
    Key clusterHour() {
        return new Key(tenant, cluster, null, hour);
    }

    public static ExpenseRecord of(CostRow r) {
        return fresh(r.tenant(), r.cluster(), r.namespace(), r.hour(), r.resourceId(), r.figures());
    }

    public static ExpenseRecord of(ClusterHour c) {
        return fresh(c.tenant(), c.cluster(), null, c.hour(), null, c.figures());
    }

    ExpenseRecord versioned(boolean deleted, long version, Instant computedAt) {
        return new ExpenseRecord(tenant, cluster, namespace, hour, resourceId, figures, deleted, version, computedAt, provisional);
    }

    /** This row, marked as a provisional row or as a final one. */
    ExpenseRecord provisional(boolean isProvisional) {
        return new ExpenseRecord(tenant, cluster, namespace, hour, resourceId, figures, deleted, version, computedAt, isProvisional);
    }

    /** Whether this fresh row says the same as a stored one: resource id, and the figures as {@link Figures} compares them. */
    boolean sameAs(ExpenseRecord stored) {
        return (resourceId == null || resourceId.equals(stored.resourceId)) && figures.sameAs(stored.figures);
    }

    /** A row to write; refuses values ClickHouse would store but no reader could trust. */
    private static ExpenseRecord fresh(String tenant, String cluster, String namespace, Instant hour, String resourceId, Figures f) {
        String bad = f.costs().firstNonFiniteColumn();
        if (bad == null) {
            bad = f.efficiencies().firstNonFiniteColumn();
        }
        if (bad == null && !(f.coverage() >= 0 && f.coverage() <= 1)) {
            bad = "coverage";
        }
        if (bad != null) {
            throw new IllegalArgumentException("refusing to write " + bad + " that is not a finite value (or coverage outside 0..1)"
                    + " for tenant=" + tenant + " cluster=" + cluster + (namespace == null ? "" : " namespace=" + namespace)
                    + " hour=" + hour);
        }
        return new ExpenseRecord(tenant, cluster, namespace, hour, resourceId, f, false, 0, null, false);
    }

    /** A stored row as {@code SELECT ... FIGURE_COLUMNS, deleted, version, computed_at, provisional} reads it. */
    static ExpenseRecord read(TabSeparated.Row r, String tenant, String cluster, String namespace, String resourceId) {
        Figures f = new Figures(r.string("currency"),
                new Costs(r.decimal("cost"), r.decimal("cpu_cost"), r.decimal("ram_cost"), r.decimal("pv_cost"),
                        r.decimal("network_cost"), r.decimal("lb_cost")),
                new Efficiencies(r.nullableDecimal("cpu_efficiency"), r.nullableDecimal("ram_efficiency"),
                        r.nullableDecimal("total_efficiency")),
                r.decimal("coverage"));
        return new ExpenseRecord(tenant, cluster, namespace, Instant.ofEpochSecond(r.integer("hour_unix")), resourceId, f,
                r.flag("deleted"), r.integer("version"), Instant.ofEpochSecond(r.integer("computed_at_unix")), r.flag("provisional"));
    }
}
