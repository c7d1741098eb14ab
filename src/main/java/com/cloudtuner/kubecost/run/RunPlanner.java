package com.cloudtuner.kubecost.run;

import com.cloudtuner.kubecost.clickhouse.ExpenseStore;
import com.cloudtuner.kubecost.clickhouse.Watermarks;
import com.cloudtuner.kubecost.config.WorkerProperties.ReadMode;
import com.cloudtuner.kubecost.cost.Window;
import com.cloudtuner.kubecost.exporter.TenantBatches;
import com.cloudtuner.kubecost.exporter.ExporterSource;
import com.cloudtuner.kubecost.thanos.PromQl;
import com.cloudtuner.kubecost.thanos.ThanosQueryException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides what a run does: which tenants (given, or discovered in Thanos, and of those the ones of
 * this worker's {@link Shard}), which hours each one gets (the {@link WatermarkPolicy}), and how
 * they are cut into batches of tenants sharing a window and into chunks of that window.
 */
final class RunPlanner {

    private static final Logger log = LoggerFactory.getLogger(RunPlanner.class);

    /** Series of all metrics per namespace series of one metric, roughly: what a raw read holds per census unit. */
    private static final int METRICS_PER_NAMESPACE_SERIES = 8;

    /** Batch bounds and chunking, and the heap they must fit in. */
    record Limits(int maxSeries, int maxTenants, int chunkHours, long maxRawSamples, long minScrapeIntervalMs, HeapBudget heap) {
    }

    private final ExporterSource census;
    private final TenantIds tenantIds;
    private final WatermarkPolicy policy;
    private final Watermarks watermarks;
    private final ExpenseStore store;
    private final ReadMode mode;
    private final Limits limits;

    RunPlanner(ExporterSource census, TenantIds tenantIds, WatermarkPolicy policy, Watermarks watermarks, ExpenseStore store,
               ReadMode mode, Limits limits) {
        this.census = census;
        this.tenantIds = tenantIds;
        this.policy = policy;
        this.watermarks = watermarks;
        this.store = store;
        this.mode = mode;
        this.limits = limits;
    }

    /** Raw samples one read may return, the heap considered. */
    long rawSampleBudget() {
        return limits.heap().maxRawSamples(limits.maxRawSamples());
    }

    WatermarkPolicy policy() {
        return policy;
    }

    RunPlan plan(String runId, RunRequest request) {
        Window discoveryWindow;
        Map<String, Instant> marks = Map.of();
        if (request.mode() == RunRequest.Mode.HOURLY) {
            marks = watermarks.all();
            discoveryWindow = policy.discoveryWindow(request.now(), marks);
        } else {
            discoveryWindow = request.window();
        }
        if (request.eraseMissing()) {
            log.warn("run={} ERASE mode (--erase-missing): stored rows in {} that the metrics store has no data for will be tombstoned",
                    runId, request.window());
        }
        TenantIds.Split tenants = tenants(runId, request, discoveryWindow);
        for (String invalid : tenants.invalid()) {
            log.warn("run={} skipping tenant id {}: it does not match worker.tenant-pattern", runId, PromQl.quote(invalid));
        }
        Map<Window, List<TenantPlan>> byWindow = new LinkedHashMap<>();
        for (String tenant : tenants.valid()) {
            TenantPlan plan = request.mode() == RunRequest.Mode.HOURLY
                    ? policy.plan(tenant, marks.get(tenant), request.now())
                    : new TenantPlan(tenant, request.window(), null, null);
            if (plan.notCaughtUp() != null) {
                log.warn("run={} tenant={} hours {} are older than worker.max-catch-up and were not processed; fill them with: {}",
                        runId, tenant, plan.notCaughtUp(), RunReport.backfillCommand(plan));
            }
            // a tenant seen for the first time is kept even with nothing to compute yet
            // (worker.reprocess-hours=0), so that its watermark starts here
            if (!plan.window().isEmpty() || request.mode() == RunRequest.Mode.HOURLY && plan.watermark() == null) {
                byWindow.computeIfAbsent(plan.window(), w -> new ArrayList<>()).add(plan);
            }
        }
        List<TenantBatch> batches = new ArrayList<>();
        batches(byWindow, byWindow.isEmpty() ? Map.of() : seriesPerTenant(runId, discoveryWindow), batches);
        List<String> invalid = new ArrayList<>(tenants.invalid());
        if (request.currentHour()) {
            provisionalBatches(runId, request, marks, tenants.valid(), batches, invalid);
        }
        RunPlan plan = new RunPlan(batches, invalid);
        log.info("run={} {}: {} tenants in {} batches, {} work units{}{}, {} skipped (invalid id)", runId, request.mode().label(),
                plan.plans().stream().map(TenantPlan::tenant).distinct().count(), batches.size(), plan.units().size(),
                request.tenants().isEmpty() ? " (discovered in " + discoveryWindow + ")" : "",
                request.shard().sharded() ? " of shard " + request.shard().label() : "", tenants.invalid().size());
        return plan;
    }

    /** The tenants given, or those with series in the discovery window (and, erasing, those with rows), split by the pattern. */
    private TenantIds.Split tenants(String runId, RunRequest request, Window discoveryWindow) {
        if (!request.tenants().isEmpty()) {
            return ofThisShard(runId, request.shard(), tenantIds.split(request.tenants()), true);
        }
        List<String> found = new ArrayList<>(census.discover(discoveryWindow));
        if (request.eraseMissing()) {
            found.addAll(store.tenantsWithRows(request.window())); // tenants whose data is gone entirely
        }
        TenantIds.Split all = tenantIds.split(found);
        if (all.valid().isEmpty()) {
            log.warn("run={} no tenant has exporter series in {}", runId, discoveryWindow);
        }
        TenantIds.Split tenants = ofThisShard(runId, request.shard(), all, false);
        if (request.shard().sharded()) {
            log.info("run={} shard {}: {} of the {} tenants found are this shard's", runId, request.shard().label(),
                    tenants.valid().size(), all.valid().size());
        }
        return tenants;
    }

    /**
     * The tenants of this worker's shard, the valid ids and the invalid ones alike (an invalid id is
     * reported by its own shard alone, so N shards report it once, as one worker would). Tenants given
     * with --tenant or TENANTS are sharded too, each one left out said in a line: the pods of a sharded
     * Job all get the same arguments and settings (a backfill Job made from the sharded CronJob, a
     * TENANTS list in the ConfigMap); if given tenants bypassed the shards, every pod would
     * process each of them, N times over and at once. Run an unsharded worker to process given tenants
     * whatever their shard.
     *
     * @param given the ids were given, not discovered: each one left out is logged
     */
    private static TenantIds.Split ofThisShard(String runId, Shard shard, TenantIds.Split ids, boolean given) {
        if (!shard.sharded()) {
            return ids;
        }
        List<String> valid = new ArrayList<>();
        for (String tenant : ids.valid()) {
            if (shard.owns(tenant)) {
                valid.add(tenant);
            } else if (given) {
                log.info("run={} tenant={} skipped: it is shard {}'s, this worker is shard {}", runId, tenant,
                        shard.ofTenant(tenant).label(), shard.label());
            }
        }
        return new TenantIds.Split(valid, ids.invalid().stream().filter(shard::owns).toList());
    }

    /**
     * {@code --current-hour}: the hours after the last complete one, computed as of the run's instant
     * for every tenant with series in them (or every tenant given), new ones included, from its
     * watermark on if that is later (a run evaluated in the past never writes provisional rows into
     * hours already final). Their plans carry no watermark: a provisional computation is never a
     * tenant's first sighting. When the discovery fails, the tenants of the complete hours stand in
     * (a tenant new in the hour in progress then waits for the next run).
     */
    private void provisionalBatches(String runId, RunRequest request, Map<String, Instant> marks, List<String> planned,
                                    List<TenantBatch> batches, List<String> invalid) {
        Window hours = policy.provisionalWindow(request.now());
        Instant asOf = request.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS); // it becomes computed_at
        List<String> found = request.tenants();
        if (found.isEmpty()) {
            try {
                found = census.discover(hours);
            } catch (ThanosQueryException e) {
                log.warn("run={} discovering the tenants of the hours in progress failed, those of the complete hours stand in: {}",
                        runId, e.getMessage());
                found = planned;
            }
        }
        // the given tenants left out were logged with the complete hours' plan
        TenantIds.Split tenants = ofThisShard(runId, request.shard(), tenantIds.split(found), false);
        tenants.invalid().stream().filter(t -> !invalid.contains(t)).forEach(t -> {
            invalid.add(t);
            log.warn("run={} skipping tenant id {}: it does not match worker.tenant-pattern", runId, PromQl.quote(t));
        });
        Map<Window, List<TenantPlan>> byWindow = new LinkedHashMap<>();
        for (String tenant : tenants.valid()) {
            Window window = policy.provisionalWindow(request.now(), marks.get(tenant));
            if (!window.isEmpty()) {
                byWindow.computeIfAbsent(window, w -> new ArrayList<>()).add(TenantPlan.provisional(tenant, window, asOf));
            }
        }
        if (!byWindow.isEmpty()) {
            batches(byWindow, seriesPerTenant(runId, hours), batches);
        }
    }

    /** Per window, its tenants cut into batches by their series (each batch's window cut into chunks that fit the heap). */
    private void batches(Map<Window, List<TenantPlan>> byWindow, Map<String, Integer> series, List<TenantBatch> batches) {
        byWindow.forEach((window, plans) -> {
            Map<String, TenantPlan> byTenant = new LinkedHashMap<>();
            plans.forEach(p -> byTenant.put(p.tenant(), p));
            int maxSeries = limits.heap().maxSeries(limits.maxSeries(), Math.min(limits.chunkHours(), window.hours()));
            if (plans.get(0).provisional()) { // read raw: the batch's samples must fit one raw read's budget
                maxSeries = (int) Math.max(1, Math.min(maxSeries, rawSampleBudget() / (rawSamplesPerSeriesHour(1) * window.hours())));
            }
            for (List<String> cut : TenantBatches.cut(new ArrayList<>(byTenant.keySet()), series, maxSeries, limits.maxTenants())) {
                List<TenantPlan> batchPlans = cut.stream().map(byTenant::get).toList();
                int weight = cut.stream().mapToInt(t -> Math.max(1, series.getOrDefault(t, 1))).sum();
                batches.add(new TenantBatch(batches.size() + 1, window, batchPlans, window.chunks(chunkHours(weight))));
            }
        });
    }

    /** The census that sizes batches; without it batches are cut by tenant count alone (it is only an estimate). */
    private Map<String, Integer> seriesPerTenant(String runId, Window window) {
        try {
            return census.namespaceSeries(window);
        } catch (ThanosQueryException e) {
            log.warn("run={} the series census failed, batches are cut by worker.batch.max-tenants alone: {}", runId, e.getMessage());
            return Map.of();
        }
    }

    /**
     * Hours per work unit: the configured chunk for hourly sums; for raw reads also few enough that
     * the batch's samples stay within {@code maxRawSamples} at the shortest scrape interval expected.
     */
    private int chunkHours(int namespaceSeries) {
        int fits = limits.heap().maxHours(limits.chunkHours(), namespaceSeries);
        if (mode == ReadMode.AGGREGATED) {
            return fits;
        }
        return (int) Math.max(1, Math.min(fits, rawSampleBudget() / Math.max(1, rawSamplesPerSeriesHour(namespaceSeries))));
    }

    /** Raw samples an hour of this many namespace series brings, all metrics, at the shortest scrape interval expected. */
    private long rawSamplesPerSeriesHour(int namespaceSeries) {
        return (long) namespaceSeries * METRICS_PER_NAMESPACE_SERIES * Math.max(1, Window.HOUR_MS / limits.minScrapeIntervalMs());
    }
}
