package com.cloudtuner.kubecost.run;

import com.cloudtuner.kubecost.cost.AggregatedCosts;
import com.cloudtuner.kubecost.cost.ClusterHourKey;
import com.cloudtuner.kubecost.cost.SeriesHours;
import com.cloudtuner.kubecost.cost.Window;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** How the cluster-hours the hourly sums could not settle are read raw: in groups of tenants that fit the heap. */
final class RawReadGroups {

    private RawReadGroups() {
    }

    /**
     * The tenants whose cluster-hours the sums could not settle, cut into groups read raw together:
     * each group's samples (known from the hourly counts) within {@code rawSampleBudget}; a tenant
     * larger than that is read alone.
     */
    static List<List<String>> cut(Map<String, AggregatedCosts> aggregated, Map<String, List<SeriesHours>> sums, long rawSampleBudget) {
        List<List<String>> groups = new ArrayList<>();
        List<String> group = new ArrayList<>();
        long samples = 0;
        for (Map.Entry<String, AggregatedCosts> e : aggregated.entrySet()) {
            if (e.getValue().needsRaw().isEmpty()) {
                continue;
            }
            long tenantSamples = rawSamples(e.getValue().needsRaw(), sums.getOrDefault(e.getKey(), List.of()));
            if (!group.isEmpty() && samples + tenantSamples > rawSampleBudget) {
                groups.add(group);
                group = new ArrayList<>();
                samples = 0;
            }
            group.add(e.getKey());
            samples += tenantSamples;
        }
        if (!group.isEmpty()) {
            groups.add(group);
        }
        return groups;
    }

    /** The samples a raw read of these cluster-hours' clusters over their span returns, as the counts tell. */
    private static long rawSamples(Set<ClusterHourKey> needed, List<SeriesHours> sums) {
        Window span = span(needed);
        Set<String> clusters = new TreeSet<>();
        needed.forEach(k -> clusters.add(k.cluster()));
        long n = 0;
        for (SeriesHours s : sums) {
            if (clusters.contains(s.ref().cluster())) {
                for (int i = 0; i < s.hours(); i++) {
                    n += s.hourStart(i) >= span.startMs() && s.hourStart(i) < span.endMs() ? s.counts()[i] : 0;
                }
            }
        }
        return n;
    }

    /** From the first hour to the end of the last; null for none. */
    static Window span(Collection<ClusterHourKey> hours) {
        if (hours.isEmpty()) {
            return null;
        }
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (ClusterHourKey k : hours) {
            first = Math.min(first, k.hour().toEpochMilli());
            last = Math.max(last, k.hour().toEpochMilli());
        }
        return Window.ofMillis(first, last + Window.HOUR_MS);
    }
}
