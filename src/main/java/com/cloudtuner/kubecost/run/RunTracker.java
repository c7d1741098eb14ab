package com.cloudtuner.kubecost.run;

import com.cloudtuner.kubecost.clickhouse.RunLedger;
import com.cloudtuner.kubecost.clickhouse.Watermarks;
import com.cloudtuner.kubecost.clickhouse.WriteResult;
import com.cloudtuner.kubecost.cost.CostResult;
import com.cloudtuner.kubecost.cost.SampleCounts;
import com.cloudtuner.kubecost.terminal.StatusLine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows a run's work units to their end and closes each batch once all its units have ended:
 * its tenants' watermarks (hourly runs) in one insert, then their ledger rows in one insert. A
 * tenant whose watermark or ledger row could not be written is reported failed.
 */
final class RunTracker {

    private static final Logger log = LoggerFactory.getLogger(RunTracker.class);

    private final String runId;
    private final RunRequest request;
    private final Clock clock;
    private final RunLedger ledger;
    private final Watermarks watermarks;
    private final Map<Integer, BatchProgress> batches = new LinkedHashMap<>();
    private final List<TenantOutcome> outcomes = new ArrayList<>();
    private final Map<String, Instant> dataUntil = new LinkedHashMap<>();
    private final RunProgress progress;

    RunTracker(String runId, RunRequest request, RunPlan plan, Clock clock, RunLedger ledger, Watermarks watermarks) {
        this(runId, request, plan, clock, ledger, watermarks, 1);
    }

    /** @param parallelism work units processed at once, which the progress's time left depends on */
    RunTracker(String runId, RunRequest request, RunPlan plan, Clock clock, RunLedger ledger, Watermarks watermarks,
               int parallelism) {
        this.runId = runId;
        this.request = request;
        this.clock = clock;
        this.ledger = ledger;
        this.watermarks = watermarks;
        for (TenantBatch b : plan.batches()) {
            batches.put(b.id(), new BatchProgress(b));
        }
        long hours = plan.batches().stream().mapToLong(b -> (long) b.window().hours() * b.plans().size()).sum();
        int tenants = plan.batches().stream().mapToInt(b -> b.plans().size()).sum();
        this.progress = new RunProgress(runId, tenants, plan.units().size(), hours, parallelism, Duration.ofSeconds(1),
                Duration.ofSeconds(10), System::nanoTime, StatusLine.STDERR);
    }

    synchronized void started(WorkUnit unit) {
        BatchProgress p = batches.get(unit.batch().id());
        if (p.startedAt == null) {
            p.startedAt = clock.instant();
        }
    }

