package com.cloudtuner.kubecost.cost;

import java.util.Arrays;
import java.util.Objects;

/**
 * Raw samples of one stored series, as the metrics store returned them. Two series that differ
 * only in labels the rules ignore (an HA pair's {@code prometheus_replica}, say) arrive as two
 * {@code Series} whose {@link #replica} differs; the calculator pools them.
 *
 * @param namespace      null for cluster-level and health series
 * @param currency       null when the series has no currency label (health series)
 * @param replica        the series' other labels as one text ("" when it has none): which scrape target it comes from
 * @param timestamps     epoch milliseconds, ascending
 */
public record Series(ExporterMetric metric, String tenant, String cluster, String namespace, String currency,
                     String replica, long[] timestamps, double[] values) {

    public Series {
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(replica, "replica");
        if (timestamps.length != values.length) {
            throw new IllegalArgumentException("timestamps and values differ in length");
        }
        if (metric.scope() == ExporterMetric.Scope.NAMESPACE && namespace == null) {
            throw new IllegalArgumentException(metric + " needs a namespace");
        }
    }

    /** A series of the only replica. */
    public Series(ExporterMetric metric, String tenant, String cluster, String namespace, String currency,
                  long[] timestamps, double[] values) {
        this(metric, tenant, cluster, namespace, currency, "", timestamps, values);
    }

    public SeriesRef ref() {
        return new SeriesRef(metric, tenant, cluster, namespace, currency, replica);
    }


    /** The samples taken before {@code endMs}: what the series held at that instant. */
    public Series before(long endMs) {
        int n = Arrays.binarySearch(timestamps, endMs);
        n = n < 0 ? -n - 1 : n;
        while (n > 0 && timestamps[n - 1] >= endMs) {
            n--; // of several samples at endMs, the search may find any
        }
        if (n == timestamps.length) {
            return this;
        }
        return new Series(metric, tenant, cluster, namespace, currency, replica, Arrays.copyOf(timestamps, n),
                Arrays.copyOf(values, n));
    }

    public int size() {
        return timestamps.length;
    }

    /** Equal when the same series holds the same samples (a record would compare the arrays by identity). */
    @Override
    public boolean equals(Object o) {
        return o instanceof Series s && ref().equals(s.ref()) && Arrays.equals(timestamps, s.timestamps)
                && Arrays.equals(values, s.values);
    }

    @Override
    public int hashCode() {
        return 31 * ref().hashCode() + Arrays.hashCode(timestamps);
    }
}
