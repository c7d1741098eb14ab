package com.cloudtuner.kubecost.cost;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rows computed from hourly sums, and the cluster-hours they could not settle.
 *
 * @param rows     every row, cluster hour and refusal outside {@code needsRaw}
 * @param needsRaw cluster-hours to compute from raw samples instead
 * @param history  the scrape history the sums were computed with; a raw read of only some hours uses it too
 */
public record AggregatedCosts(CostResult rows, Set<ClusterHourKey> needsRaw, ScrapeHistory history) {

    public AggregatedCosts {
        needsRaw = Set.copyOf(needsRaw);
    }

    /** These rows together with the raw computation's rows (and refusals) of the cluster-hours that needed it. */
    public CostResult completedWith(CostResult raw) {
        List<CostRow> allRows = new ArrayList<>(rows.rows());
        for (CostRow r : raw.rows()) {
            if (needsRaw.contains(r.clusterHour())) {
                allRows.add(r);
            }
        }
        List<ClusterHour> allClusters = new ArrayList<>(rows.clusterHours());
        for (ClusterHour c : raw.clusterHours()) {
            if (needsRaw.contains(c.key())) {
                allClusters.add(c);
            }
        }
        Map<ClusterHourKey, SampleCounts> counts = new HashMap<>(rows.sampleCounts());
        raw.sampleCounts().forEach((key, c) -> {
            if (needsRaw.contains(key)) {
                counts.merge(key, c, SampleCounts::plus);
            }
        });
        Map<ClusterHourKey, String> refused = new HashMap<>(rows.refused());
        raw.refused().forEach((key, why) -> {
            if (needsRaw.contains(key)) {
                refused.put(key, why);
            }
        });
        return CostResult.sorted(allRows, allClusters, counts, refused);
    }
}