    synchronized void written(UnitResult result) {
        WorkUnit unit = result.unit();
        BatchProgress batch = batches.get(unit.batch().id());
        batch.unitWritten(result);
        for (String tenant : result.written().keySet()) {
            Instant until = result.rows().dataUntil(tenant);
            if (until != null) {
                dataUntil.merge(tenant, until, (a, b) -> a.isAfter(b) ? a : b);
            }
        }
        WriteResult total = result.written().values().stream().reduce(WriteResult.NOTHING, WriteResult::plus);
        progress.unitEnded((long) unit.chunk().hours() * unit.batch().plans().size(), total.rows(),
                batch.complete() ? unit.batch().plans().size() : 0);
        WindowComputation.ReadStats s = result.stats();
        try (LogFields.Scope unitFields = LogFields.with(LogFields.BATCH, String.valueOf(unit.batch().id()), LogFields.WINDOW,
                unit.chunk().toString())) {
            log.atInfo().setMessage("run={} batch={} window={} tenants={} series={} points={} malformed_series={} raw_cluster_hours={}"
                            + " disagreeing_cluster_hours={} rows={} changed={} tombstoned={} refused_cluster_hours={}"
                            + " failed_tenants={} ms={}{}")
                    .addArgument(runId).addArgument(unit.batch().id()).addArgument(unit.chunk())
                    .addArgument(unit.batch().plans().size()).addArgument(s.series()).addArgument(s.points())
                    .addArgument(s.malformedSeries()).addArgument(s.fallbackClusterHours()).addArgument(s.suspectClusterHours())
                    .addArgument(total.rows()).addArgument(total.changed()).addArgument(total.tombstoned())
                    .addArgument(result.rows().refused().size()).addArgument(result.tenantErrors().size()).addArgument(s.millis())
                    .addArgument(request.dryRun() ? " (dry run)" : "")
                    .addKeyValue("tenants", unit.batch().plans().size()).addKeyValue("series", s.series())
                    .addKeyValue("points", s.points()).addKeyValue("rows", total.rows()).addKeyValue("changed", total.changed())
                    .addKeyValue("tombstoned", total.tombstoned()).addKeyValue("refused_cluster_hours", result.rows().refused().size())
                    .addKeyValue("failed_tenants", result.tenantErrors().size()).addKeyValue("ms", s.millis())
                    .log();
            result.tenantErrors().forEach((tenant, reason) -> {
                try (LogFields.Scope tenantField = LogFields.with(LogFields.TENANT, tenant)) {
                    log.error("run={} tenant={} window={} FAILED, nothing written for it: {}", runId, tenant, unit.chunk(), reason);
                }
            });
            result.rows().refused().forEach((key, why) -> {
                try (LogFields.Scope tenantField = LogFields.with(LogFields.TENANT, key.tenant())) {
                    log.error("run={} tenant={} window={} cluster={} hour={} REFUSED, left unwritten: {}", runId, key.tenant(),
                            unit.chunk(), key.cluster(), key.hour(), why);
                }
            });
            for (String tenant : result.written().keySet()) {
                SampleCounts samples = result.sampleCounts(tenant);
                if (samples.any()) {
                    try (LogFields.Scope tenantField = LogFields.with(LogFields.TENANT, tenant)) {
                        log.warn("run={} tenant={} window={} dropped {} samples that were not finite; used {} negative cost samples",
                                runId, tenant, unit.chunk(), samples.nonFinite(), samples.negativeCost());
                    }
                }
            }
        }
    }

    /** @param applied per tenant, what writes that failed halfway left stored (empty for a failed read) */
    synchronized void failed(WorkUnit unit, Throwable cause, Map<String, WriteResult> applied) {
        String reason = Failures.describe(cause);
        BatchProgress batch = batches.get(unit.batch().id());
        batch.unitFailed(unit, reason, applied);
        progress.unitEnded((long) unit.chunk().hours() * unit.batch().plans().size(), 0,
                batch.complete() ? unit.batch().plans().size() : 0);
        WriteResult stored = applied.values().stream().reduce(WriteResult.NOTHING, WriteResult::plus);
        try (LogFields.Scope unitFields = LogFields.with(LogFields.BATCH, String.valueOf(unit.batch().id()), LogFields.WINDOW,
                unit.chunk().toString())) {
            // the cause first: one line per failed unit of a batch, whatever the number of its tenants
            log.atError().setMessage("{}: run={} batch={} window={} tenants={} FAILED, {}")
                    .addArgument(reason).addArgument(runId).addArgument(unit.batch().id()).addArgument(unit.chunk())
                    .addArgument(unit.batch().tenants().size())
                    .addArgument(stored.changed() + stored.tombstoned() == 0 ? "nothing written for it"
                            : "changed=" + stored.changed() + " tombstoned=" + stored.tombstoned() + " stored before it failed")
                    .addKeyValue("tenants", unit.batch().tenants().size()).addKeyValue("changed", stored.changed())
                    .addKeyValue("tombstoned", stored.tombstoned())
                    .log();
        }
    }

    /** Closes every batch whose units have all ended and that is not closed yet. */
    synchronized void closeCompletedBatches() {
        for (BatchProgress p : batches.values()) {
            if (p.complete() && !p.reported) {
                p.reported = true;
                close(p);
            }
        }
    }

