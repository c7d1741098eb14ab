package com.cloudtuner.kubecost.run;

import com.cloudtuner.kubecost.clickhouse.DailyExpenses;
import com.cloudtuner.kubecost.clickhouse.ExpenseStore;
import com.cloudtuner.kubecost.clickhouse.RunLedger;
import com.cloudtuner.kubecost.clickhouse.Watermarks;
import com.cloudtuner.kubecost.config.ClickHouseProperties;
import com.cloudtuner.kubecost.config.WorkerProperties;
import com.cloudtuner.kubecost.cost.HourlyCostCalculator;
import com.cloudtuner.kubecost.exporter.ExporterSource;
import io.micrometer.observation.ObservationRegistry;
import java.io.PrintStream;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Queue;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.core.step.skip.AlwaysSkipItemSkipPolicy;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.task.SimpleAsyncTaskExecutor;

/**
 * The run as Spring Batch jobs, {@code hourly} and {@code backfill}, of the same three steps.
 * {@code plan} (a tasklet) decides the tenants, their hours and the work units. {@code process} is
 * partitioned into {@code worker.parallelism} workers that take units from one queue; each worker
 * is a chunk-oriented step of one unit per chunk: the processor reads and computes the unit, the
 * writer stores it, a write ClickHouse did not answer is retried, a failed unit is skipped (and
 * recorded for its tenants) while the others go on, and a listener closes each batch (watermarks,
 * run ledger) once its units have ended; {@code daily} then rebuilds the days of k8s_expenses_daily
 * the run's hours fall in. A unit is its own chunk so that a failed write is never
 * scanned together with units already written. The request reaches the steps as job parameters;
 * the step-scoped parts are proxied by Spring, so their classes are not final.
 */
@Configuration(proxyBeanMethods = false)
class CostJobConfiguration {

    static final String RUN_ID = "run.id";
    static final String REQUEST = "run.request";
    static final String DRY_RUN_OUTPUT = "run.dry-run-output";

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
    RunPlanner runPlanner(ExporterSource source, TenantIds tenantIds, WatermarkPolicy policy, Watermarks watermarks,
                          ExpenseStore store, WorkerProperties worker) {
        WorkerProperties.Batch batch = worker.batch();
        return new RunPlanner(source, tenantIds, policy, watermarks, store, worker.readMode(),
                new RunPlanner.Limits(batch.maxSeries(), batch.maxTenants(), worker.effectiveChunkHours(), batch.maxRawSamples(),
                        worker.exporter().minScrapeInterval().toMillis(), HeapBudget.configured(worker)));
    }

    @Bean
    CostJob costJob(JobOperator jobOperator, Job hourly, Job backfill, RunLedger ledger, Watermarks watermarks,
                    WatermarkPolicy policy, WorkerProperties worker, Clock clock) {
        Map<RunRequest.Mode, Job> jobs = new LinkedHashMap<>();
        jobs.put(RunRequest.Mode.HOURLY, hourly);
        jobs.put(RunRequest.Mode.BACKFILL, backfill);
        return new CostJob(jobOperator, jobs, ledger, new TenantStatesReader(ledger, watermarks, policy, worker.maxCatchUp(), clock),
                clock);
    }

    @Bean
    Job hourly(JobRepository jobRepository, Step plan, Step process, Step daily, ObservationRegistry observations) {
        return new JobBuilder(RunRequest.Mode.HOURLY.label(), jobRepository).start(plan).next(process).next(daily)
                .observationRegistry(observations).build();
    }

    @Bean
    Job backfill(JobRepository jobRepository, Step plan, Step process, Step daily, ObservationRegistry observations) {
        return new JobBuilder(RunRequest.Mode.BACKFILL.label(), jobRepository).start(plan).next(process).next(daily)
                .observationRegistry(observations).build();
    }

    @Bean
    Step plan(JobRepository jobRepository, PlanTasklet planTasklet) {
        return new StepBuilder("plan", jobRepository).tasklet(planTasklet).build();
    }

