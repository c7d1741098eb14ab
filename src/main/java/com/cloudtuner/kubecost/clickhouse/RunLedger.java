package com.cloudtuner.kubecost.clickhouse;

import com.cloudtuner.kubecost.cost.SampleCounts;
import com.cloudtuner.kubecost.cost.Window;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** What runs did: a row per tenant and run, and a run's start and end. */
public interface RunLedger {

    /**
     * One tenant's part of a run.
     *
     * @param status  {@code succeeded}, {@code partial} (cluster-hours refused, the rest written) or {@code failed}
     * @param samples non-finite samples dropped and negative cost samples used
     * @param refused cluster-hours left unwritten because their data contradict themselves
     * @param error   empty when it succeeded; otherwise what failed or was refused, one line each
     * @param provisional the window holds hours not yet complete, computed as of the run: no watermark moved
     * @param skipped hours after the tenant's watermark that the hourly run left unprocessed, older than
     *                {@code worker.max-catch-up} (its watermark moves past them); null if none
     * @param shard   the worker shard that ran it, {@code index/count} ({@code 0/3}); empty for an unsharded worker
     */
    record Entry(String runId, String mode, String tenant, Instant windowStart, Instant windowEnd, String status,
                        WriteResult written, SampleCounts samples, int refused, Instant startedAt, Instant finishedAt,
                        String error, boolean provisional, Window skipped, String shard) {

        /** An entry of an unsharded worker that skipped no hours (every backfill's, and most hourly runs'). */
        public Entry(String runId, String mode, String tenant, Instant windowStart, Instant windowEnd, String status,
                     WriteResult written, SampleCounts samples, int refused, Instant startedAt, Instant finishedAt,
                     String error, boolean provisional) {
            this(runId, mode, tenant, windowStart, windowEnd, status, written, samples, refused, startedAt, finishedAt, error,
                    provisional, null, "");
        }
    }

    /**
     * A run as a whole, in k8s_worker_runs: a row when it starts ({@code running}) and one when it
     * ends ({@code succeeded} or {@code failed}).
     *
     * @param shard the worker shard that ran it, as in {@link Entry#shard}; empty for an unsharded worker
     */
    record Run(String runId, String mode, String status, Instant windowStart, Instant windowEnd, int tenants,
                      int failedTenants, Instant startedAt, Instant finishedAt, String error, String shard) {
    }

    void record(Run run);

    void record(List<Entry> entries);

    /** The tenants' entries (every tenant's for none given) of runs started in [from, to], oldest first. */
    List<Entry> entries(Instant from, Instant to, Collection<String> tenants);

    /** The rows of k8s_worker_runs of runs started in [from, to], a run's start before its end, oldest first. */
    List<Run> runs(Instant from, Instant to);

    /** Those of {@link #entries} that skipped hours. */
    default List<Entry> skippedHours(Instant from, Instant to, Collection<String> tenants) {
        return entries(from, to, tenants).stream().filter(e -> e.skipped() != null).toList();
    }

    /** Per tenant a run of the mode processed since the instant, whether its latest such run did not succeed. */
    Map<String, Boolean> latestFailed(String mode, Instant since);
}
