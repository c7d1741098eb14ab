package com.cloudtuner.kubecost.clickhouse;

import java.time.LocalDate;
import java.util.Collection;
import java.util.SortedSet;

/**
 * {@code k8s_expenses_daily}: the billed hourly rows of {@code k8s_expenses} summed per namespace
 * resource and UTC day, the relation the REST API reads like its cloud {@code expenses} table.
 */
public interface DailyExpenses {

    /**
     * Rebuilds the given UTC days, every tenant's rows of each, from what {@code k8s_expenses} holds
     * now, and any day of {@code k8s_expenses} never built; returns the days rebuilt. A writer of
     * {@code k8s_expenses} calls it for its days after its writes, so the last rebuild of a day sees
     * every write to it.
     */
    SortedSet<LocalDate> rebuild(Collection<LocalDate> days, String runId);
}
