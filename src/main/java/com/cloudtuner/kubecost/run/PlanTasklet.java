package com.cloudtuner.kubecost.run;

import com.cloudtuner.kubecost.clickhouse.RunLedger;
import com.cloudtuner.kubecost.clickhouse.Watermarks;
import java.time.Clock;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.batch.core.scope.context.ChunkContext;

/**
 * The {@code plan} step: decides the run's tenants, their hours and the work units, and hands them
 * to the {@code process} step in the job's execution context: the plan, the queue of units its
 * workers take from, and the tracker that closes each batch. (The job repository is resourceless:
 * the context lives in memory for the run; what lasts is written to ClickHouse.)
 */
class PlanTasklet implements Tasklet {

    static final String PLAN = "run.plan";
    static final String UNITS = "run.units";
    static final String TRACKER = "run.tracker";

    private final RunPlanner planner;
    private final RunRequest request;
    private final String runId;
    private final RunLedger ledger;
    private final Watermarks watermarks;
    private final Clock clock;
    private final int parallelism;

    PlanTasklet(RunPlanner planner, RunRequest request, String runId, RunLedger ledger, Watermarks watermarks, Clock clock,
                int parallelism) {
        this.planner = planner;
        this.request = request;
        this.runId = runId;
        this.ledger = ledger;
        this.watermarks = watermarks;
        this.clock = clock;
        this.parallelism = parallelism;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        RunPlan plan = planner.plan(runId, request);
        ExecutionContext job = contribution.getStepExecution().getJobExecution().getExecutionContext();
        job.put(PLAN, plan);
        job.put(UNITS, new ConcurrentLinkedQueue<>(plan.units()));
        job.put(TRACKER, new RunTracker(runId, request, plan, clock, ledger, watermarks, parallelism));
        return RepeatStatus.FINISHED;
    }
}
