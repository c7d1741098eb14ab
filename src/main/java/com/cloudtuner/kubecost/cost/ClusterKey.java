package com.cloudtuner.kubecost.cost;

/** One cluster of one tenant: what health is pooled over and scrapes are counted for. */
public record ClusterKey(String tenant, String cluster) {

    public static ClusterKey of(SeriesRef ref) {
        return new ClusterKey(ref.tenant(), ref.cluster());
    }

    public ClusterHourKey at(long hourMs) {
        return ClusterHourKey.ofMillis(tenant, cluster, hourMs);
    }
}
