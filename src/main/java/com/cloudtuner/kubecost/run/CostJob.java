package com.cloudtuner.kubecost.run;

import com.cloudtuner.kubecost.clickhouse.RunLedger;
import com.cloudtuner.kubecost.cost.Window;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * Runs a request as the Spring Batch job of its mode ({@link CostJobConfiguration}) and tells how it
 * ended: the run's rows in {@code k8s_worker_runs} when it starts and ends, and the report.
 */
public final class CostJob {

    private static final Logger log = LoggerFactory.getLogger(CostJob.class);

    private final JobOperator jobOperator;
    private final Map<RunRequest.Mode, Job> jobs;
    private final RunLedger ledger;
    private final TenantStatesReader tenantStates;
    private final Clock clock;

    CostJob(JobOperator jobOperator, Map<RunRequest.Mode, Job> jobs, RunLedger ledger, TenantStatesReader tenantStates, Clock clock) {
        this.jobOperator = jobOperator;
        this.jobs = Map.copyOf(jobs);
        this.ledger = ledger;
        this.tenantStates = tenantStates;
        this.clock = clock;
    }

    /** @param dryRunOut where a dry run prints its rows */
    public RunReport run(RunRequest request, PrintStream dryRunOut) {
        return run(UUID.randomUUID().toString(), request, dryRunOut);
    }

    /** @param runId the run's id, already named by the command's first lines */
    public RunReport run(String runId, RunRequest request, PrintStream dryRunOut) {
        try (LogFields.Scope fields = LogFields.with(LogFields.RUN_ID, runId)) {
            return runAs(runId, request, dryRunOut);
        }
    }

    private RunReport runAs(String runId, RunRequest request, PrintStream dryRunOut) {
        long t0 = System.nanoTime();
        Instant startedAt = clock.instant();
        Window requested = requestedWindow(request);
        recordRun(request, new RunLedger.Run(runId, request.mode().label(), "running", requested.start(), requested.end(), 0, 0,
                startedAt, startedAt, "", request.shard().label()));
        JobParameters parameters = new JobParametersBuilder()
                .addString(CostJobConfiguration.RUN_ID, runId)
                .addJobParameter(CostJobConfiguration.REQUEST, request, RunRequest.class, false)
                .addJobParameter(CostJobConfiguration.DRY_RUN_OUTPUT, dryRunOut, PrintStream.class, false)
                .toJobParameters();
        ExecutionContext context = new ExecutionContext();
        String failure;
        try {
            JobExecution execution = jobOperator.start(jobs.get(request.mode()), parameters);
            context = execution.getExecutionContext();
            failure = failure(runId, request, execution);
        } catch (Exception e) {
            failure = "could not start the job: " + Failures.describe(e);
        }
        RunPlan plan = context.containsKey(PlanTasklet.PLAN) ? (RunPlan) context.get(PlanTasklet.PLAN) : RunPlan.NOTHING;
        RunTracker tracker = (RunTracker) context.get(PlanTasklet.TRACKER);
        List<TenantOutcome> outcomes = tracker == null ? List.of() : tracker.outcomes();
        RunReport report = new RunReport(runId, request, outcomes, plan.invalidTenants(), plan.plans(), failure,
                Duration.ofNanos(System.nanoTime() - t0), tenantStates.read(runId, request, plan, outcomes,
                tracker == null ? Map.of() : tracker.dataUntil()));
        Window span = span(plan, request);
        recordRun(request, new RunLedger.Run(runId, request.mode().label(), report.exitCode() == 0 ? "succeeded" : "failed",
                span.start(), span.end(), (int) report.tenantCount(), (int) report.failedTenants(), startedAt, clock.instant(),
                failure != null ? failure : report.failedTenants() > 0 ? RunReport.count(report.failedTenants(), "tenant") + " failed" : "",
                request.shard().label()));
        return report;
    }

    /** Why the job did not complete, from the failures its steps recorded; null when it did. */
    private static String failure(String runId, RunRequest request, JobExecution execution) {
        List<Throwable> failures = execution.getAllFailureExceptions().stream().map(Failures::serversFailure).toList();
        for (Throwable cause : failures) {
            if (Failures.expected(cause)) {
                log.error("run={} {} failed: {}", runId, request.mode().label(), Failures.describe(cause));
            } else {
                log.error("run={} {} failed unexpectedly", runId, request.mode().label(), cause);
            }
        }
        if (execution.getStatus() == BatchStatus.COMPLETED) {
            return null;
        }
        String messages = failures.stream().map(Failures::describe).distinct().collect(Collectors.joining("; "));
        return messages.isEmpty() ? "job ended " + execution.getStatus() : messages;
    }

    /** The run's row in k8s_worker_runs; a dry run writes none, and a ledger that cannot be written does not stop the run. */
    private void recordRun(RunRequest request, RunLedger.Run run) {
        if (request.dryRun()) {
            return;
        }
        try {
            ledger.record(run);
        } catch (RuntimeException e) {
            log.error("run={} could not record the run as {} in the run ledger: {}", run.runId(), run.status(), e.getMessage());
        }
    }

    private static Window requestedWindow(RunRequest request) {
        if (request.window() != null) {
            return request.window();
        }
        Instant hour = Window.floorHour(request.now());
        return new Window(hour, hour);
    }

    /** From the earliest start to the latest end of the tenants' windows; the requested window without tenants. */
    private static Window span(RunPlan plan, RunRequest request) {
        List<TenantPlan> plans = plan.plans();
        if (plans.isEmpty()) {
            return requestedWindow(request);
        }
        Instant start = plans.stream().map(p -> p.window().start()).min(Instant::compareTo).orElseThrow();
        Instant end = plans.stream().map(p -> p.window().end()).max(Instant::compareTo).orElseThrow();
        return new Window(start, end);
    }
}
