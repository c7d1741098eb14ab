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
public final class HealthTimeline {

    private final long[] times;
    private final boolean[] zero;
    private final long lookbackMs;

    private HealthTimeline(long[] times, boolean[] zero, long lookbackMs) {
        this.times = times;
        this.zero = zero;
        this.lookbackMs = lookbackMs;
    }

    private record Sample(long time, boolean zero) {
    }

    public static HealthTimeline of(List<Series> healthSeries, long lookbackMs) {
        List<Sample> samples = new ArrayList<>();
        for (Series s : healthSeries) {
            for (int i = 0; i < s.size(); i++) {
                samples.add(new Sample(s.timestamps()[i], s.values()[i] == 0.0));
            }
        }
        samples.sort(Comparator.comparingLong(Sample::time));
        long[] times = new long[samples.size()];
        boolean[] zero = new boolean[samples.size()];
        int n = 0;
        for (Sample s : samples) {
            // Replicas reporting the same instant disagree only if one saw a failure: trust the failure.
            if (n > 0 && times[n - 1] == s.time()) {
                zero[n - 1] |= s.zero();
                continue;
            }
            times[n] = s.time();
            zero[n] = s.zero();
            n++;
        }
        return new HealthTimeline(Arrays.copyOf(times, n), Arrays.copyOf(zero, n), lookbackMs);
    }

    /** Whether the exporter reported a failure at the latest sample at or before t; false without one. */
    public boolean failingAt(long t) {
        int i = indexAtOrBefore(t);
        return i >= 0 && zero[i];
    }

    /** When the failures that the latest sample at or before t ends began: the first of its run of zeros; null when it is no failure. */
    public Long failingSince(long t) {
        int i = indexAtOrBefore(t);
        if (i < 0 || !zero[i]) {
            return null;
        }
        while (i > 0 && zero[i - 1]) {
            i--;
        }
        return times[i];
    }

    /** The starts of the hours in [from, to] in which some sample reported a failure. */
    public List<Long> failingHours(long from, long to) {
        List<Long> hours = new ArrayList<>();
        for (int i = 0; i < times.length; i++) {
            long hour = Window.hourOf(times[i]);
            if (zero[i] && times[i] >= from && times[i] <= to && (hours.isEmpty() || hours.get(hours.size() - 1) != hour)) {
                hours.add(hour);
            }
        }
        return hours;
    }

    private int indexAtOrBefore(long t) {
        int i = Arrays.binarySearch(times, t);
        return i < 0 ? -i - 2 : i;
    }

    boolean validAt(long t) {
        int i = Arrays.binarySearch(times, t);
        if (i < 0) {
            i = -i - 2; // latest sample before t
        }
        return i < 0 || t - times[i] > lookbackMs || !zero[i];
    }

    /** The time of the latest health sample at or before t (the one that decides about t), or Long.MIN_VALUE. */
    public long latestAtOrBefore(long t) {
        int i = indexAtOrBefore(t);
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