    @Bean
    @StepScope
    PlanTasklet planTasklet(RunPlanner planner, @Value("#{jobParameters['" + REQUEST + "']}") RunRequest request,
                            @Value("#{jobParameters['" + RUN_ID + "']}") String runId, RunLedger ledger, Watermarks watermarks,
                            Clock clock, WorkerProperties worker) {
        return new PlanTasklet(planner, request, runId, ledger, watermarks, clock, worker.parallelism());
    }

    @Bean
    Step daily(JobRepository jobRepository, DailyTasklet dailyTasklet) {
        return new StepBuilder("daily", jobRepository).tasklet(dailyTasklet).build();
    }

    @Bean
    @StepScope
    DailyTasklet dailyTasklet(DailyExpenses daily, @Value("#{jobExecutionContext['" + PlanTasklet.PLAN + "']}") RunPlan plan,
                              @Value("#{jobParameters['" + RUN_ID + "']}") String runId,
                              @Value("#{jobParameters['" + REQUEST + "']}") RunRequest request) {
        return new DailyTasklet(daily, plan, runId, request.dryRun());
    }

    @Bean
    Step process(JobRepository jobRepository, Step unitWorker, WorkerProperties worker) {
        SimpleAsyncTaskExecutor executor = new SimpleAsyncTaskExecutor("unit-");
        executor.setDaemon(true);
        executor.setTaskDecorator(LogFields.carried()); // the workers' lines name the run too
        return new StepBuilder("process", jobRepository)
                .partitioner("unit", gridSize -> {
                    Map<String, ExecutionContext> workers = new LinkedHashMap<>();
                    for (int i = 1; i <= gridSize; i++) {
                        workers.put("worker-" + i, new ExecutionContext());
                    }
                    return workers;
                })
                .step(unitWorker)
                .gridSize(worker.parallelism())
                .taskExecutor(executor)
                .build();
    }

    @Bean
    Step unitWorker(JobRepository jobRepository, UnitQueueReader unitReader, UnitProcessor unitProcessor, UnitWriter unitWriter,
                    RunListener runListener, ClickHouseProperties clickhouse,
                    ObservationRegistry observations) {
        return new StepBuilder("unit", jobRepository)
                .<WorkUnit, UnitResult>chunk(1)
                .reader(unitReader)
                .processor(unitProcessor)
                .writer(unitWriter)
                .faultTolerant()
                .processorNonTransactional() // a failed write is written again from the unit already computed, not re-read
                .retryPolicy(RetryPolicy.builder().maxRetries(clickhouse.retries()).delay(clickhouse.retryBackoff()).multiplier(2)
                        .predicate(Failures::transientClickHouse).build())
                .skipPolicy(new AlwaysSkipItemSkipPolicy())
                .listener(runListener)
                .observationRegistry(observations)
                .build();
    }

    /** The plan's units, shared by the workers: each takes the next one when it is done with its last. */
    @Bean
    @StepScope
    UnitQueueReader unitReader(@Value("#{jobExecutionContext['" + PlanTasklet.UNITS + "']}") Queue<WorkUnit> units) {
        return new UnitQueueReader(units);
    }

    @Bean
    @StepScope
    UnitProcessor unitProcessor(WindowComputation computation, @Value("#{jobParameters['" + RUN_ID + "']}") String runId) {
        return new UnitProcessor(computation, runId);
    }

    @Bean
    @StepScope
    UnitWriter unitWriter(ExpenseStore store, @Value("#{jobParameters['" + REQUEST + "']}") RunRequest request,
                                      @Value("#{jobParameters['" + DRY_RUN_OUTPUT + "']}") PrintStream dryRunOutput) {
        return new UnitWriter(store, request.eraseMissing(), request.dryRun() ? dryRunOutput : null);
    }

    @Bean
    @StepScope
    RunListener runListener(@Value("#{jobExecutionContext['" + PlanTasklet.TRACKER + "']}") RunTracker tracker) {
        return new RunListener(tracker);
    }
}
