package com.cloudtuner.kubecost.cost;

import java.util.Objects;

/**
 * Raw samples of one stored series, as the metrics store returned them. Two series that differ
 * only in labels we ignore (an HA pair's {@code prometheus_replica}, say) arrive as two
 * {@code Series} with the same identity; the calculator combines them.
 *
 * @param namespace  null for cluster-level and health series
 * @param currency   null when the series has no currency label (health series)
 * @param timestamps epoch milliseconds, ascending
 */
public record Series(ExporterMetric metric, String tenant, String cluster, String namespace, String currency,
                     long[] timestamps, double[] values) {

    public Series {
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(cluster, "cluster");
        if (timestamps.length != values.length) {
            throw new IllegalArgumentException("timestamps and values differ in length");
        }
        if (metric.scope() == ExporterMetric.Scope.NAMESPACE && namespace == null) {
            throw new IllegalArgumentException(metric + " needs a namespace");
        }
    }

    public int size() {
        return timestamps.length;
    }
}
