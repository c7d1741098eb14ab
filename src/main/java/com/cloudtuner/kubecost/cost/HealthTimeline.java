package com.cloudtuner.kubecost.cost;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The exporter's {@code exporter_scrape_success} samples of one tenant's cluster, replicas pooled.
 * Rule 2: a sample at time t is valid unless the latest health sample at or before t, at most
 * {@code lookback} old, is 0. Without such a sample it is valid: whether a sample counts depends
 * on the samples around it, never on the window a run happens to read.
 */
final class HealthTimeline {

    private final long[] times;
    private final boolean[] zero;
    private final long lookbackMs;

    private HealthTimeline(long[] times, boolean[] zero, long lookbackMs) {
        this.times = times;
        this.zero = zero;
        this.lookbackMs = lookbackMs;
    }

    static HealthTimeline of(List<Series> healthSeries, long lookbackMs) {
        List<long[]> samples = new ArrayList<>(); // {time, 1 when the exporter reported 0}
        for (Series s : healthSeries) {
            for (int i = 0; i < s.size(); i++) {
                samples.add(new long[] {s.timestamps()[i], s.values()[i] == 0.0 ? 1 : 0});
            }
        }
        samples.sort(Comparator.comparingLong(a -> a[0]));
        long[] times = new long[samples.size()];
        boolean[] zero = new boolean[samples.size()];
        int n = 0;
        for (long[] s : samples) {
            // Replicas reporting the same instant disagree only if one saw a failure: trust the failure.
            if (n > 0 && times[n - 1] == s[0]) {
                zero[n - 1] |= s[1] == 1;
                continue;
            }
            times[n] = s[0];
            zero[n] = s[1] == 1;
            n++;
        }
        return new HealthTimeline(Arrays.copyOf(times, n), Arrays.copyOf(zero, n), lookbackMs);
    }

    boolean validAt(long t) {
        int i = Arrays.binarySearch(times, t);
        if (i < 0) {
            i = -i - 2; // latest sample before t
        }
        return i < 0 || t - times[i] > lookbackMs || !zero[i];
    }

    /** The time of the latest health sample at or before t (the one that decides about t), or Long.MIN_VALUE. */
    long latestAtOrBefore(long t) {
        int i = Arrays.binarySearch(times, t);
        if (i < 0) {
            i = -i - 2;
        }
        return i < 0 ? Long.MIN_VALUE : times[i];
    }

    /** Whether some instant in [from, to) follows a 0 closely enough to be invalid. */
    boolean anyInvalidIn(long from, long to) {
        int first = Arrays.binarySearch(times, from - lookbackMs);
        for (int i = first < 0 ? -first - 1 : first; i < times.length && times[i] < to; i++) {
            if (!zero[i]) {
                continue;
            }
            long lastInvalid = times[i] + lookbackMs;
            if (i + 1 < times.length) {
                lastInvalid = Math.min(lastInvalid, times[i + 1] - 1);
            }
            if (lastInvalid >= from) {
                return true;
            }
        }
        return false;
    }
}
