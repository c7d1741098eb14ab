package com.cloudtuner.kubecost.run;

import com.cloudtuner.kubecost.cost.Window;
import java.time.Instant;

/**
 * The hours one run processes for one tenant.
 *
 * @param watermark   the tenant's watermark before the run; null for backfills and new tenants
 * @param notCaughtUp hours after the watermark older than {@code worker.max-catch-up}, left for a backfill; null if none
 * @param provisionalAsOf for hours not yet complete ({@code --current-hour}), the instant their
 *                        provisional rows are computed as of; null for complete hours
 */
public record TenantPlan(String tenant, Window window, Instant watermark, Window notCaughtUp, Instant provisionalAsOf) {

    /** A plan of complete hours. */
    public TenantPlan(String tenant, Window window, Instant watermark, Window notCaughtUp) {
        this(tenant, window, watermark, notCaughtUp, null);
    }

    /** The provisional computation, as of {@code asOf}, of a tenant's hours not yet complete: it never moves a watermark. */
    public static TenantPlan provisional(String tenant, Window window, Instant asOf) {
        return new TenantPlan(tenant, window, null, null, asOf);
    }

    public boolean provisional() {
        return provisionalAsOf != null;
    }
}
