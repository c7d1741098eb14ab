package com.cloudtuner.kubecost.cost;

import java.util.ArrayList;
import java.util.Collection;
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
            long interval = intervalOf(rules, s);
            long currentHour = Long.MIN_VALUE;
            RowHour acc = null;
            List<long[]> hourBacked = null;
            for (int i = 0; i < s.size(); i++) {
                long t = s.timestamps()[i];
                double v = s.values()[i];
                SampleVerdict verdict = SampleVerdict.of(t, v, from, to, health);
                if (verdict == SampleVerdict.NOT_FINITE) {
                    counts.merge(ref.at(Math.floorDiv(t, Window.HOUR_MS) * Window.HOUR_MS), NON_FINITE, SampleCounts::plus);
                }
                if (verdict != SampleVerdict.COUNTED) {
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
        backed.forEach((hour, intervals) -> hours.get(hour).coverage(Coverage.shareOfHour(Coverage.union(intervals))));
        return hours;
    }

    /** The interval one sample of the series backs: the hint it carries, else the median gap of its samples. */
    private static long intervalOf(CostRules rules, Series s) {
        return s.intervalHintMs() > 0 ? s.intervalHintMs()
                : ScrapeInterval.estimateMillis(s.timestamps(), rules.defaultScrapeInterval().toMillis());
    }

    /** Every cost and efficiency series with the verdict {@link #reduce} gives each of its samples. */
    static List<AuditedSeries> audit(CostRules rules, Window window, Collection<Series> series) {
        Map<List<String>, List<Series>> healthSeries = new HashMap<>();
        for (Series s : series) {
            if (s.metric().scope() == ExporterMetric.Scope.HEALTH) {
                healthSeries.computeIfAbsent(List.of(s.tenant(), s.cluster()), k -> new ArrayList<>()).add(s);
            }
        }
        Map<List<String>, HealthTimeline> timelines = new HashMap<>();
        List<AuditedSeries> audited = new ArrayList<>();
        for (Series s : series) {
            if (s.metric().scope() == ExporterMetric.Scope.HEALTH) {
                continue;
            }
            HealthTimeline health = timelines.computeIfAbsent(List.of(s.tenant(), s.cluster()),
                    k -> HealthTimeline.of(healthSeries.getOrDefault(k, List.of()), rules.healthLookback().toMillis()));
            SampleVerdict[] verdicts = new SampleVerdict[s.size()];
            long[] vetoedBy = new long[s.size()];
            for (int i = 0; i < s.size(); i++) {
                long t = s.timestamps()[i];
                verdicts[i] = SampleVerdict.of(t, s.values()[i], window.startMs(), window.endMs(), health);
                if (verdicts[i] == SampleVerdict.EXPORTER_UNHEALTHY) {
                    vetoedBy[i] = health.latestAtOrBefore(t);
                }
            }
            audited.add(new AuditedSeries(s, verdicts, vetoedBy, intervalOf(rules, s)));
        }
        return audited;
    }
}
