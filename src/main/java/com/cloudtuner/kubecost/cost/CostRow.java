package com.cloudtuner.kubecost.cost;

import java.time.Instant;
import java.util.Objects;

/**
 * One row of {@code k8s_expenses}: the cost of one namespace of one cluster in one UTC hour.
 *
 * @param hour     start of the UTC hour
 * @param coverage share of the hour backed by valid samples, 0..1
 */
public record CostRow(String tenant, String cluster, String namespace, Instant hour, String currency,
                      Costs costs, Efficiencies efficiencies, double coverage) {

    /** Namespace of the row that holds what the cluster reports beyond its namespaces. */
    public static final String UNALLOCATED = "__unallocated__";

    public CostRow {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(hour, "hour");
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(costs, "costs");
        Objects.requireNonNull(efficiencies, "efficiencies");
    }

    /** The cluster-hour the row belongs to. */
    public ClusterHourKey clusterHour() {
        return new ClusterHourKey(tenant, cluster, hour);
    }

    /** What the row says apart from its key. */
    public Figures figures() {
        return new Figures(currency, costs, efficiencies, coverage);
    }

    public String resourceId() {
        return ResourceIds.namespaceResourceId(tenant, cluster, namespace).toString();
    }
}
