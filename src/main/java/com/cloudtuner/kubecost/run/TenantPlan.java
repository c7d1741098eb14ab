package com.cloudtuner.kubecost.run;

import com.cloudtuner.kubecost.cost.Window;
import java.time.Instant;

/**
 * The hours one run processes for one tenant.
 *
 * @param watermark   the tenant's watermark before the run; null for backfills and new tenants
 * @param notCaughtUp hours after the watermark older than {@code worker.max-catch-up}, left for a backfill; null if none
 */
public record TenantPlan(String tenant, Window window, Instant watermark, Window notCaughtUp) {
}
