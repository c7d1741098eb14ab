package com.cloudtuner.kubecost.cost;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The store's hourly sums and counts to row-hours, exactly where they determine what the raw
 * samples would give, and a list of the cluster-hours where they do not:
 * <ul>
 *   <li>the exporter reported 0 for its scrape success within the hour or its look-back (rule 2
 *       needs the samples' times);</li>
 *   <li>a sum is not finite (a NaN or infinite sample, which rule 2 would drop), or a cost series'
 *       smallest sample is negative (the run ledger counts such samples one by one);</li>
 *   <li>a series' scrape interval cannot be established from its hourly counts (rule 3's coverage
 *       stands each sample for the median gap of its series; counts prove that gap only for
 *       series with enough complete hours at the interval its cluster's health series shows);</li>
 *   <li>HA replicas whose union of backed time the counts cannot pin down to within 0.01.</li>
 * </ul>
 * Those cluster-hours are read raw and computed sample by sample; every other one comes out as the
 * raw samples would give it.
 */
final class AggregateReduction {

    /** Coverage may differ from the raw computation by at most this much. */
    static final double COVERAGE_TOLERANCE = 0.01;

    record Result(Map<RowRef, Map<Long, RowHour>> rows, Set<ClusterHourKey> needsRaw, Map<SeriesRef, Long> intervals) {
    }

    private AggregateReduction() {
    }

    static Result reduce(CostRules rules, Window window, Collection<SeriesHours> series, Collection<Series> health) {
        long fallbackInterval = rules.defaultScrapeInterval().toMillis();
        Set<ClusterHourKey> needsRaw = new HashSet<>();
        Intervals intervals = Intervals.of(health, fallbackInterval);

        Map<List<String>, List<Series>> healthByCluster = new HashMap<>();
        for (Series h : health) {
            healthByCluster.computeIfAbsent(List.of(h.tenant(), h.cluster()), k -> new ArrayList<>()).add(h);
        }
        healthByCluster.forEach((cluster, list) -> {
            HealthTimeline timeline = HealthTimeline.of(list, rules.healthLookback().toMillis());
            for (long h = window.startMs(); h < window.endMs(); h += Window.HOUR_MS) {
                if (timeline.anyInvalidIn(h, h + Window.HOUR_MS)) {
                    needsRaw.add(new ClusterHourKey(cluster.get(0), cluster.get(1), h));
                }
            }
        });

        Map<SeriesRef, Long> proven = new HashMap<>();
        for (SeriesHours s : series) {
            for (int i = 0; i < s.hours(); i++) {
                // a non-finite sum: rule 2 drops samples; a negative cost sample: the ledger counts them
                if (s.counts()[i] > 0 && !Double.isFinite(s.sums()[i]) || s.hasNegative(i)) {
                    needsRaw.add(RowRef.of(s.ref()).at(s.hourStart(i)));
                }
            }
            if (s.ref().metric().quantity().isCost()) {
                long interval = intervals.provenFor(s);
                if (interval > 0) {
                    proven.put(s.ref(), interval);
                } else {
                    for (int i = 0; i < s.hours(); i++) {
                        if (s.counts()[i] > 0) {
                            needsRaw.add(RowRef.of(s.ref()).at(s.hourStart(i)));
                        }
                    }
                }
            }
        }

        double rateFactor = rules.toRatePerHour();
        Map<RowRef, Map<Long, RowHour>> rows = new LinkedHashMap<>();
        Map<RowRef, Map<Long, Map<String, Double>>> replicaCoverage = new HashMap<>();
        for (SeriesHours s : series) {
            RowRef ref = RowRef.of(s.ref());
            Quantity q = s.ref().metric().quantity();
            for (int i = 0; i < s.hours(); i++) {
                long hour = s.hourStart(i);
                int n = s.counts()[i];
                if (n == 0 || needsRaw.contains(ref.at(hour))) {
                    continue;
                }
                RowHour acc = rows.computeIfAbsent(ref, k -> new TreeMap<>()).computeIfAbsent(hour, k -> new RowHour());
                if (q.isCost()) {
                    acc.currency(s.ref().currency(), ref.cluster(), ref.namespace(), hour);
                    acc.addSum(q, s.sums()[i] * rateFactor, n);
                    // Series of one scrape target share their timestamps: the target backs what its fullest series does.
                    double share = n * (double) proven.get(s.ref()) / Window.HOUR_MS;
                    replicaCoverage.computeIfAbsent(ref, k -> new HashMap<>()).computeIfAbsent(hour, k -> new HashMap<>())
                            .merge(s.ref().replica(), share, Math::max);
                } else {
                    acc.addSum(q, s.sums()[i], n);
                }
            }
        }

        replicaCoverage.forEach((ref, hours) -> hours.forEach((hour, byReplica) -> {
            double largest = 0;
            double total = 0;
            for (double share : byReplica.values()) {
                largest = Math.max(largest, share);
                total += share;
            }
            double lower = Math.min(1.0, largest);
            double upper = Math.min(1.0, total);
            if (upper - lower > COVERAGE_TOLERANCE) {
                needsRaw.add(ref.at(hour)); // replicas whose overlap the counts cannot tell
            } else {
                rows.get(ref).get(hour).coverage(lower);
            }
        }));
        rows.forEach((ref, hours) -> hours.keySet().removeIf(hour -> needsRaw.contains(ref.at(hour))));
        return new Result(rows, needsRaw, proven);
    }

    /** The scrape interval of each health series, which the cost series of its target share. */
    private record Intervals(Map<List<String>, Long> byTarget, Map<List<String>, Long> byCluster, long fallback) {

        static Intervals of(Collection<Series> health, long fallback) {
            Map<List<String>, Long> byTarget = new HashMap<>();
            Map<List<String>, Long> byCluster = new HashMap<>();
            for (Series h : health) {
                if (h.size() < 2) {
                    continue;
                }
                long interval = ScrapeInterval.estimateMillis(h.timestamps(), fallback);
                byTarget.merge(List.of(h.tenant(), h.cluster(), h.replica()), interval, Math::min);
                byCluster.merge(List.of(h.tenant(), h.cluster()), interval, Math::min);
            }
            return new Intervals(byTarget, byCluster, fallback);
        }

        /**
         * The interval the raw computation would measure for this series (the median gap of its
         * samples in the window), or 0 when the hourly counts cannot prove it.
         */
        long provenFor(SeriesHours s) {
            long samples = s.totalCount();
            if (samples <= 1) {
                return fallback; // one sample: the raw computation has no gap to measure either
            }
            SeriesRef r = s.ref();
            // A health series has no namespace or currency: its replica text names the target alone.
            Long measured = byTarget.get(List.of(r.tenant(), r.cluster(), r.replica()));
            if (measured == null) {
                measured = byCluster.getOrDefault(List.of(r.tenant(), r.cluster()), fallback);
            }
            long interval = Math.min(measured, Window.HOUR_MS);
            long fewest = Window.HOUR_MS / interval;                        // samples of a complete hour,
            long most = (Window.HOUR_MS + interval - 1) / interval;         // whatever the scrape's phase
            long gapsOfInterval = 0;
            for (int c : s.counts()) {
                if (c > most) {
                    return 0; // scraped more often than its cluster's health series
                }
                if (c >= fewest) {
                    gapsOfInterval += c - 1; // a complete hour: every gap inside it is one interval
                }
            }
            // The raw computation takes the lower median of the samples - 1 gaps; the other gaps are
            // at least one interval, so more than half of them being known settles the median.
            return gapsOfInterval > (samples - 2) / 2 ? interval : 0;
        }
    }
}
