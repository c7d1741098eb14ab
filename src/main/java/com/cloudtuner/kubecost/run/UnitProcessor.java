package com.cloudtuner.kubecost.run;

import com.cloudtuner.kubecost.config.WorkerProperties.ReadMode;
import com.cloudtuner.kubecost.cost.AggregatedCosts;
import com.cloudtuner.kubecost.cost.ClusterHourKey;
import com.cloudtuner.kubecost.cost.CostDataException;
import com.cloudtuner.kubecost.cost.CostResult;
import com.cloudtuner.kubecost.cost.HourlyCostCalculator;
import com.cloudtuner.kubecost.cost.Series;
import com.cloudtuner.kubecost.cost.SeriesHours;
import com.cloudtuner.kubecost.cost.SeriesRef;
import com.cloudtuner.kubecost.cost.Window;
import com.cloudtuner.kubecost.exporter.ExporterReader;
import com.cloudtuner.kubecost.thanos.ThanosQueryException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.springframework.batch.infrastructure.item.ItemProcessor;

/**
 * Reads a work unit's series and computes its rows, tenant by tenant (one tenant's contradictory
 * data fails that tenant, not its batch). A failed read throws: Spring Batch skips the unit and
 * the run records its tenants as failed for that window.
 */
final class UnitProcessor implements ItemProcessor<WorkUnit, UnitResult> {

    private final ExporterReader reader;
    private final HourlyCostCalculator calculator;
    private final ReadMode mode;

    UnitProcessor(ExporterReader reader, HourlyCostCalculator calculator, ReadMode mode) {
        this.reader = reader;
        this.calculator = calculator;
        this.mode = mode;
    }

    @Override
    public UnitResult process(WorkUnit unit) {
        long t0 = System.nanoTime();
        List<String> tenants = unit.batch().tenants();
        Computation c = new Computation();
        ThanosQueryException failure = computeIsolating(tenants, unit.chunk(), c, new int[] {isolationBudget(tenants.size())});
        if (failure != null && c.results.isEmpty() && c.errors.keySet().containsAll(tenants)) {
            throw failure; // nothing could be read: the unit failed as a whole
        }
        long millis = (System.nanoTime() - t0) / 1_000_000;
        return new UnitResult(unit, CostResult.merged(c.results.values()), c.errors,
                new UnitResult.ReadStats(c.series, c.points, c.malformed, c.fallbackClusterHours, millis));
    }

    /** Per tenant its rows or why they could not be computed, and what was read for them. */
    private static final class Computation {
        final Map<String, CostResult> results = new LinkedHashMap<>();
        final Map<String, String> errors = new LinkedHashMap<>();
        int series;
        long points;
        int malformed;
        int fallbackClusterHours;

        void compute(String tenant, java.util.function.Supplier<CostResult> rules) {
            try {
                results.put(tenant, rules.get());
                errors.remove(tenant);
            } catch (CostDataException e) {
                results.remove(tenant);
                errors.put(tenant, e.getMessage());
            }
        }
    }

    /**
     * Reads and computes the tenants; when the server refuses to answer for all of them, halves
     * the set and tries each half, so that one tenant whose query fails (say, too many samples)
     * does not fail the others. At most {@code budget} extra reads; no halving when no answer came
     * at all (a network fault fails every tenant alike). Returns the last failure, or null.
     */
    private ThanosQueryException computeIsolating(List<String> tenants, Window chunk, Computation c, int[] budget) {
        try {
            if (mode == ReadMode.RAW) {
                fromRawSamples(tenants, chunk, c);
            } else {
                fromHourlySums(tenants, chunk, c);
            }
            return null;
        } catch (ThanosQueryException e) {
            if (tenants.size() == 1 || e.unanswered() || budget[0] < 2) {
                tenants.forEach(t -> c.errors.put(t, e.getMessage()));
                return e;
            }
            budget[0] -= 2;
            int half = tenants.size() / 2;
            ThanosQueryException first = computeIsolating(tenants.subList(0, half), chunk, c, budget);
            ThanosQueryException second = computeIsolating(tenants.subList(half, tenants.size()), chunk, c, budget);
            return second != null ? second : first;
        }
    }