    synchronized List<TenantOutcome> outcomes() {
        return List.copyOf(outcomes);
    }

    /** Per tenant with rows written, the latest instant its rows' data reach (see {@link CostResult#dataUntil}). */
    synchronized Map<String, Instant> dataUntil() {
        return Map.copyOf(dataUntil);
    }

    /** How the tenant ended, as far as its status goes. */
    private static TenantOutcome outcome(BatchProgress p, String tenant) {
        return new TenantOutcome(null, WriteResult.NOTHING, null, p.errors(tenant), p.failedWindows(tenant), p.refused(tenant),
                null, null);
    }

    private void close(BatchProgress p) {
        Instant started = p.startedAt == null ? clock.instant() : p.startedAt;
        Map<String, Instant> until = new LinkedHashMap<>();
        Map<String, Instant> advances = new LinkedHashMap<>();
        for (TenantPlan plan : p.batch.plans()) {
            Instant writtenUntil = WatermarkPolicy.writtenUntil(plan.window(), p.batch.chunks(), p.chunksWritten(plan.tenant()));
            until.put(plan.tenant(), writtenUntil);
            if (request.mode() == RunRequest.Mode.HOURLY && !request.dryRun()) {
                WatermarkPolicy.advance(plan, writtenUntil).ifPresent(w -> advances.put(plan.tenant(), w));
            }
        }
        try {
            watermarks.advance(advances, runId);
        } catch (RuntimeException e) {
            advances.keySet().forEach(t -> p.errors(t).add("watermark not advanced: " + e.getMessage()));
            advances.clear();
        }
        Instant finished = clock.instant();
        if (!request.dryRun()) {
            List<RunLedger.Entry> entries = new ArrayList<>();
            for (TenantPlan plan : p.batch.plans()) {
                List<String> lines = new ArrayList<>(p.errors(plan.tenant()));
                lines.addAll(p.refused(plan.tenant()).stream().map(r -> "refused " + r).toList());
                entries.add(new RunLedger.Entry(runId, request.mode().label(), plan.tenant(), plan.window().start(),
                        plan.window().end(), outcome(p, plan.tenant()).status(), p.written(plan.tenant()),
                        p.samples(plan.tenant()), p.refused(plan.tenant()).size(), started, finished, String.join("\n", lines),
                        plan.provisional(), plan.notCaughtUp(), request.shard().label()));
            }
            try {
                ledger.record(entries);
            } catch (RuntimeException e) {
                p.batch.tenants().forEach(t -> p.errors(t).add("run ledger not written: " + e.getMessage()));
            }
        }
        for (TenantPlan plan : p.batch.plans()) {
            TenantOutcome o = new TenantOutcome(plan, p.written(plan.tenant()), until.get(plan.tenant()),
                    p.errors(plan.tenant()), p.failedWindows(plan.tenant()), p.refused(plan.tenant()), started, finished);
            outcomes.add(o);
            WriteResult w = o.written();
            try (LogFields.Scope tenantFields = LogFields.with(LogFields.TENANT, plan.tenant(), LogFields.WINDOW,
                    plan.window().toString())) {
                log.atInfo().setMessage("run={} tenant={} window={}{} {}: rows={} changed={} tombstoned={}{}")
                        .addArgument(runId).addArgument(plan.tenant()).addArgument(plan.window())
                        .addArgument(plan.provisional() ? " provisional" : "").addArgument(o.status()).addArgument(w.rows())
                        .addArgument(w.changed()).addArgument(w.tombstoned())
                        .addArgument(advances.containsKey(plan.tenant()) ? " watermark=" + advances.get(plan.tenant()) : "")
                        .addKeyValue("status", o.status()).addKeyValue("rows", w.rows()).addKeyValue("changed", w.changed())
                        .addKeyValue("tombstoned", w.tombstoned())
                        .log();
            }
        }
    }
}
