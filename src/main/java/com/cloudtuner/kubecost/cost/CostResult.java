package com.cloudtuner.kubecost.cost;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Rows for {@code k8s_expenses} (namespaces and {@code __unallocated__}) and for
 * {@code k8s_cluster_expenses}, and per cluster-hour the samples dropped as not finite or used
 * although negative.
 */
public record CostResult(List<CostRow> rows, List<ClusterHour> clusterHours, Map<ClusterHourKey, SampleCounts> sampleCounts) {

    public static final CostResult EMPTY = new CostResult(List.of(), List.of());

    public CostResult {
        rows = List.copyOf(rows);
        clusterHours = List.copyOf(clusterHours);
        sampleCounts = Map.copyOf(sampleCounts);
    }

    public CostResult(List<CostRow> rows, List<ClusterHour> clusterHours) {
        this(rows, clusterHours, Map.of());
    }

    /** The sample counts of one tenant's cluster-hours, added up. */
    public SampleCounts sampleCountsOf(String tenant) {
        SampleCounts total = SampleCounts.NONE;
        for (Map.Entry<ClusterHourKey, SampleCounts> e : sampleCounts.entrySet()) {
            if (e.getKey().tenant().equals(tenant)) {
                total = total.plus(e.getValue());
            }
        }
        return total;
    }

    /** All rows of several results, in key order. */
    public static CostResult merged(Iterable<CostResult> results) {
        List<CostRow> rows = new ArrayList<>();
        List<ClusterHour> clusters = new ArrayList<>();
        Map<ClusterHourKey, SampleCounts> counts = new HashMap<>();
        for (CostResult r : results) {
            rows.addAll(r.rows());
            clusters.addAll(r.clusterHours());
            r.sampleCounts().forEach((k, v) -> counts.merge(k, v, SampleCounts::plus));
        }
        return sorted(rows, clusters, counts);
    }

    /** In key order: tenant, cluster, namespace, hour. */
    static CostResult sorted(List<CostRow> rows, List<ClusterHour> clusterHours, Map<ClusterHourKey, SampleCounts> counts) {
        List<CostRow> r = new ArrayList<>(rows);
        r.sort(Comparator.comparing(CostRow::tenant).thenComparing(CostRow::cluster)
                .thenComparing(CostRow::namespace).thenComparing(CostRow::hour));
        List<ClusterHour> c = new ArrayList<>(clusterHours);
        c.sort(Comparator.comparing(ClusterHour::tenant).thenComparing(ClusterHour::cluster).thenComparing(ClusterHour::hour));
        return new CostResult(r, c, counts);
    }
}
