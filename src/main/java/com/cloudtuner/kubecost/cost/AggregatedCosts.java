package com.cloudtuner.kubecost.cost;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rows computed from hourly sums, and the cluster-hours they could not settle.
 *
 * @param rows      every row and cluster hour outside {@code needsRaw}
 * @param needsRaw  cluster-hours to compute from raw samples instead
 * @param intervals the scrape interval each cost series' samples stand for, as measured over the
 *                  whole window; a raw read of only some hours passes them on as hints
 */
public record AggregatedCosts(CostResult rows, Set<ClusterHourKey> needsRaw, Map<SeriesRef, Long> intervals) {

    public AggregatedCosts {
        needsRaw = Set.copyOf(needsRaw);
        intervals = Map.copyOf(intervals);
    }

    /** These rows together with the raw computation's rows of the cluster-hours that needed it. */
    public CostResult completedWith(CostResult raw) {
        List<CostRow> allRows = new ArrayList<>(rows.rows());
        for (CostRow r : raw.rows()) {
            if (needsRaw.contains(new ClusterHourKey(r.tenant(), r.cluster(), r.hour().toEpochMilli()))) {
                allRows.add(r);
            }
        }
        List<ClusterHour> allClusters = new ArrayList<>(rows.clusterHours());
        for (ClusterHour c : raw.clusterHours()) {
            if (needsRaw.contains(new ClusterHourKey(c.tenant(), c.cluster(), c.hour().toEpochMilli()))) {
                allClusters.add(c);
            }
        }
        Map<ClusterHourKey, SampleCounts> counts = new java.util.HashMap<>(rows.sampleCounts());
        raw.sampleCounts().forEach((key, c) -> {
            if (needsRaw.contains(key)) {
                counts.merge(key, c, SampleCounts::plus);
            }
        });
        return CostResult.sorted(allRows, allClusters, counts);
    }
}
