package com.cloudtuner.kubecost.run;

import com.cloudtuner.kubecost.clickhouse.ExpenseStore;
import com.cloudtuner.kubecost.clickhouse.RunLedger;
import com.cloudtuner.kubecost.clickhouse.Watermarks;
import com.cloudtuner.kubecost.config.ClickHouseProperties;
import com.cloudtuner.kubecost.config.WorkerProperties;
import com.cloudtuner.kubecost.cost.HourlyCostCalculator;
import com.cloudtuner.kubecost.exporter.ExporterSource;
import io.micrometer.observation.ObservationRegistry;
import java.time.Clock;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The run's use cases on the ports the application provides. */
@Configuration(proxyBeanMethods = false)
class RunConfiguration {

    @Bean
    TenantIds tenantIds(WorkerProperties worker) {
        return new TenantIds(worker.tenantRegex());
    }

    @Bean
    WatermarkPolicy watermarkPolicy(WorkerProperties worker) {
        return new WatermarkPolicy(worker.settleDelay(), worker.reprocessHours(), worker.maxCatchUp());
    }

    @Bean
    WindowComputation windowComputation(ExporterSource source, HourlyCostCalculator calculator, WorkerProperties worker) {
        return WindowComputation.configured(source, calculator, worker);
    }

    @Bean
    CostJob costJob(JobRepository jobRepository, JobOperator jobOperator, ExporterSource source, WindowComputation computation,
                    ExpenseStore store, Watermarks watermarks, RunLedger ledger, WatermarkPolicy policy, TenantIds tenantIds,
                    WorkerProperties worker, ClickHouseProperties clickhouse, ObservationRegistry observations, Clock clock) {
        WorkerProperties.Batch batch = worker.batch();
        RunPlanner planner = new RunPlanner(source, tenantIds, policy, watermarks, store, worker.readMode(),
                new RunPlanner.Limits(batch.maxSeries(), batch.maxTenants(), worker.effectiveChunkHours(), batch.maxRawSamples(),
                        worker.exporter().minScrapeInterval().toMillis(), HeapBudget.configured(worker)));
        return new CostJob(jobRepository, jobOperator, planner, computation, store, ledger, watermarks, worker.parallelism(),
                clickhouse.retries(), clickhouse.retryBackoff(), observations, clock, worker.maxCatchUp());
    }
}
