package com.cloudtuner.kubecost.cost;

/** A row's identity without its hour: {@code namespace} null for the cluster's own series. */
record RowRef(String tenant, String cluster, String namespace) {

    static RowRef of(SeriesRef s) {
        return new RowRef(s.tenant(), s.cluster(), s.metric().scope() == ExporterMetric.Scope.NAMESPACE ? s.namespace() : null);
    }

    ClusterHourKey at(long hourMs) {
        return ClusterHourKey.ofMillis(tenant, cluster, hourMs);
    }
}
