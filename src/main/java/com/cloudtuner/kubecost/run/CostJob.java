package com.cloudtuner.kubecost.run;

import com.cloudtuner.kubecost.clickhouse.ClickHouseException;
import com.cloudtuner.kubecost.clickhouse.ExpenseStore;
import com.cloudtuner.kubecost.clickhouse.RunLedger;
import com.cloudtuner.kubecost.clickhouse.Watermarks;
import com.cloudtuner.kubecost.thanos.ThanosQueryException;
import java.io.PrintStream;
import java.time.Clock;
import com.cloudtuner.kubecost.cost.Window;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.core.step.skip.AlwaysSkipItemSkipPolicy;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.task.SimpleAsyncTaskExecutor;

/**
 * A run as a Spring Batch job of two steps. {@code plan} (a tasklet) decides the tenants, their
 * hours and the work units; {@code process} is a chunk-oriented step whose items are the work units
 * (a batch of tenants × a chunk of their window): the processor reads and computes
 * {@code worker.parallelism} units at a time on Spring Batch's own concurrent processing, the
 * writer stores them, a failed unit is skipped (and recorded for its tenants) while the others go on,
 * a write that ClickHouse did not answer is retried, and a listener closes each batch (watermarks,
 * run ledger) when its units have ended.
 */
public final class CostJob {

    private static final Logger log = LoggerFactory.getLogger(CostJob.class);

    private final JobRepository jobRepository;
    private final JobOperator jobOperator;
    private final RunPlanner planner;
    private final WindowComputation computation;
    private final ExpenseStore store;
    private final RunLedger ledger;
    private final Watermarks watermarks;
    private final int parallelism;
    private final int writeRetries;
    private final Duration writeRetryBackoff;
    private final ObservationRegistry observations;
    private final Clock clock;
    private final Duration forgetTenantsAfter;

    CostJob(JobRepository jobRepository, JobOperator jobOperator, RunPlanner planner, WindowComputation computation,
            ExpenseStore store, RunLedger ledger, Watermarks watermarks,
            int parallelism, int writeRetries, Duration writeRetryBackoff, ObservationRegistry observations, Clock clock,
            Duration forgetTenantsAfter) {
        this.jobRepository = jobRepository;
        this.jobOperator = jobOperator;
        this.planner = planner;
        this.computation = computation;
        this.store = store;
        this.ledger = ledger;
        this.watermarks = watermarks;
        this.parallelism = parallelism;
        this.writeRetries = writeRetries;
        this.writeRetryBackoff = writeRetryBackoff;
        this.observations = observations;
        this.clock = clock;
        this.forgetTenantsAfter = forgetTenantsAfter;
    }

    /** What the run decided and how it ended; filled in as the steps go. */
    private static final class State {
        RunPlan plan = RunPlan.NOTHING;
        RunTracker tracker;
        Iterator<WorkUnit> units;
    }