    /** Enough halvings to single out one failing tenant of {@code tenants}: two reads per level. */
    private static int isolationBudget(int tenants) {
        return 2 * (32 - Integer.numberOfLeadingZeros(Math.max(1, tenants - 1)));
    }

    private void fromRawSamples(List<String> tenants, Window chunk, Computation c) {
        ExporterReader.RawRead read = reader.readRaw(tenants, List.of(), chunk, Map.of());
        Map<String, List<Series>> byTenant = byTenant(read.series(), Series::tenant);
        for (String tenant : tenants) {
            c.compute(tenant, () -> calculator.compute(chunk.start(), chunk.end(), byTenant.getOrDefault(tenant, List.of())));
        }
        c.series += read.series().size();
        c.points += read.samples();
        c.malformed += read.malformed();
    }

    private void fromHourlySums(List<String> tenants, Window chunk, Computation c) {
        ExporterReader.SumsRead read = reader.readSums(tenants, chunk);
        if (read.unsettled()) {
            fromRawSamples(tenants, chunk, c); // samples too sparse to tell the server's range semantics
            return;
        }
        Map<String, List<SeriesHours>> sums = byTenant(read.series(), s -> s.ref().tenant());
        Map<String, List<Series>> health = byTenant(read.health(), Series::tenant);
        Map<String, AggregatedCosts> aggregated = new LinkedHashMap<>();
        for (String tenant : tenants) {
            try {
                aggregated.put(tenant, calculator.computeFromSums(chunk, sums.getOrDefault(tenant, List.of()),
                        health.getOrDefault(tenant, List.of())));
            } catch (CostDataException e) {
                c.errors.put(tenant, e.getMessage());
            }
        }
        Map<String, List<Series>> raw = readRawWhereNeeded(aggregated.values());
        for (Map.Entry<String, AggregatedCosts> e : aggregated.entrySet()) {
            AggregatedCosts costs = e.getValue();
            c.fallbackClusterHours += costs.needsRaw().size();
            Window span = span(costs.needsRaw());
            c.compute(e.getKey(), () -> span == null ? costs.rows()
                    : costs.completedWith(calculator.compute(span.start(), span.end(), raw.getOrDefault(e.getKey(), List.of()))));
        }
        c.series += read.series().size() + read.health().size();
        c.points += read.points();
        c.malformed += read.malformed();
    }

    /**
     * One raw read for every cluster-hour of the unit that the sums could not settle: the tenants
     * and clusters concerned, over the hours from the first such hour to the last. The intervals the
     * sums established go with it, so coverage is what a raw read of the whole window gives.
     */
    private Map<String, List<Series>> readRawWhereNeeded(Iterable<AggregatedCosts> aggregated) {
        Set<String> tenants = new TreeSet<>();
        Set<String> clusters = new TreeSet<>();
        List<ClusterHourKey> all = new ArrayList<>();
        Map<SeriesRef, Long> intervals = new HashMap<>();
        for (AggregatedCosts costs : aggregated) {
            for (ClusterHourKey k : costs.needsRaw()) {
                tenants.add(k.tenant());
                clusters.add(k.cluster());
                all.add(k);
            }
            if (!costs.needsRaw().isEmpty()) {
                intervals.putAll(costs.intervals());
            }
        }
        if (all.isEmpty()) {
            return Map.of();
        }
        return byTenant(reader.readRaw(tenants, clusters, span(all), intervals).series(), Series::tenant);
    }

    /** From the first hour to the end of the last; null for none. */
    private static Window span(java.util.Collection<ClusterHourKey> hours) {
        if (hours.isEmpty()) {
            return null;
        }
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (ClusterHourKey k : hours) {
            first = Math.min(first, k.hourMs());
            last = Math.max(last, k.hourMs());
        }
        return Window.ofMillis(first, last + Window.HOUR_MS);
    }

    private static <T> Map<String, List<T>> byTenant(List<T> items, Function<T, String> tenant) {
        Map<String, List<T>> out = new HashMap<>();
        for (T item : items) {
            out.computeIfAbsent(tenant.apply(item), k -> new ArrayList<>()).add(item);
        }
        return out;
    }
}
