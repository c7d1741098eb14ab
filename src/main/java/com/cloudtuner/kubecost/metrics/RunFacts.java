package com.cloudtuner.kubecost.metrics;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * What a run did, for its metrics.
 *
 * @param hours         tenant-hours the run computed (each tenant's window)
 * @param watermarkLag  per current tenant of the mode (not only the run's), how far its watermark is behind the end of
 *                      the last complete hour; empty when unknown
 * @param tenantFailed  per current tenant of the mode, whether its latest run failed; empty when unknown
 */
public record RunFacts(String mode, Duration duration, boolean succeeded, Instant finishedAt, int tenantsSucceeded,
                       int tenantsFailed, int tenantsSkipped, long hours, long rowsWritten, long rowsChanged,
                       long rowsTombstoned, Map<String, Duration> watermarkLag, Map<String, Boolean> tenantFailed, long thanosRequests, long thanosRetries,
                       long thanosErrors, long clickhouseStatements, long clickhouseInserts) {

    public RunFacts {
        watermarkLag = Map.copyOf(watermarkLag);
        tenantFailed = Map.copyOf(tenantFailed);
    }
}