    /** @param dryRunOut where a dry run prints its rows */
    public RunReport run(RunRequest request, PrintStream dryRunOut) {
        String runId = UUID.randomUUID().toString();
        long t0 = System.nanoTime();
        Instant startedAt = clock.instant();
        recordRun(request, new RunLedger.Run(runId, request.mode().label(), "running", requestedWindow(request).start(),
                requestedWindow(request).end(), 0, 0, startedAt, startedAt, ""));
        State state = new State();
        Step plan = new StepBuilder("plan", jobRepository)
                .tasklet((contribution, context) -> {
                    state.plan = planner.plan(runId, request);
                    state.tracker = new RunTracker(runId, request, state.plan, clock, ledger, watermarks);
                    state.units = state.plan.units().iterator();
                    return RepeatStatus.FINISHED;
                })
                .build();
        SimpleAsyncTaskExecutor executor = new SimpleAsyncTaskExecutor("unit-");
        executor.setConcurrencyLimit(parallelism);
        executor.setDaemon(true);
        Step process = new StepBuilder("process", jobRepository)
                .<WorkUnit, UnitResult>chunk(parallelism)
                .reader(() -> state.units.hasNext() ? state.units.next() : null)
                .processor(new UnitProcessor(computation, runId))
                .writer(new UnitWriter(store, request.eraseMissing(), request.dryRun() ? dryRunOut : null))
                .taskExecutor(executor)
                .faultTolerant()
                .processorNonTransactional()
                .retryPolicy(RetryPolicy.builder().maxRetries(writeRetries).delay(writeRetryBackoff).multiplier(2)
                        .predicate(Failures::transientClickHouse).build())
                .skipPolicy(new AlwaysSkipItemSkipPolicy())
                .listener(new RunListener(() -> state.tracker))
                .observationRegistry(observations)
                .build();
        Job job = new JobBuilder(request.mode().label(), jobRepository).start(plan).next(process).build();
        String failure;
        try {
            JobExecution execution = jobOperator.start(job, new JobParametersBuilder().addString("run.id", runId).toJobParameters());
            List<Throwable> failures = execution.getAllFailureExceptions();
            for (Throwable e : failures) {
                Throwable cause = rootOf(e);
                if (cause instanceof ThanosQueryException || cause instanceof ClickHouseException) {
                    log.error("run={} {} failed: {}", runId, request.mode().label(), cause.getMessage());
                } else {
                    log.error("run={} {} failed unexpectedly", runId, request.mode().label(), e);
                }
            }
            failure = execution.getStatus() == BatchStatus.COMPLETED ? null : failures.stream()
                    .map(CostJob::rootOf)
                    .map(e -> e.getMessage() == null ? e.toString() : e.getMessage())
                    .collect(Collectors.collectingAndThen(Collectors.joining("; "),
                            s -> s.isEmpty() ? "job ended " + execution.getStatus() : s));
        } catch (Exception e) {
            failure = "could not start the job: " + e.getMessage();
        }
        List<TenantOutcome> outcomes = state.tracker == null ? List.of() : state.tracker.outcomes();
        RunReport report = new RunReport(runId, request, outcomes, state.plan.invalidTenants(), state.plan.plans(), failure,
                Duration.ofNanos(System.nanoTime() - t0),
                tenantStates(runId, request, state.plan, outcomes, request.now() != null ? request.now() : clock.instant()));
        Window span = span(state.plan, request);
        recordRun(request, new RunLedger.Run(runId, request.mode().label(), report.exitCode() == 0 ? "succeeded" : "failed",
                span.start(), span.end(), outcomes.size(), (int) report.failedTenants(), startedAt, clock.instant(),
                failure != null ? failure : report.failedTenants() > 0 ? report.failedTenants() + " tenants failed" : ""));
        return report;
    }

    /**
     * Every current tenant of the run's mode: the ledger's latest outcome of each tenant a run of the
     * mode processed within {@code forgetTenantsAfter}, this run's for its own (also when the ledger
     * could not record it), and each one's watermark lag as of {@code now}. A push carries them all, so
     * a run over some tenants never removes the others' series. Unknown when the ledger or the
     * watermarks cannot be read: then the series pushed before stay as they are.
     */
    private TenantStates tenantStates(String runId, RunRequest request, RunPlan plan, List<TenantOutcome> outcomes, Instant now) {
        if (request.dryRun()) {
            return TenantStates.UNKNOWN;
        }
        try {
            Map<String, Boolean> failed = new TreeMap<>(ledger.latestFailed(request.mode().label(),
                    clock.instant().minus(forgetTenantsAfter)));
            failed.putAll(outcomes.stream().collect(Collectors.toMap(o -> o.plan().tenant(), o -> !o.succeeded(), Boolean::logicalOr)));
            Set<String> tenants = new TreeSet<>(failed.keySet());
            plan.plans().forEach(p -> tenants.add(p.tenant()));
            Map<String, Instant> marks = watermarks.all();
            Map<String, Duration> lag = new TreeMap<>();
            for (String tenant : tenants) {
                Instant mark = marks.get(tenant);
                if (mark != null) {
                    lag.put(tenant, planner.policy().lag(mark, now));
                }
            }
            return new TenantStates(failed, lag);
        } catch (RuntimeException e) {
            log.warn("run={} could not read the run ledger or the watermarks for the run's metrics: {}; the tenants' series are not pushed",
                    runId, e.getMessage());
            return TenantStates.UNKNOWN;
        }
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

    private static Throwable rootOf(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t
                && !(t instanceof ThanosQueryException || t instanceof ClickHouseException)) {
            t = t.getCause();
        }
        return t;
    }
}
