package com.cloudtuner.kubecost.run;

import com.cloudtuner.kubecost.clickhouse.ClickHouseRunLedger;
import com.cloudtuner.kubecost.clickhouse.ClickHouseWatermarks;
import com.cloudtuner.kubecost.clickhouse.ClickHouseGateway;
import com.cloudtuner.kubecost.clickhouse.ClickHouseExpenseStore;
import com.cloudtuner.kubecost.clickhouse.ExpenseStore;
import com.cloudtuner.kubecost.clickhouse.RunLedger;
import com.cloudtuner.kubecost.clickhouse.Watermarks;
import com.cloudtuner.kubecost.config.ClickHouseProperties;
import com.cloudtuner.kubecost.config.WorkerProperties;
import com.cloudtuner.kubecost.cost.HourlyCostCalculator;
import com.cloudtuner.kubecost.exporter.ExporterReader;
import com.cloudtuner.kubecost.exporter.ExporterSource;
import com.cloudtuner.kubecost.thanos.ThanosClient;
import io.micrometer.observation.ObservationRegistry;
import java.time.Clock;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;

/** Builds a {@link CostJob} from the configuration: the run package's own parts stay package-private. */
public final class CostJobs {

    private CostJobs() {
    }

    public static CostJob wire(JobRepository jobRepository, JobOperator jobOperator, ThanosClient thanos, ClickHouseGateway ch,
                               HourlyCostCalculator calculator, TenantIds tenantIds, WorkerProperties worker,
                               ClickHouseProperties clickhouse, ObservationRegistry observations, Clock clock) {
        String prefix = worker.exporter().prefix();
        ExpenseStore store = new ClickHouseExpenseStore(ch, clock, clickhouse.maxInsertRows());
        Watermarks watermarks = new ClickHouseWatermarks(ch, clock);
        WatermarkPolicy policy = new WatermarkPolicy(worker.settleDelay(), worker.reprocessHours(), worker.maxCatchUp());
        WorkerProperties.Batch batch = worker.batch();
        ExporterSource reader = new ExporterReader(thanos, prefix, worker.exporter().healthLookback());
        RunPlanner planner = new RunPlanner(reader, tenantIds, policy, watermarks, store,
                worker.readMode(), new RunPlanner.Limits(batch.maxSeries(), batch.maxTenants(), worker.effectiveChunkHours(),
                batch.maxRawSamples(), worker.exporter().minScrapeInterval().toMillis(),
                HeapBudget.of(Runtime.getRuntime().maxMemory(), worker.parallelism(), batch.heapPerSeriesHour().toBytes())));
        return new CostJob(jobRepository, jobOperator, planner, reader, calculator, store, new ClickHouseRunLedger(ch), watermarks,
                worker.readMode(), worker.parallelism(), clickhouse.retries(), clickhouse.retryBackoff(), observations, clock,
                worker.maxCatchUp());
    }
}
