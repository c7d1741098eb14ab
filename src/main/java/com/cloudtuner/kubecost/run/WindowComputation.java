package com.cloudtuner.kubecost.run;

import com.cloudtuner.kubecost.config.WorkerProperties;
import com.cloudtuner.kubecost.config.WorkerProperties.ReadMode;
import com.cloudtuner.kubecost.cost.AggregatedCosts;
import com.cloudtuner.kubecost.cost.ClusterHourKey;
import com.cloudtuner.kubecost.cost.CostResult;
import com.cloudtuner.kubecost.cost.HourlyCostCalculator;
import com.cloudtuner.kubecost.cost.Series;
import com.cloudtuner.kubecost.cost.SeriesHours;
import com.cloudtuner.kubecost.cost.Window;
import com.cloudtuner.kubecost.exporter.ExporterSource;
import com.cloudtuner.kubecost.thanos.ThanosQueryException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the rows of some tenants' window are computed, for the job, {@code explain} and {@code gaps}
 * alike, so a tool can never disagree with what a run writes: the hourly sums (or every sample
 * raw, in raw read mode), raw samples for the cluster-hours the sums cannot settle or whose
 * answers disagree, and the pure cost rules over them, tenant by tenant. A tenant whose raw answers
 * still lack series the server counts gets an error instead of rows, never rows computed from what
 * arrived; when the server refuses the whole set, it is halved until the failing tenant stands alone.
 */
public final class WindowComputation {

    private static final Logger log = LoggerFactory.getLogger(WindowComputation.class);

    private final ExporterSource reader;
    private final HourlyCostCalculator calculator;
    private final ReadMode mode;
    private final long rawSampleBudget;

    /** @param rawSampleBudget raw samples one read of the cluster-hours the sums cannot settle may return */
    WindowComputation(ExporterSource reader, HourlyCostCalculator calculator, ReadMode mode, long rawSampleBudget) {
        this.reader = reader;
        this.calculator = calculator;
        this.mode = mode;
        this.rawSampleBudget = rawSampleBudget;
    }

    /** As the configuration has it: its read mode, and the raw samples its heap budget allows one read. */
    public static WindowComputation configured(ExporterSource reader, HourlyCostCalculator calculator, WorkerProperties worker) {
        return new WindowComputation(reader, calculator, worker.readMode(), HeapBudget.configured(worker).maxRawSamples(
                worker.batch().maxRawSamples()));
    }

    /** The same computation reading the store the given way. */
    public WindowComputation reading(ReadMode mode) {
        return new WindowComputation(reader, calculator, mode, rawSampleBudget);
    }

    /**
     * What the window computes to.
     *
     * @param rows         the rows of every tenant not in {@code tenantErrors}
     * @param tenantErrors per tenant whose rows could not be computed, why (nothing is written for it)
     */
    public record Result(CostResult rows, Map<String, String> tenantErrors, ReadStats stats) {
        public Result {
            tenantErrors = Map.copyOf(tenantErrors);
        }
    }

    /**
     * How much a computation read.
     *
     * @param suspectClusterHours cluster-hours whose answers disagreed, read again raw
     */
    public record ReadStats(int series, long points, int malformedSeries, int fallbackClusterHours, int suspectClusterHours,
                            long millis) {
    }

    /**
     * Throws {@link ThanosQueryException} when nothing could be read for any tenant, and
     * {@link UnitTooLarge} when the answers did not fit in the heap.
     *
     * @param context what the log lines name the computation by ({@code run=... batch=...})
     */
    public Result compute(List<String> tenants, Window window, String context) {
        return compute(tenants, window, null, context);
    }

    /**
     * The provisional rows of hours not yet complete, as of {@code asOf}: always from raw samples,
     * as only they tell how far each cluster's hour has accrued. Fails as {@link #compute} does.
     */
    public Result computeProvisional(List<String> tenants, Window window, Instant asOf, String context) {
        return reading(ReadMode.RAW).compute(tenants, window, asOf, context);
    }

