package com.cloudtuner.kubecost.job;

import com.cloudtuner.kubecost.clickhouse.RunLedger;
import com.cloudtuner.kubecost.clickhouse.Watermarks;
import com.cloudtuner.kubecost.thanos.PromQl;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The two halves of a run, without Spring Batch: deciding which tenant processes which hours, and
 * processing them on a bounded pool. Each tenant's ledger row and watermark are written as soon as
 * that tenant ends, so a crash later in the run loses nothing that was written.
 */
public final class CostRun {

    private static final Logger log = LoggerFactory.getLogger(CostRun.class);

    private final TenantDiscovery discovery;
    private final HourlyPlanner planner;
    private final TenantProcessor processor;
    private final RunLedger ledger;
    private final Watermarks watermarks;
    private final Function<Window, List<String>> storedTenants;
    private final int parallelism;
    private final Clock clock;

    /** @param storedTenants tenants with stored rows in a window (for {@code --erase-missing}) */
    public CostRun(TenantDiscovery discovery, HourlyPlanner planner, TenantProcessor processor, RunLedger ledger,
                   Watermarks watermarks, Function<Window, List<String>> storedTenants, int parallelism, Clock clock) {
        this.discovery = discovery;
        this.planner = planner;
        this.processor = processor;
        this.ledger = ledger;
        this.watermarks = watermarks;
        this.storedTenants = storedTenants;
        this.parallelism = parallelism;
        this.clock = clock;
    }

    /** The tenants' plans, and discovered ids that were skipped because they do not match the tenant pattern. */
    public record Plan(List<TenantPlan> tenants, List<String> invalidTenants) {
    }

    public Plan plan(RunRequest request) {
        Window discoveryWindow;
        Map<String, Instant> marks = Map.of();
        if (request.mode() == RunRequest.Mode.HOURLY) {
            marks = watermarks.all();
            discoveryWindow = planner.discoveryWindow(request.now(), marks);
        } else {
            discoveryWindow = request.window();
        }
        if (request.eraseMissing()) {
            log.warn("ERASE mode (--erase-missing): stored rows in {} that the metrics store has no data for will be tombstoned",
                    request.window());
        }
        TenantDiscovery.Tenants tenants;
        if (!request.tenants().isEmpty()) {
            tenants = discovery.split(request.tenants());
        } else {
            List<String> found = new ArrayList<>(discovery.discover(discoveryWindow));
            if (request.eraseMissing()) {
                found.addAll(storedTenants.apply(request.window())); // tenants whose data is gone entirely
            }
            tenants = discovery.split(found);
            if (tenants.valid().isEmpty()) {
                log.warn("no tenant has exporter series in {}", discoveryWindow);
            }
        }
        for (String invalid : tenants.invalid()) {
            log.warn("skipping tenant id {}: it does not match worker.tenant-pattern", PromQl.quote(invalid));
        }
        List<TenantPlan> plans = new ArrayList<>();
        for (String tenant : tenants.valid()) {
            TenantPlan plan = request.mode() == RunRequest.Mode.HOURLY
                    ? planner.plan(tenant, marks.get(tenant), request.now())
                    : new TenantPlan(tenant, request.window(), null, null);
            if (plan.notCaughtUp() != null) {
                log.warn("tenant={} hours {} are older than worker.max-catch-up and were not processed; fill them with: {}",
                        tenant, plan.notCaughtUp(), RunReport.backfillCommand(plan));
            }
            // a tenant seen for the first time is kept even with nothing to compute yet
            // (worker.reprocess-hours=0), so that its watermark starts here
            if (!plan.window().isEmpty() || request.mode() == RunRequest.Mode.HOURLY && plan.watermark() == null) {
                plans.add(plan);
            }
        }
        log.info("{} run: {} tenants to process{}, {} skipped (invalid id)", request.mode().label(), plans.size(),
                request.tenants().isEmpty() ? " (discovered in " + discoveryWindow + ")" : "", tenants.invalid().size());
        return new Plan(plans, tenants.invalid());
    }

    public List<TenantOutcome> process(String runId, RunRequest request, List<TenantPlan> plans, PrintStream dryRunOut) {
        AtomicInteger threadNumber = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(parallelism, plans.size())), r -> {
            Thread t = new Thread(r, "tenant-" + threadNumber.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<TenantOutcome>> futures = new ArrayList<>();
            for (TenantPlan plan : plans) {
                futures.add(pool.submit(() -> processTenant(runId, request, plan, dryRunOut)));
            }
            List<TenantOutcome> outcomes = new ArrayList<>();
            for (Future<TenantOutcome> f : futures) {
                outcomes.add(f.get());
            }
            return outcomes;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while processing tenants", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("tenant processing failed unexpectedly", e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private TenantOutcome processTenant(String runId, RunRequest request, TenantPlan plan, PrintStream dryRunOut) {
        TenantOutcome outcome = processor.process(plan, request.eraseMissing(), request.dryRun() ? dryRunOut : null);
        if (request.dryRun()) {
            return outcome;
        }
        List<String> errors = new ArrayList<>(outcome.errors());
        boolean wroteHours = outcome.writtenUntil().isAfter(plan.window().start());
        boolean firstSighting = plan.watermark() == null && plan.window().isEmpty();
        boolean advances = request.mode() == RunRequest.Mode.HOURLY && (wroteHours || firstSighting)
                && (plan.watermark() == null || outcome.writtenUntil().isAfter(plan.watermark()));
        if (advances) {
            try {
                watermarks.advance(plan.tenant(), outcome.writtenUntil(), runId);
            } catch (RuntimeException e) {
                errors.add("watermark not advanced: " + e.getMessage());
            }
        }
        Instant finished = clock.instant();
        try {
            ledger.record(new RunLedger.Entry(runId, request.mode().label(), plan.tenant(),
                    plan.window().start(), plan.window().end(), errors.isEmpty() ? "succeeded" : "failed", outcome.written(),
                    outcome.startedAt(), finished, String.join("\n", errors)));
        } catch (RuntimeException e) {
            errors.add("run ledger not written: " + e.getMessage());
        }
        TenantOutcome recorded = new TenantOutcome(plan, outcome.written(), outcome.writtenUntil(), errors, outcome.startedAt(), finished);
        log.info("tenant={} window={} {}: rows={} changed={} tombstoned={}{}", plan.tenant(), plan.window(), recorded.status(),
                outcome.written().rows(), outcome.written().changed(), outcome.written().tombstoned(),
                advances && recorded.succeeded() ? " watermark=" + outcome.writtenUntil() : "");
        return recorded;
    }
}
