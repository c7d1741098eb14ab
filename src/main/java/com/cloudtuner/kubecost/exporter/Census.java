package com.cloudtuner.kubecost.exporter;

import com.cloudtuner.kubecost.cost.ClusterHourKey;
import com.cloudtuner.kubecost.cost.ExporterMetric;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The server's own count of series per cluster-hour, for the namespace and the cluster total cost:
 * one aggregated answer that a missing series in the per-series answers cannot hide from (the
 * server counts before anything could drop a series from what it sends).
 */
final class Census {

    static final List<ExporterMetric> METRICS = List.of(ExporterMetric.NAMESPACE_TOTAL_COST, ExporterMetric.CLUSTER_TOTAL_COST);
    /** The label the census query gives its two parts. */
    static final String FAMILY_LABEL = "kubecost_worker_census";

    private final Map<SeriesPresence.Key, Integer> counted;

    Census(Map<SeriesPresence.Key, Integer> counted) {
        this.counted = Map.copyOf(counted);
    }

    static Census none() {
        return new Census(Map.of());
    }

    boolean isEmpty() {
        return counted.isEmpty();
    }

    /**
     * Cluster-hours where the answers hold another number of series than the server counted, with
     * what differs: a series missing from the answers, or one that arrived between the two.
     */
    Map<ClusterHourKey, String> disagreements(SeriesPresence answers) {
        return compare(answers, false);
    }

    /** Cluster-hours where the answers hold fewer series than the server counted: series lost on the way. */
    Map<ClusterHourKey, String> shortfalls(SeriesPresence answers) {
        return compare(answers, true);
    }

    private Map<ClusterHourKey, String> compare(SeriesPresence answers, boolean onlyFewer) {
        Map<ClusterHourKey, String> out = new LinkedHashMap<>();
        counted.forEach((key, n) -> {
            int seen = answers.of(key.metric(), key.clusterHour());
            if (seen < n || !onlyFewer && seen != n) {
                out.putIfAbsent(key.clusterHour(), key.metric().metricName("") + ": the server counts " + n
                        + " series, the answers hold " + seen);
            }
        });
        return out;
    }

    /** The census query of a batch: per cluster and hour, the series of each counted metric, labelled by metric. */
    static String query(java.util.function.Function<ExporterMetric, String> selector, String hourRange) {
        StringBuilder q = new StringBuilder();
        for (ExporterMetric m : METRICS) {
            String counted = "count by (" + ExporterLabels.TENANT + ", " + ExporterLabels.CLUSTER + ") (count_over_time("
                    + selector.apply(m) + "[" + hourRange + "]))";
            q.append(q.isEmpty() ? "" : " or ").append("label_replace(").append(counted).append(", \"").append(FAMILY_LABEL)
                    .append("\", \"").append(m.name()).append("\", \"\", \"\")");
        }
        return q.toString();
    }
}