    private Result compute(List<String> tenants, Window window, Instant asOf, String context) {
        long t0 = System.nanoTime();
        Computation c = new Computation(window, asOf, context, isolationBudget(tenants.size()));
        ThanosQueryException failure;
        try {
            failure = c.isolating(tenants);
        } catch (OutOfMemoryError e) {
            throw UnitTooLarge.of(tenants.size(), window, c.series, e);
        }
        if (failure != null && c.results.isEmpty() && c.errors.keySet().containsAll(tenants)) {
            throw failure; // nothing could be read: the computation failed as a whole
        }
        long millis = (System.nanoTime() - t0) / 1_000_000;
        return new Result(CostResult.merged(c.results.values()), c.errors,
                new ReadStats(c.series, c.points, c.malformed, c.fallbackClusterHours, c.suspectClusterHours, millis));
    }

    /** Enough halvings to single out one failing tenant of {@code tenants}: two reads per level. */
    private static int isolationBudget(int tenants) {
        return 2 * (32 - Integer.numberOfLeadingZeros(Math.max(1, tenants - 1)));
    }

    /** One window's reading and computing: per tenant its rows or why they could not be computed. */
    private final class Computation {
        final Window chunk;
        final Instant asOf;
        final String context;
        final Map<String, CostResult> results = new LinkedHashMap<>();
        final Map<String, String> errors = new LinkedHashMap<>();
        int extraReads;
        int series;
        long points;
        int malformed;
        int fallbackClusterHours;
        int suspectClusterHours;

        Computation(Window chunk, Instant asOf, String context, int extraReads) {
            this.chunk = chunk;
            this.asOf = asOf;
            this.context = context;
            this.extraReads = extraReads;
        }

        /**
         * Reads and computes the tenants; when the server refuses to answer for all of them, halves
         * the set and tries each half, so that one tenant whose query fails (say, too many samples)
         * does not fail the others. No halving when no answer came at all (a network fault fails
         * every tenant alike). Returns the last failure, or null.
         */
        ThanosQueryException isolating(List<String> tenants) {
            try {
                if (mode == ReadMode.RAW) {
                    fromRawSamples(tenants);
                } else {
                    fromHourlySums(tenants);
                }
                return null;
            } catch (ThanosQueryException e) {
                boolean halve = tenants.size() > 1 && !e.unanswered() && extraReads >= 2;
                log.warn("{} window={} tenants={} read failed{}: {}", context, chunk, tenants.size(),
                        halve ? " (halving the tenants to find the failing one)" : "", Failures.describe(e));
                if (!halve) {
                    // one tenant: its own query; several: their batch's, its selector cut so that it names no other tenant
                    String reason = tenants.size() == 1 ? Failures.describe(e) : Failures.describe(e) + " (the read of its batch of "
                            + tenants.size() + " tenants)";
                    tenants.forEach(t -> errors.put(t, reason));
                    return e;
                }
                extraReads -= 2;
                int half = tenants.size() / 2;
                ThanosQueryException first = isolating(tenants.subList(0, half));
                ThanosQueryException second = isolating(tenants.subList(half, tenants.size()));
                return second != null ? second : first;
            }
        }

        private void fromRawSamples(List<String> tenants) {
            ExporterSource.RawRead read = reader.readRaw(tenants, List.of(), chunk, true);
            Map<String, List<Series>> byTenant = byTenant(read.series(), Series::tenant);
            for (String tenant : tenants) {
                List<Series> series = byTenant.getOrDefault(tenant, List.of());
                results.put(tenant, asOf == null ? calculator.compute(chunk, series, read.history())
                        : calculator.computeProvisional(chunk, series, read.history(), asOf));
                errors.remove(tenant);
            }
            series += read.series().size();
            points += read.samples();
            malformed += read.malformed();
        }

