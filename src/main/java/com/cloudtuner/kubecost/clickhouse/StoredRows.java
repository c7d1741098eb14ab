package com.cloudtuner.kubecost.clickhouse;

import java.util.List;

/**
 * What the expense tables hold for some tenants in a window: the newest version of every key,
 * tombstones included (what a write plans against).
 */
public record StoredRows(List<ExpenseRecord> expenses, List<ExpenseRecord> clusters) {

    public static final StoredRows NOTHING = new StoredRows(List.of(), List.of());

    public StoredRows {
        expenses = List.copyOf(expenses);
        clusters = List.copyOf(clusters);
    }

    /** What readers see in {@code k8s_expenses_current}: the rows that are not tombstones. */
    public List<ExpenseRecord> visibleExpenses() {
        return expenses.stream().filter(r -> !r.deleted()).toList();
    }

    /** What readers see in {@code k8s_cluster_expenses_current}. */
    public List<ExpenseRecord> visibleClusters() {
        return clusters.stream().filter(r -> !r.deleted()).toList();
    }
}
