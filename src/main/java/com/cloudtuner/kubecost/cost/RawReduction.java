package com.cloudtuner.kubecost.cost;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Raw samples to row-hours: rule 2 (validity) sample by sample, the pooled sums of rule 3 and
 * 5, and coverage as the union of the scrape intervals the valid cost samples stand for.
 */
final class RawReduction {

    private static final SampleCounts NON_FINITE = new SampleCounts(1, 0);
    private static final SampleCounts NEGATIVE = new SampleCounts(0, 1);

    private RawReduction() {
    }

    /** @param counts receives, per cluster-hour, the non-finite samples dropped and the negative cost samples used */
    static Map<RowRef, Map<Long, RowHour>> reduce(CostRules rules, Window window, Collection<Series> series,
                                                  Map<ClusterHourKey, SampleCounts> counts) {
        Map<List<String>, List<Series>> healthSeries = new HashMap<>();
        Map<RowRef, List<Series>> costSeries = new LinkedHashMap<>();
        for (Series s : series) {
            if (s.metric().scope() == ExporterMetric.Scope.HEALTH) {
                healthSeries.computeIfAbsent(List.of(s.tenant(), s.cluster()), k -> new ArrayList<>()).add(s);
            } else {
                costSeries.computeIfAbsent(RowRef.of(s.ref()), k -> new ArrayList<>()).add(s);
            }
        }
        Map<RowRef, Map<Long, RowHour>> rows = new LinkedHashMap<>();
        for (Map.Entry<RowRef, List<Series>> group : costSeries.entrySet()) {
            RowRef ref = group.getKey();
            List<Series> health = healthSeries.get(List.of(ref.tenant(), ref.cluster()));
            HealthTimeline timeline = HealthTimeline.of(health == null ? List.of() : health, rules.healthLookback().toMillis());
            rows.put(ref, accumulate(rules, ref, group.getValue(), timeline, window, counts));
        }
        return rows;
    }

    private static Map<Long, RowHour> accumulate(CostRules rules, RowRef ref, List<Series> group, HealthTimeline health,
                                                 Window window, Map<ClusterHourKey, SampleCounts> counts) {
        Map<Long, RowHour> hours = new TreeMap<>();
        Map<Long, List<long[]>> backed = new HashMap<>(); // per hour, {start, end} of each valid cost sample
        double rateFactor = rules.toRatePerHour();
        long from = window.startMs();
        long to = window.endMs();
        for (Series s : group) {
            Quantity quantity = s.metric().quantity();
            long interval = s.intervalHintMs() > 0 ? s.intervalHintMs()
                    : ScrapeInterval.estimateMillis(s.timestamps(), rules.defaultScrapeInterval().toMillis());
            long currentHour = Long.MIN_VALUE;
            RowHour acc = null;
            List<long[]> hourBacked = null;
            for (int i = 0; i < s.size(); i++) {
                long t = s.timestamps()[i];
                double v = s.values()[i];
                if (t < from || t >= to) {
                    continue;
                }
                if (!Double.isFinite(v)) {
                    counts.merge(ref.at(Math.floorDiv(t, Window.HOUR_MS) * Window.HOUR_MS), NON_FINITE, SampleCounts::plus);
                    continue;
                }
                if (!health.validAt(t)) {
                    continue;
                }
                long hour = Math.floorDiv(t, Window.HOUR_MS) * Window.HOUR_MS;
                if (hour != currentHour) {
                    currentHour = hour;
                    acc = hours.computeIfAbsent(hour, h -> new RowHour());
                    hourBacked = backed.computeIfAbsent(hour, h -> new ArrayList<>());
                }
                if (quantity.isCost()) {
                    if (v < 0) {
                        counts.merge(ref.at(hour), NEGATIVE, SampleCounts::plus);
                    }
                    acc.currency(s.currency(), ref.cluster(), ref.namespace(), hour);
                    acc.addSample(quantity, v * rateFactor);
                    hourBacked.add(new long[] {t, t + interval});
                } else {
                    acc.addSample(quantity, v);
                }
            }
        }
        backed.forEach((hour, intervals) -> hours.get(hour).coverage(unionShareOfHour(intervals)));
        return hours;
    }

    /** Length of the union of the intervals, as a share of an hour, at most 1. */
    private static double unionShareOfHour(List<long[]> intervals) {
        if (intervals.isEmpty()) {
            return 0;
        }
        intervals.sort(Comparator.comparingLong(a -> a[0]));
        long covered = 0;
        long runStart = Long.MIN_VALUE;
        long runEnd = Long.MIN_VALUE;
        for (long[] b : intervals) {
            if (b[0] > runEnd) {
                covered += runEnd - runStart;
                runStart = b[0];
                runEnd = b[1];
            } else {
                runEnd = Math.max(runEnd, b[1]);
            }
        }
        covered += runEnd - runStart;
        return Math.min(1.0, covered / (double) Window.HOUR_MS);
    }
}
