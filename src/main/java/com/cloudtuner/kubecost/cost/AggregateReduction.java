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
 *   <li>the reader found the answers disagreeing about the cluster-hour ({@code suspect}).</li>
 * </ul>
 * Those cluster-hours are read raw and computed sample by sample; every other one comes out as the
 * raw samples would give it (coverage too: both count samples).
 */
final class AggregateReduction {

    private AggregateReduction() {
    }

    static Map<RowRef, Map<Long, RowHour>> reduce(CostRules rules, Window window, Collection<SeriesHours> series,
                                                  Collection<Series> health, Set<ClusterHourKey> suspect,
                                                  Set<ClusterHourKey> needsRaw, Coverage.Busiest busiest) {
        needsRaw.addAll(suspect);
        Map<List<String>, List<Series>> healthByCluster = new HashMap<>();
        for (Series h : health) {
            healthByCluster.computeIfAbsent(List.of(h.tenant(), h.cluster()), k -> new ArrayList<>()).add(h);
        }
        healthByCluster.forEach((cluster, list) -> {
            HealthTimeline timeline = HealthTimeline.of(list, rules.healthLookback().toMillis());
            for (long h = window.startMs(); h < window.endMs(); h += Window.HOUR_MS) {
                if (timeline.anyInvalidIn(h, h + Window.HOUR_MS)) {
                    needsRaw.add(ClusterHourKey.ofMillis(cluster.get(0), cluster.get(1), h));
                }
            }
        });
        for (SeriesHours s : series) {
            boolean cost = s.ref().metric().quantity().isCost();
            for (int i = 0; i < s.hours(); i++) {
                // a non-finite sum: rule 2 drops samples; a negative cost sample: the ledger counts them
                if (s.counts()[i] > 0 && !Double.isFinite(s.sums()[i]) || s.hasNegative(i)) {
                    needsRaw.add(RowRef.of(s.ref()).at(s.hourStart(i)));
                }
                if (cost && s.counts()[i] > 0) {
                    busiest.add(ClusterKey.of(s.ref()), s.hourStart(i), s.counts()[i]);
                }
            }
        }

        double rateFactor = rules.toRatePerHour();
        Map<RowRef, Map<Long, RowHour>> rows = new LinkedHashMap<>();
        Set<ClusterHourKey> skipped = new HashSet<>(needsRaw);
        for (SeriesHours s : series) {
            RowRef ref = RowRef.of(s.ref());
            Quantity q = s.ref().metric().quantity();
            for (int i = 0; i < s.hours(); i++) {
                long hour = s.hourStart(i);
                int n = s.counts()[i];
                if (n == 0 || skipped.contains(ref.at(hour))) {
                    continue;
                }
                RowHour acc = rows.computeIfAbsent(ref, k -> new TreeMap<>()).computeIfAbsent(hour, k -> new RowHour());
                if (q.isCost()) {
                    acc.currency(s.ref().currency(), ref.cluster(), ref.namespace(), hour);
                    acc.addSum(q, s.sums()[i] * rateFactor, n);
                    acc.validSamples(s.ref().replica(), n); // no sample of a settled hour is invalid
                } else {
                    acc.addSum(q, s.sums()[i], n);
                }
            }
        }
        return rows;
    }
}
