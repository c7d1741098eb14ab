package com.cloudtuner.kubecost.cost;

import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * Rule 3's yardstick: how many scrapes one hour of a tenant's cluster normally brings, counted on
 * its reference series, {@code exporter_scrape_success} and the cluster's total cost (every scrape
 * of the exporter carries both; of an hour, the largest count of any such series counts: an HA
 * pair's replicas, or an exporter pod and the one that replaced it, are one cluster here, so a
 * restarted exporter is measured against the cluster's past, not against its own first hour). The expected scrapes of hour h are the median (of an even number, the upper one) of the
 * target's non-zero hourly counts
 * over the day ending with h ({@value #HORIZON_HOURS} hours, h included), or the sample count of
 * the target's busiest cost series in h itself when that is larger (a faster scrape, or reference
 * series that stopped while the costs went on). The horizon is fixed before the hour, never the
 * window a run happens to read, so every run over the same samples, in either read mode, finds
 * the same number.
 */
public final class ScrapeHistory {

    public static final int HORIZON_HOURS = 24;

    private final long firstHourMs;
    private final int hours;
    private final Map<ClusterKey, int[]> counts;

    private ScrapeHistory(long firstHourMs, int hours, Map<ClusterKey, int[]> counts) {
        this.firstHourMs = firstHourMs;
        this.hours = hours;
        this.counts = counts;
    }

    /** The hours whose counts a computation of {@code window} needs: the window and the horizon before it. */
    public static Window horizonOf(Window window) {
        return Window.ofMillis(window.startMs() - (HORIZON_HOURS - 1) * Window.HOUR_MS, window.endMs());
    }

    /** Whether a series' samples count a target's scrapes. */
    public static boolean isReference(ExporterMetric metric) {
        return metric == ExporterMetric.EXPORTER_SCRAPE_SUCCESS || metric == ExporterMetric.CLUSTER_TOTAL_COST;
    }

    public static Builder builder(Window window) {
        return new Builder(horizonOf(window));
    }

    /** The history raw samples show: every sample of the reference series in the window's horizon. */
    public static ScrapeHistory fromSamples(Window window, Collection<Series> series) {
        Builder b = builder(window);
        for (Series s : series) {
            if (!isReference(s.metric())) {
                continue;
            }
            ClusterKey target = ClusterKey.of(s.ref());
            long hour = Long.MIN_VALUE;
            int n = 0;
            for (long t : s.timestamps()) {
                long h = Window.hourOf(t);
                if (h != hour) {
                    b.add(target, hour, n);
                    hour = h;
                    n = 0;
                }
                n++;
            }
            b.add(target, hour, n);
        }
        return b.build();
    }

    /**
     * The scrapes expected in the hour: the median of the target's non-zero counts over the
     * horizon ending with it, or {@code busiestSeries} (the hour's own largest sample count among
     * the cluster's cost series) when that is larger.
     */
    public int expected(ClusterKey target, long hourMs, int busiestSeries) {
        return Math.max(referenceMedian(target, hourMs), busiestSeries);
    }

    /** The (upper) median of the target's non-zero reference counts in the horizon ending with the hour; 0 without any. */
    public int referenceMedian(ClusterKey target, long hourMs) {
        int[] c = counts.get(target);
        if (c == null) {
            return 0;
        }
        int last = index(hourMs);
        if (last < 0 || last >= hours) {
            throw new IllegalArgumentException("hour " + hourMs + " outside the history");
        }
        int[] seen = new int[HORIZON_HOURS];
        int n = 0;
        for (int i = Math.max(0, last - HORIZON_HOURS + 1); i <= last; i++) {
            if (c[i] > 0) {
                seen[n++] = c[i];
            }
        }
        if (n == 0) {
            return 0;
        }
        Arrays.sort(seen, 0, n);
        return seen[n / 2]; // of an even count the upper one: hours an outage cut short pull no further down
    }

    /** The reference count of one hour (0 outside the history). */
    public int count(ClusterKey target, long hourMs) {
        int[] c = counts.get(target);
        int i = index(hourMs);
        return c == null || i < 0 || i >= hours ? 0 : c[i];
    }

    private int index(long hourMs) {
        return (int) Math.floorDiv(hourMs - firstHourMs, Window.HOUR_MS);
    }

    /**
     * The history as it stood at {@code asOfMs}: the hour of that instant (and any after it) counted
     * again from the samples taken before it, so that a provisional hour is measured by what had
     * arrived when it was computed, however much a later read holds.
     */
    public ScrapeHistory asOf(long asOfMs, Collection<Series> taken) {
        long cut = Window.hourOf(asOfMs);
        Builder b = new Builder(Window.ofMillis(firstHourMs, firstHourMs + hours * Window.HOUR_MS));
        counts.forEach((target, c) -> {
            for (int i = 0; i < c.length; i++) {
                long hour = firstHourMs + i * Window.HOUR_MS;
                if (hour < cut) {
                    b.add(target, hour, c[i]);
                }
            }
        });
        ScrapeHistory recent = fromSamples(Window.ofMillis(cut, cut + Window.HOUR_MS), taken.stream()
                .map(s -> s.before(asOfMs)).toList());
        recent.counts.forEach((target, c) -> {
            for (int i = 0; i < c.length; i++) {
                long hour = recent.firstHourMs + i * Window.HOUR_MS;
                if (hour >= cut) {
                    b.add(target, hour, c[i]);
                }
            }
        });
        return b.build();
    }

    /** Counts per cluster and hour; a cluster's count of an hour is the largest any of its reference series gives. */
    public static final class Builder {
        private final Window horizon;
        private final Map<ClusterKey, int[]> counts = new HashMap<>();

        private Builder(Window horizon) {
            this.horizon = horizon;
        }

        public Builder add(ClusterKey target, long hourMs, int count) {
            if (count <= 0 || hourMs < horizon.startMs() || hourMs >= horizon.endMs()) {
                return this;
            }
            int[] c = counts.computeIfAbsent(target, k -> new int[horizon.hours()]);
            int i = (int) ((hourMs - horizon.startMs()) / Window.HOUR_MS);
            c[i] = Math.max(c[i], count);
            return this;
        }

        public ScrapeHistory build() {
            return new ScrapeHistory(horizon.startMs(), horizon.hours(), Map.copyOf(counts));
        }
    }
}
