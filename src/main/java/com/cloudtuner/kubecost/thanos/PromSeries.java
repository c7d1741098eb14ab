package com.cloudtuner.kubecost.thanos;

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
}
