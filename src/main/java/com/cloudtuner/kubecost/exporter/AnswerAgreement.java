package com.cloudtuner.kubecost.exporter;

import com.cloudtuner.kubecost.cost.ClusterHourKey;
import com.cloudtuner.kubecost.cost.ExporterMetric;
import com.cloudtuner.kubecost.cost.SeriesRef;
import com.cloudtuner.kubecost.cost.Series;
import com.cloudtuner.kubecost.cost.SeriesHours;
import com.cloudtuner.kubecost.cost.Window;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Whether the answers of one work unit tell the same story. The exporter writes all series of a
 * row (a namespace, or the cluster) at each scrape, so within a row every metric it publishes
 * has as many samples in an hour as the others; the health series read first has as many as
 * it has when counted again last. A series missing from one answer, or a sample that arrived
 * between two queries, breaks one of these, and the cluster-hour is named to be read raw.
 */
final class AnswerAgreement {

    private AnswerAgreement() {
    }

    /** A row as one scrape target publishes it: currency set aside (a currency change is the rules' matter). */
    private record RowTarget(String tenant, String cluster, String namespace, String replica) {
    }

    /**
     * Cluster-hours in which a row's metrics have different sample counts. A row is expected to have
     * every metric some row of its kind (namespace or cluster) in its cluster has in the unit: an
     * exporter that publishes a metric for no row of a cluster is not a fault, one series missing
     * where its neighbours have theirs is.
     */
    static Map<ClusterHourKey, String> rowsDisagreeing(Window window, Collection<SeriesHours> series) {
        Map<RowTarget, Map<ExporterMetric, int[]>> rows = new HashMap<>();
        Map<List<Object>, java.util.Set<ExporterMetric>> published = new HashMap<>(); // per tenant, cluster and row kind
        for (SeriesHours s : series) {
            RowTarget row = new RowTarget(s.ref().tenant(), s.ref().cluster(), s.ref().namespace(), s.ref().replica());
            int[] counts = rows.computeIfAbsent(row, k -> new EnumMap<>(ExporterMetric.class))
                    .computeIfAbsent(s.ref().metric(), k -> new int[window.hours()]);
            for (int i = 0; i < s.hours(); i++) {
                counts[i] += s.counts()[i]; // a row's series in two currencies: their samples together
            }
            published.computeIfAbsent(kind(row), k -> java.util.EnumSet.noneOf(ExporterMetric.class)).add(s.ref().metric());
        }
        Map<ClusterHourKey, String> out = new LinkedHashMap<>();
        rows.forEach((row, metrics) -> {
            java.util.Set<ExporterMetric> expected = published.get(kind(row));
            for (int i = 0; i < window.hours(); i++) {
                int min = Integer.MAX_VALUE;
                int max = 0;
                for (ExporterMetric m : expected) {
                    int[] c = metrics.get(m);
                    int n = c == null ? 0 : c[i];
                    min = Math.min(min, n);
                    max = Math.max(max, n);
                }
                if (max > 0 && min != max) {
                    out.putIfAbsent(ClusterHourKey.ofMillis(row.tenant(), row.cluster(), window.startMs() + i * Window.HOUR_MS),
                            (row.namespace() == null ? "the cluster's" : "namespace " + row.namespace() + "'s")
                                    + " metrics have between " + min + " and " + max + " samples");
                }
            }
        });
        return out;
    }

    private static List<Object> kind(RowTarget row) {
        return List.of(row.tenant(), row.cluster(), row.namespace() == null);
    }

    /** Cluster-hours whose health samples were counted differently at the start and at the end of the unit. */
    static Map<ClusterHourKey, String> healthChanged(Window window, List<Series> healthRead,
                                                     Map<SeriesRef, Map<Long, Integer>> recount) {
        Map<SeriesRef, Map<Long, Integer>> first = new HashMap<>();
        for (Series h : healthRead) {
            for (long t : h.timestamps()) {
                if (t >= window.startMs() && t < window.endMs()) {
                    first.computeIfAbsent(h.ref(), k -> new HashMap<>()).merge(Window.hourOf(t), 1, Integer::sum);
                }
            }
        }
        Map<ClusterHourKey, String> out = new LinkedHashMap<>();
        java.util.Set<SeriesRef> targets = new java.util.HashSet<>(first.keySet());
        targets.addAll(recount.keySet());
        for (SeriesRef target : targets) {
            for (long h = window.startMs(); h < window.endMs(); h += Window.HOUR_MS) {
                int before = first.getOrDefault(target, Map.of()).getOrDefault(h, 0);
                int after = recount.getOrDefault(target, Map.of()).getOrDefault(h, 0);
                if (before != after) {
                    out.putIfAbsent(ClusterHourKey.ofMillis(target.tenant(), target.cluster(), h),
                            "the health series had " + before + " samples, then " + after);
                }
            }
        }
        return out;
    }
}
