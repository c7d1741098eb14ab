package com.cloudtuner.kubecost.run;

import java.time.Duration;
import java.util.Map;

/**
 * Every current tenant of a run's mode, for the run's metrics: each tenant that a run of the mode
 * processed within {@code worker.max-catch-up} (by the run ledger), and each of this run's.
 *
 * @param failed       per tenant, whether its latest run failed (this run's outcome for its own tenants)
 * @param watermarkLag per tenant with a watermark, how far it is behind the end of the last complete hour as of this run
 * @param freshness    per tenant this hourly run wrote rows for, how far the newest of them lags behind the run's
 *                     instant: the end of a complete hour, or a provisional hour's latest valid sample
 */
public record TenantStates(Map<String, Boolean> failed, Map<String, Duration> watermarkLag, Map<String, Duration> freshness) {

    /** Nothing known (no ledger, a dry run): a push then carries no per-tenant series and leaves those pushed before. */
    public static final TenantStates UNKNOWN = new TenantStates(Map.of(), Map.of(), Map.of());

    public TenantStates {
        failed = Map.copyOf(failed);
        watermarkLag = Map.copyOf(watermarkLag);
        freshness = Map.copyOf(freshness);
    }
}
