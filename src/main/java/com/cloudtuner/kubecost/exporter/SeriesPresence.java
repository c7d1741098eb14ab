package com.cloudtuner.kubecost.exporter;

import com.cloudtuner.kubecost.cost.ClusterHourKey;
import com.cloudtuner.kubecost.cost.ExporterMetric;
import com.cloudtuner.kubecost.cost.Window;
import java.util.HashMap;
import java.util.Map;

/**
 * How many series of the counted metrics ({@link Census#METRICS}) an answer holds per cluster-hour:
 * well-formed ones and those lacking a label a row needs alike, as the server's own count has them.
 */
final class SeriesPresence {

    /** One metric in one cluster-hour. */
    record Key(ExporterMetric metric, ClusterHourKey clusterHour) {
    }

    private final Map<Key, Integer> series = new HashMap<>();

    /** One series of {@code metric} with samples (or a count) in the hour. */
    void add(ExporterMetric metric, Map<String, String> labels, long hourMs) {
        String tenant = labels.get(ExporterLabels.TENANT);
        if (!Census.METRICS.contains(metric) || tenant == null) {
            return;
        }
        String cluster = labels.getOrDefault(ExporterLabels.CLUSTER, "");
        series.merge(new Key(metric, ClusterHourKey.ofMillis(tenant, cluster, hourMs)), 1, Integer::sum);
    }

    /** One series of {@code metric} for each hour its samples fall in. */
    void addSamples(ExporterMetric metric, Map<String, String> labels, long[] timestamps, Window window) {
        long last = Long.MIN_VALUE;
        for (long t : timestamps) {
            long hour = Window.hourOf(t);
            if (hour != last && t >= window.startMs() && t < window.endMs()) {
                add(metric, labels, hour);
            }
            last = hour;
        }
    }

    int of(ExporterMetric metric, ClusterHourKey clusterHour) {
        return series.getOrDefault(new Key(metric, clusterHour), 0);
    }
}
