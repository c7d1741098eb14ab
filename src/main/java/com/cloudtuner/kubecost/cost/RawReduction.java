package com.cloudtuner.kubecost.cost;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Raw samples to row-hours: rule 2 (validity) sample by sample, the pooled sums of rules 3 and 5,
 * and per scrape target the valid samples of each cost series (rule 3's coverage counts them).
 */
final class RawReduction {

    private static final SampleCounts NON_FINITE = new SampleCounts(1, 0);
    private static final SampleCounts NEGATIVE = new SampleCounts(0, 1);

    private RawReduction() {
    }

    /**
     * @param counts  receives, per cluster-hour, the non-finite samples dropped and the negative cost samples used
     * @param busiest receives, per scrape target and hour, the sample count of its busiest cost series
     */
    static Map<RowRef, Map<Long, RowHour>> reduce(CostRules rules, Window window, Collection<Series> series,
                                                  Map<ClusterHourKey, SampleCounts> counts, Coverage.Busiest busiest) {
        Map<List<String>, List<Series>> healthSeries = healthByCluster(series);
        Map<RowRef, List<Series>> costSeries = new LinkedHashMap<>();
        for (Series s : series) {
            if (s.metric().scope() != ExporterMetric.Scope.HEALTH) {
                costSeries.computeIfAbsent(RowRef.of(s.ref()), k -> new ArrayList<>()).add(s);
            }
        }
        Map<RowRef, Map<Long, RowHour>> rows = new LinkedHashMap<>();
        for (Map.Entry<RowRef, List<Series>> group : costSeries.entrySet()) {
            RowRef ref = group.getKey();
            HealthTimeline timeline = HealthTimeline.of(healthSeries.getOrDefault(List.of(ref.tenant(), ref.cluster()), List.of()),
                    rules.healthLookback().toMillis());
            rows.put(ref, accumulate(rules, ref, group.getValue(), timeline, window, counts, busiest));
        }
        return rows;
    }

    private static Map<List<String>, List<Series>> healthByCluster(Collection<Series> series) {
        Map<List<String>, List<Series>> health = new HashMap<>();
        for (Series s : series) {
            if (s.metric().scope() == ExporterMetric.Scope.HEALTH) {
                health.computeIfAbsent(List.of(s.tenant(), s.cluster()), k -> new ArrayList<>()).add(s);
            }
        }
        return health;
    }

    private static Map<Long, RowHour> accumulate(CostRules rules, RowRef ref, List<Series> group, HealthTimeline health,
                                                 Window window, Map<ClusterHourKey, SampleCounts> counts, Coverage.Busiest busiest) {
        Map<Long, RowHour> hours = new TreeMap<>();
        double rateFactor = rules.toRatePerHour();
        for (Series s : group) {
            Quantity quantity = s.metric().quantity();
            HourTally tally = new HourTally(ClusterKey.of(s.ref()), s.replica());
            for (int i = 0; i < s.size(); i++) {
                long t = s.timestamps()[i];
                double v = s.values()[i];
                SampleVerdict verdict = SampleVerdict.of(t, v, window.startMs(), window.endMs(), health);
                if (verdict == SampleVerdict.OUTSIDE_WINDOW) {
                    continue;
                }
                long hour = Window.hourOf(t);
                if (quantity.isCost()) {
                    tally.sample(hour, verdict == SampleVerdict.COUNTED, hours, busiest);
                }
                if (verdict == SampleVerdict.NOT_FINITE) {
                    counts.merge(ref.at(hour), NON_FINITE, SampleCounts::plus);
                }
                if (verdict != SampleVerdict.COUNTED) {
                    continue;
                }
                RowHour acc = hours.computeIfAbsent(hour, h -> new RowHour());
                if (quantity.isCost()) {
                    if (v < 0) {
                        counts.merge(ref.at(hour), NEGATIVE, SampleCounts::plus);
                    }
                    acc.currency(s.currency(), ref.cluster(), ref.namespace(), hour);
                    acc.costSampleAt(t);
                    acc.addSample(quantity, v * rateFactor);
                } else {
                    acc.addSample(quantity, v);
                }
            }
            tally.flush(hours, busiest);
        }
        return hours;
    }

    /** One cost series' samples per hour, all and valid, handed on when the hour changes. */
    private static final class HourTally {
        private final ClusterKey cluster;
        private final String replica;
        private long hour = Long.MIN_VALUE;
        private int all;
        private int valid;

        HourTally(ClusterKey cluster, String replica) {
            this.cluster = cluster;
            this.replica = replica;
        }

        void sample(long sampleHour, boolean counted, Map<Long, RowHour> hours, Coverage.Busiest busiest) {
            if (sampleHour != hour) {
                flush(hours, busiest);
                hour = sampleHour;
            }
            all++;
            valid += counted ? 1 : 0;
        }

        void flush(Map<Long, RowHour> hours, Coverage.Busiest busiest) {
            if (all > 0) {
                busiest.add(cluster, hour, all);
            }
            if (valid > 0) {
                hours.get(hour).validSamples(replica, valid);
            }
            all = 0;
            valid = 0;
        }
    }

    /** Every cost and efficiency series with the verdict {@link #reduce} gives each of its samples. */
    static List<AuditedSeries> audit(CostRules rules, Window window, Collection<Series> series) {
        Map<List<String>, List<Series>> healthSeries = healthByCluster(series);
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
            audited.add(new AuditedSeries(s, verdicts, vetoedBy));
        }
        return audited;
    }
}
