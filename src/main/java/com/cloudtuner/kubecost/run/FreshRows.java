package com.cloudtuner.kubecost.run;

import com.cloudtuner.kubecost.config.WorkerProperties;
import com.cloudtuner.kubecost.config.WorkerProperties.ReadMode;
import com.cloudtuner.kubecost.cost.CostResult;
import com.cloudtuner.kubecost.cost.HourlyCostCalculator;
import com.cloudtuner.kubecost.cost.Window;
import com.cloudtuner.kubecost.exporter.ExporterSource;
import java.util.List;
import java.util.Map;

/**
 * What a backfill would compute for a batch of tenants and a window, without writing anything:
 * the job's own work-unit processor (hourly sums from the store, raw samples only for the
 * cluster-hours the sums cannot settle, one failing tenant isolated from the others). Tools that
 * compare with what is stored use it, so "fresh" means exactly what a backfill would write.
 */
public final class FreshRows {

    private final UnitProcessor processor;

    public FreshRows(ExporterSource reader, HourlyCostCalculator calculator, WorkerProperties worker) {
        long rawSamples = HeapBudget.of(Runtime.getRuntime().maxMemory(), worker.parallelism(),
                worker.batch().heapPerSeriesHour().toBytes()).maxRawSamples(worker.batch().maxRawSamples());
        this.processor = new UnitProcessor(reader, calculator, ReadMode.AGGREGATED, "gaps", rawSamples);
    }

    /**
     * @param rows          the rows of every tenant not in {@code tenantErrors}
     * @param tenantErrors  per tenant whose rows could not be computed, why (a backfill would fail it too)
     */
    public record Result(CostResult rows, Map<String, String> tenantErrors) {
    }

    /** Throws {@link com.cloudtuner.kubecost.thanos.ThanosQueryException} when nothing could be read at all. */
    public Result compute(List<String> tenants, Window window) {
        List<TenantPlan> plans = tenants.stream().map(t -> new TenantPlan(t, window, null, null)).toList();
        UnitResult result = processor.process(new WorkUnit(new TenantBatch(1, window, plans, List.of(window)), 0));
        return new Result(result.rows(), result.tenantErrors());
    }
}
