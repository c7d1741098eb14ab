package com.cloudtuner.kubecost.cost;

import java.util.Arrays;

/** The interval one sample of a series stands for: the median gap between its consecutive samples. */
final class ScrapeInterval {

    private ScrapeInterval() {
    }

    static long estimateMillis(long[] timestamps, long fallbackMs) {
        if (timestamps.length < 2) {
            return fallbackMs;
        }
        long[] gaps = new long[timestamps.length - 1];
        int n = 0;
        for (int i = 1; i < timestamps.length; i++) {
            long gap = timestamps[i] - timestamps[i - 1];
            if (gap > 0) {
                gaps[n++] = gap;
            }
        }
        if (n == 0) {
            return fallbackMs;
        }
        Arrays.sort(gaps, 0, n);
        // The median ignores the few long gaps of an outage and the odd short one of a restart.
        return Math.min(gaps[(n - 1) / 2], 3_600_000L);
    }
}