        private void fromHourlySums(List<String> tenants) {
            ExporterSource.SumsRead read = reader.readSums(tenants, chunk);
            if (read.unsettled()) {
                fromRawSamples(tenants); // samples too sparse to tell the server's range semantics
                return;
            }
            Map<String, List<SeriesHours>> sums = byTenant(read.series(), s -> s.ref().tenant());
            Map<String, List<Series>> health = byTenant(read.health(), Series::tenant);
            Map<String, AggregatedCosts> aggregated = new LinkedHashMap<>();
            for (String tenant : tenants) {
                Set<ClusterHourKey> suspect = new TreeSet<>();
                read.suspect().keySet().stream().filter(k -> k.tenant().equals(tenant)).forEach(suspect::add);
                aggregated.put(tenant, calculator.computeFromSums(chunk, sums.getOrDefault(tenant, List.of()),
                        health.getOrDefault(tenant, List.of()), read.history(), suspect));
            }
            if (!read.suspect().isEmpty()) {
                suspectClusterHours += read.suspect().size();
                log.warn("{} window={} answers disagree about {} cluster-hours, read raw: first {}: {}", context, chunk, read.suspect().size(), read.suspect().keySet().iterator().next(),
                        read.suspect().values().iterator().next());
            }
            for (Map.Entry<String, AggregatedCosts> e : aggregated.entrySet()) {
                if (e.getValue().needsRaw().isEmpty()) {
                    results.put(e.getKey(), e.getValue().rows());
                    errors.remove(e.getKey());
                }
            }
            // group by group, so that one group's raw samples are dropped before the next is read
            for (List<String> group : RawReadGroups.cut(aggregated, sums, rawSampleBudget)) {
                Set<ClusterHourKey> keys = new TreeSet<>();
                group.forEach(t -> keys.addAll(aggregated.get(t).needsRaw()));
                ExporterSource.RawRead raw = readRaw(keys);
                Map<ClusterHourKey, String> lost = new LinkedHashMap<>();
                read.shortOf(raw).forEach((k, why) -> {
                    if (keys.contains(k)) {
                        lost.putIfAbsent(k, why);
                    }
                });
                Map<String, List<Series>> rawByTenant = byTenant(raw.series(), Series::tenant);
                for (String tenant : group) {
                    completeWithRaw(tenant, aggregated.get(tenant), rawByTenant.getOrDefault(tenant, List.of()), lost);
                }
            }
            series += read.series().size() + read.health().size();
            points += read.points();
            malformed += read.malformed();
        }

        /** The tenant's rows: the sums', and the raw read's in the cluster-hours they could not settle; or why not. */
        private void completeWithRaw(String tenant, AggregatedCosts costs, List<Series> raw, Map<ClusterHourKey, String> lost) {
            fallbackClusterHours += costs.needsRaw().size();
            String missing = firstLost(tenant, costs.needsRaw(), lost);
            if (missing != null) {
                results.remove(tenant);
                errors.put(tenant, "Thanos answered without series it counts, even when read raw: " + missing);
                return;
            }
            results.put(tenant, costs.completedWith(calculator.compute(RawReadGroups.span(costs.needsRaw()), raw, costs.history())));
            errors.remove(tenant);
        }

        /** One raw read of the tenants and clusters of these cluster-hours, from the first hour to the end of the last. */
        private ExporterSource.RawRead readRaw(Set<ClusterHourKey> keys) {
            Set<String> tenants = new TreeSet<>();
            Set<String> clusters = new TreeSet<>();
            keys.forEach(k -> {
                tenants.add(k.tenant());
                clusters.add(k.cluster());
            });
            ExporterSource.RawRead raw = reader.readRaw(tenants, clusters, RawReadGroups.span(keys), false);
            series += raw.series().size();
            points += raw.samples();
            return raw;
        }
    }

    /** The first of the tenant's raw-read cluster-hours whose series are fewer than the server counted. */
    private static String firstLost(String tenant, Set<ClusterHourKey> readRaw, Map<ClusterHourKey, String> lost) {
        for (Map.Entry<ClusterHourKey, String> e : lost.entrySet()) {
            if (e.getKey().tenant().equals(tenant) && readRaw.contains(e.getKey())) {
                return e.getKey() + ": " + e.getValue();
            }
        }
        return null;
    }

    private static <T> Map<String, List<T>> byTenant(List<T> items, Function<T, String> tenant) {
        Map<String, List<T>> out = new HashMap<>();
        for (T item : items) {
            out.computeIfAbsent(tenant.apply(item), k -> new ArrayList<>()).add(item);
        }
        return out;
    }
}
