package com.cloudtuner.kubecost.metrics;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** What a run did, for its metrics: how it ended, its tenants, the rows it wrote and the requests it sent. */
public record RunFacts(Outcome outcome, Tenants tenants, Rows rows, Traffic traffic) {

    /**
     * @param hours        tenant-hours the run computed (each tenant's window)
     * @param skippedHours tenant-hours an hourly run left unprocessed, older than {@code worker.max-catch-up}
     * @param shard        the worker's shard, the push's {@code shard} grouping label; empty for an unsharded worker
     */
    public record Outcome(String mode, Duration duration, boolean succeeded, Instant finishedAt, long hours, long skippedHours,
                          String shard) {
    }

    /**
     * @param watermarkLag per current tenant of the mode (not only the run's), how far its watermark is behind the end
     *                     of the last complete hour; empty when unknown
     * @param latestFailed per current tenant of the mode, whether its latest run failed; empty when unknown
     * @param freshness    per tenant the run wrote rows for, how far its newest row's data lag behind the run's instant
     */
    public record Tenants(int succeeded, int failed, int skipped, Map<String, Duration> watermarkLag, Map<String, Boolean> latestFailed,
                          Map<String, Duration> freshness) {

        /** A run that never reached its tenants. */
        public static final Tenants NONE = new Tenants(0, 0, 0, Map.of(), Map.of(), Map.of());

        public Tenants {
            watermarkLag = Map.copyOf(watermarkLag);
            latestFailed = Map.copyOf(latestFailed);
            freshness = Map.copyOf(freshness);
        }

        /** The largest freshness of the run's tenants, and the (upper) median; empty without any. */
        public List<Duration> freshnessMaxAndMedian() {
            if (freshness.isEmpty()) {
                return List.of();
            }
            List<Duration> sorted = freshness.values().stream().sorted().toList();
            return List.of(sorted.get(sorted.size() - 1), sorted.get(sorted.size() / 2));
        }
    }

    /** Rows of k8s_expenses: computed and current, inserted as new or changed, tombstoned. */
    public record Rows(long written, long changed, long tombstoned) {
        public static final Rows NONE = new Rows(0, 0, 0);
    }

    /** Requests to Thanos (retries included) and statements to ClickHouse. */
    public record Traffic(long thanosRequests, long thanosRetries, long thanosErrors, long clickhouseStatements,
                          long clickhouseInserts) {
    }
}
