package com.cloudtuner.kubecost.cost;

import java.util.List;

/** Rows for {@code k8s_expenses} (namespaces and {@code __unallocated__}) and for {@code k8s_cluster_expenses}. */
public record CostResult(List<CostRow> rows, List<ClusterHour> clusterHours) {

    public CostResult {
        rows = List.copyOf(rows);
        clusterHours = List.copyOf(clusterHours);
    }
}
