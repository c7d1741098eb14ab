package com.cloudtuner.kubecost.job;

import com.cloudtuner.kubecost.clickhouse.ClickHouseException;
import com.cloudtuner.kubecost.thanos.ThanosQueryException;
import java.io.PrintStream;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * Runs a {@link RunRequest} as a Spring Batch job of two steps, {@code plan} and {@code process}.
 * Tenants run in parallel inside {@code process} rather than as a partitioned step: the job
 * repository is the resourceless one (durable state lives in ClickHouse), and Spring Batch
 * documents that one as unfit for partitioning or any concurrent use.
 */
public final class CostJobLauncher {

    private static final Logger log = LoggerFactory.getLogger(CostJobLauncher.class);

    private final JobRepository jobRepository;
    private final JobOperator jobOperator;
    private final CostRun run;

    public CostJobLauncher(JobRepository jobRepository, JobOperator jobOperator, CostRun run) {
        this.jobRepository = jobRepository;
        this.jobOperator = jobOperator;
        this.run = run;
    }

    private static final class State {
        CostRun.Plan plan = new CostRun.Plan(List.of(), List.of());
        List<TenantOutcome> outcomes = List.of();
    }

    public RunReport launch(RunRequest request, PrintStream dryRunOut) {
        String runId = UUID.randomUUID().toString();
        State state = new State();
        Step plan = new StepBuilder("plan", jobRepository)
                .tasklet((contribution, context) -> {
                    state.plan = run.plan(request);
                    return RepeatStatus.FINISHED;
                })
                .build();
        Step process = new StepBuilder("process", jobRepository)
                .tasklet((contribution, context) -> {
                    state.outcomes = run.process(runId, request, state.plan.tenants(), dryRunOut);
                    long failed = state.outcomes.stream().filter(o -> !o.succeeded()).count();
                    if (failed > 0) {
                        contribution.setExitStatus(new ExitStatus("COMPLETED_WITH_FAILURES", failed + " tenants failed"));
                    }
                    return RepeatStatus.FINISHED;
                })
                .build();
        Job job = new JobBuilder(request.mode().label(), jobRepository).start(plan).next(process).build();
        String failure;
        try {
            JobExecution execution = jobOperator.start(job, new JobParametersBuilder()
                    .addString("run.id", runId)
                    .toJobParameters());
            List<Throwable> failures = execution.getAllFailureExceptions();
            for (Throwable e : failures) {
                if (e instanceof ThanosQueryException || e instanceof ClickHouseException) {
                    log.error("{} run {} failed: {}", request.mode().label(), runId, e.getMessage());
                } else {
                    log.error("{} run {} failed unexpectedly", request.mode().label(), runId, e);
                }
            }
            failure = execution.getStatus() == BatchStatus.COMPLETED ? null : failures.stream()
                    .map(e -> e.getMessage() == null ? e.toString() : e.getMessage())
                    .collect(Collectors.collectingAndThen(Collectors.joining("; "),
                            s -> s.isEmpty() ? "job ended " + execution.getStatus() : s));
        } catch (Exception e) {
            failure = "could not start the job: " + e.getMessage();
        }
        return new RunReport(runId, request, state.outcomes, state.plan.invalidTenants(), state.plan.tenants(), failure);
    }
}
