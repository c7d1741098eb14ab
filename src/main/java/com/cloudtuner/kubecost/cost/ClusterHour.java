package com.cloudtuner.kubecost.cost;

import java.time.Instant;
import java.util.Objects;

/**
 * What the cluster-level series report for one cluster in one UTC hour: the totals that the
 * {@code __unallocated__} row balances against, and the cluster's own efficiencies. Stored in
 * {@code k8s_cluster_expenses}.
 */
public record ClusterHour(String tenant, String cluster, Instant hour, String currency,
                          Costs costs, Efficiencies efficiencies, double coverage) {

    public ClusterHour {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(hour, "hour");
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(costs, "costs");
        Objects.requireNonNull(efficiencies, "efficiencies");
    }

    public ClusterHourKey key() {
        return new ClusterHourKey(tenant, cluster, hour);
    }

    /** What the row says apart from its key. */
    public Figures figures() {
        return new Figures(currency, costs, efficiencies, coverage);
    }
}
