package com.cloudtuner.kubecost.run;

import com.cloudtuner.kubecost.cost.Window;
import java.time.Instant;
import java.util.List;

/**
 * Tenants that share a window and are read and written together, one request per metric and one
 * insert per table for each chunk of the window.
 *
 * @param id     1-based, in the order batches are processed
 * @param chunks the window's chunks, in order; each with the batch is one work unit
 */
public record TenantBatch(int id, Window window, List<TenantPlan> plans, List<Window> chunks) {

    public TenantBatch {
        plans = List.copyOf(plans);
        chunks = List.copyOf(chunks);
        if (plans.stream().map(TenantPlan::provisional).distinct().count() > 1) {
            throw new IllegalArgumentException("a batch holds either complete hours or provisional ones");
        }
    }

    /** The instant the batch computes hours not yet complete as of (its plans'); null for complete hours. */
    public Instant provisionalAsOf() {
        return plans.isEmpty() ? null : plans.get(0).provisionalAsOf();
    }

    public boolean provisional() {
        return provisionalAsOf() != null;
    }

    public List<String> tenants() {
        return plans.stream().map(TenantPlan::tenant).toList();
    }

    @Override
    public String toString() {
        return "batch " + id + " (" + RunReport.count(plans.size(), "tenant") + ", " + window + (provisional() ? ", provisional" : "") + ")";
    }
}
