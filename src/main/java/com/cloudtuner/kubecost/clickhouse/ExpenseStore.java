package com.cloudtuner.kubecost.clickhouse;

import com.cloudtuner.kubecost.cost.ClusterHourKey;
import com.cloudtuner.kubecost.cost.CostResult;
import com.cloudtuner.kubecost.cost.Window;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Where computed rows go: k8s_expenses and k8s_cluster_expenses, written as {@link WritePlan} decides. */
public interface ExpenseStore {

    /**
     * Writes a batch of tenants' fresh rows of the window; per tenant what it did. A write that fails
     * halfway throws {@link PartialWrite} with what it stored.
     */
    Map<String, WriteResult> write(Collection<String> tenants, Window window, CostResult fresh, WriteKind kind);

    /** What the tables hold for the tenants in the window: the newest version of every key, tombstones included. */
    StoredRows stored(Collection<String> tenants, Window window);

    /**
     * Per tenant with visible rows in the window, how recent they are: the latest end of a complete
     * hour, or {@code computed_at} of a provisional row, whichever is later.
     */
    Map<String, Instant> newestData(Collection<String> tenants, Window window);

    /** Tenants with visible rows in the window: what an erasing backfill must visit besides the discovered ones. */
    List<String> tenantsWithRows(Window window);

    /** The tenants' cluster-hours of the window with at least one visible row (provisional ones included). */
    Set<ClusterHourKey> clusterHoursWithRows(Collection<String> tenants, Window window);
}
