package com.cloudtuner.kubecost.cost;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The exporter's {@code exporter_scrape_success} samples of one cluster (all replicas merged).
 * A cost sample at time t is backed by the latest health sample at or before t, provided that
 * sample is at most {@code lookback} old and equals 1.
 */
final class HealthTimeline {

    private final long[] times;
    private final boolean[] healthy;
    private final long lookbackMs;

    private HealthTimeline(long[] times, boolean[] healthy, long lookbackMs) {
        this.times = times;
        this.healthy = healthy;
        this.lookbackMs = lookbackMs;
    }

    static HealthTimeline of(List<Series> healthSeries, long lookbackMs) {
        List<long[]> samples = new ArrayList<>(); // {time, healthy ? 1 : 0}
        for (Series s : healthSeries) {
            for (int i = 0; i < s.size(); i++) {
                samples.add(new long[] {s.timestamps()[i], s.values()[i] == 1.0 ? 1 : 0});
            }
        }
        samples.sort(Comparator.comparingLong(a -> a[0]));
        long[] times = new long[samples.size()];
        boolean[] healthy = new boolean[samples.size()];
        int n = 0;
        for (long[] s : samples) {
            // Replicas reporting the same instant disagree only if one saw a failure: trust the failure.
            if (n > 0 && times[n - 1] == s[0]) {
                healthy[n - 1] &= s[1] == 1;
                continue;
            }
            times[n] = s[0];
            healthy[n] = s[1] == 1;
            n++;
        }
        return new HealthTimeline(Arrays.copyOf(times, n), Arrays.copyOf(healthy, n), lookbackMs);
    }

    boolean healthyAt(long t) {
        int i = Arrays.binarySearch(times, t);
        if (i < 0) {
            i = -i - 2; // latest sample before t
        }
        return i >= 0 && t - times[i] <= lookbackMs && healthy[i];
    }
}
