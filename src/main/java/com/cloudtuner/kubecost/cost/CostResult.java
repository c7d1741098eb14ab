package com.cloudtuner.kubecost.cost;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Rows for {@code k8s_expenses} (namespaces and {@code __unallocated__}) and for {@code k8s_cluster_expenses}. */
public record CostResult(List<CostRow> rows, List<ClusterHour> clusterHours) {

    public static final CostResult EMPTY = new CostResult(List.of(), List.of());

    public CostResult {
        rows = List.copyOf(rows);
        clusterHours = List.copyOf(clusterHours);
    }

    /** All rows of several results, in key order. */
    public static CostResult merged(Iterable<CostResult> results) {
        List<CostRow> rows = new ArrayList<>();
        List<ClusterHour> clusters = new ArrayList<>();
        for (CostResult r : results) {
            rows.addAll(r.rows());
            clusters.addAll(r.clusterHours());
        }
        return sorted(rows, clusters);
    }

    /** In key order: tenant, cluster, namespace, hour. */
    static CostResult sorted(List<CostRow> rows, List<ClusterHour> clusterHours) {
        List<CostRow> r = new ArrayList<>(rows);
        r.sort(Comparator.comparing(CostRow::tenant).thenComparing(CostRow::cluster)
                .thenComparing(CostRow::namespace).thenComparing(CostRow::hour));
        List<ClusterHour> c = new ArrayList<>(clusterHours);
        c.sort(Comparator.comparing(ClusterHour::tenant).thenComparing(ClusterHour::cluster).thenComparing(ClusterHour::hour));
        return new CostResult(r, c);
    }
}
