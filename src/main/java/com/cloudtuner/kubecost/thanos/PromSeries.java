package com.cloudtuner.kubecost.thanos;

import java.util.Arrays;

import java.util.Map;

/**
 * One series of a Prometheus API answer.
 *
 * @param timestamps epoch milliseconds, ascending
 */
public record PromSeries(Map<String, String> labels, long[] timestamps, double[] values) {

    public PromSeries {
        labels = Map.copyOf(labels);
        if (timestamps.length != values.length) {
            throw new IllegalArgumentException("timestamps and values differ in length");
        }
    }

    public int size() {
        return timestamps.length;
    }

    /** Equal when the same labels hold the same samples (a record would compare the arrays by identity). */
    @Override
    public boolean equals(Object o) {
        return o instanceof PromSeries p && labels.equals(p.labels) && Arrays.equals(timestamps, p.timestamps)
                && Arrays.equals(values, p.values);
    }

    @Override
    public int hashCode() {
        return 31 * labels.hashCode() + Arrays.hashCode(timestamps);
    }
}
