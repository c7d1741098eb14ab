package com.cloudtuner.kubecost;

import com.cloudtuner.kubecost.cli.ExitCodes;
import com.cloudtuner.kubecost.cli.BackfillCommand;
import com.cloudtuner.kubecost.cli.Command;
import com.cloudtuner.kubecost.clickhouse.ClickHouseException;
import com.cloudtuner.kubecost.clickhouse.MigrationException;
import com.cloudtuner.kubecost.clickhouse.Migrator;
import com.cloudtuner.kubecost.config.ClickHouseProperties;
import com.cloudtuner.kubecost.config.ThanosProperties;
import com.cloudtuner.kubecost.config.WorkerProperties;
import com.cloudtuner.kubecost.diagnose.Diagnostics;
import com.cloudtuner.kubecost.clickhouse.ClickHouseGateway;
import com.cloudtuner.kubecost.metrics.RunFacts;
import com.cloudtuner.kubecost.metrics.RunMetrics;
import com.cloudtuner.kubecost.run.CostJob;
import com.cloudtuner.kubecost.run.LogFields;
import com.cloudtuner.kubecost.run.RunReport;
import com.cloudtuner.kubecost.run.RunRequest;
import com.cloudtuner.kubecost.run.Shard;
import com.cloudtuner.kubecost.run.TenantOutcome;
import com.cloudtuner.kubecost.run.TenantIds;
import com.cloudtuner.kubecost.thanos.ThanosClient;
import com.cloudtuner.kubecost.simulate.ExporterSimulation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs a parsed command and turns its outcome into an exit code. */
final class CommandExecutor {

    private static final Logger log = LoggerFactory.getLogger(CommandExecutor.class);

    private final Migrator migrator;
    private final CostJob job;
    private final TenantIds tenantIds;
    private final WorkerProperties worker;
    private final ThanosProperties thanos;
    private final ClickHouseProperties clickhouse;
    private final ThanosClient thanosClient;
    private final ClickHouseGateway gateway;
    private final Clock clock;
    private final Diagnostics diagnostics;
    private final RunMetrics metrics;
    private final String structuredLogFormat;
    /** Which tenants this worker's runs process; checks, explain and gaps see every tenant. */
    private final Shard shard;

    CommandExecutor(Migrator migrator, CostJob job, TenantIds tenantIds, WorkerProperties worker, ThanosProperties thanos,
                    ClickHouseProperties clickhouse, ThanosClient thanosClient, ClickHouseGateway gateway, Clock clock,
                    Diagnostics diagnostics, RunMetrics metrics, String structuredLogFormat) {
        this.migrator = migrator;
        this.job = job;
        this.tenantIds = tenantIds;
        this.worker = worker;
        this.thanos = thanos;
        this.clickhouse = clickhouse;
        this.thanosClient = thanosClient;
        this.gateway = gateway;
        this.clock = clock;
        this.diagnostics = diagnostics;
        this.metrics = metrics;
        this.structuredLogFormat = structuredLogFormat;
        this.shard = new Shard(worker.shard().index(), worker.shard().count());
    }

    /** With JSON logs, the command's stderr lines are log events too ({@link StderrLines}). */
    int execute(Command command, PrintStream out, PrintStream textErr) {
        PrintStream err = StderrLines.forLogs(structuredLogFormat, textErr);
        boolean run = command instanceof Command.Hourly || command instanceof Command.Backfill;
        // a run's id from its first line to its last, for JSON logs a field of each
        String runId = run ? UUID.randomUUID().toString() : null;
        try (LogFields.Scope fields = LogFields.with(LogFields.RUN_ID, runId)) {
            return execute(command, runId, out, err);
        } finally {
            err.flush();
        }
    }

    private int execute(Command command, String runId, PrintStream out, PrintStream err) {
        if (command instanceof Command.Simulate s) {
            return simulate(s, out, err);
        }
        RunRequest request = null;
        if (command instanceof Command.Hourly || command instanceof Command.Backfill) {
            request = request(command);
            String invalid = invalid(request);
            if (invalid != null) { // bad input: the one line on stderr is all that is printed
                err.println("kubecost-worker: " + invalid);
                return ExitCodes.USAGE;
            }
        }
        log.info("config: {} {} worker[prefix={}, mode={}, read-mode={}, reprocess-hours={}, settle-delay={}, max-catch-up={},"
                        + " chunk-hours={}, parallelism={}, batch={}, shard={}]",
                thanos, clickhouse, worker.exporter().prefix(), worker.exporter().metricMode(), worker.readMode(),
                worker.reprocessHours(), worker.settleDelay(), worker.maxCatchUp(), worker.effectiveChunkHours(),
                worker.parallelism(), worker.batch(), shard);
        if (command instanceof Command.Gaps g && g.backfill()) {
            return closeGaps(g, out, err);
        }
        if (Diagnostics.handles(command)) {
            return diagnostics.execute(command, out, err); // read-only: never migrates
        }
        if (command instanceof Command.Migrate) {
            List<String> applied = migrate(err);
            if (applied == null) {
                return ExitCodes.FAILED;
            }
            out.println(applied.isEmpty() ? "migrations: database " + clickhouse.database() + " was up to date, nothing applied"
                    : "migrations: applied " + applied.size() + " to database " + clickhouse.database() + ": " + String.join(", ", applied));
            return ExitCodes.OK;
        }
        if (worker.migrateOnStart() && !request.dryRun()) {
            Instant started = clock.instant();
            if (migrate(err) == null) { // the run never began: its metrics say so, or a stale success would stand
                metrics.publish(new RunFacts(new RunFacts.Outcome(request.mode().label(), Duration.between(started, clock.instant()),
                        false, clock.instant(), 0, 0, shard.metricsLabel()), RunFacts.Tenants.NONE, RunFacts.Rows.NONE, traffic()));
                return ExitCodes.FAILED;
            }
        }
        RunReport report = job.run(runId, request, out);
        log.atInfo().setMessage("run={} {} ended in {} ms: {} tenants, {} failed, exit {}; thanos requests={} retries={},"
                        + " clickhouse statements={}")
                .addArgument(report.runId()).addArgument(request.mode().label()).addArgument(report.elapsed().toMillis())
                .addArgument(report.tenantCount()).addArgument(report.failedTenants()).addArgument(report.exitCode())
                .addArgument(thanosClient.requestCount()).addArgument(thanosClient.retryCount()).addArgument(gateway.statementCount())
                .addKeyValue("ms", report.elapsed().toMillis()).addKeyValue("tenants", report.tenantCount())
                .addKeyValue("failed_tenants", report.failedTenants()).addKeyValue("exit_code", report.exitCode())
                .addKeyValue("thanos_requests", thanosClient.requestCount()).addKeyValue("clickhouse_statements", gateway.statementCount())
                .log();
        if (!request.dryRun()) {
            metrics.publish(facts(report));
        }
        report.print(request.dryRun() ? err : out, err);
        return report.exitCode();
    }

    private RunFacts facts(RunReport report) {
        List<TenantOutcome> outcomes = report.outcomes();
        return new RunFacts(new RunFacts.Outcome(report.request().mode().label(), report.elapsed(), report.exitCode() == ExitCodes.OK,
                clock.instant(), report.hours(), report.skippedHours(), shard.metricsLabel()),
                new RunFacts.Tenants((int) (report.tenantCount() - report.failedTenants()), (int) report.failedTenants(),
                        report.invalidTenants().size(), report.tenants().watermarkLag(), report.tenants().failed(),
                        report.tenants().freshness()),
                new RunFacts.Rows(outcomes.stream().mapToLong(o -> o.written().rows()).sum(),
                        outcomes.stream().mapToLong(o -> o.written().changed()).sum(),
                        outcomes.stream().mapToLong(o -> o.written().tombstoned()).sum()),
                traffic());
    }

    private RunFacts.Traffic traffic() {
        return new RunFacts.Traffic(thanosClient.requestCount(), thanosClient.retryCount(), thanosClient.errorCount(),
                gateway.statementCount(), gateway.insertCount());
    }

    /** {@code gaps --backfill}: gaps, then each backfill it plans, one after another, as {@code backfill} runs them. */
    private int closeGaps(Command.Gaps g, PrintStream out, PrintStream err) {
        Diagnostics.GapsOutcome gaps = diagnostics.gaps(g, out, err);
        if (gaps.exitCode() == ExitCodes.USAGE) {
            return ExitCodes.USAGE;
        }
        int exit = gaps.leftAfterThem();
        int n = gaps.backfills().size();
        for (int i = 0; i < n; i++) {
            Command.Backfill b = gaps.backfills().get(i);
            err.println("kubecost-worker: gaps: backfill " + (i + 1) + "/" + n + ": " + BackfillCommand.of(b.window(), b.tenants()));
            exit = Math.max(exit, execute(b, g.json() ? err : out, err)); // --json: stdout holds gaps' document only
        }
        return exit;
    }

    private RunRequest request(Command command) {
        if (command instanceof Command.Hourly h) {
            return RunRequest.hourly(h.now() == null ? clock.instant() : h.now(), h.tenants().isEmpty() ? worker.tenants() : h.tenants(),
                    h.currentHour() || worker.currentHour()).inShard(shard);
        }
        if (command instanceof Command.Backfill b) {
            return RunRequest.backfill(b.window(), b.tenants().isEmpty() ? worker.tenants() : b.tenants(), b.dryRun(), b.eraseMissing())
                    .inShard(shard);
        }
        throw new IllegalStateException("unhandled command " + command);
    }

    /** Why the request cannot run, in one line; null when it can. */
    private String invalid(RunRequest request) {
        if (!request.tenants().isEmpty() && tenantIds.split(request.tenants()).valid().isEmpty()) {
            return "no tenant id given matches worker.tenant-pattern (" + worker.tenantPattern() + ")";
        }
        if (request.window() != null) {
            Duration span = Duration.between(request.window().start(), request.window().end());
            if (span.compareTo(worker.maxBackfill()) > 0) {
                return "backfill " + request.window() + " spans " + span.toDays() + " days, more than worker.max-backfill ("
                        + worker.maxBackfill().toDays() + " days); split it into shorter backfills";
            }
        }
        return null;
    }

    /** The migrations applied (empty when the schema was current), or null after saying on stderr why it failed. */
    private List<String> migrate(PrintStream err) {
        try {
            List<String> applied = migrator.migrate();
            if (!applied.isEmpty()) {
                log.info("migrations: applied {}", applied);
            }
            return applied;
        } catch (MigrationException | ClickHouseException e) {
            err.println("kubecost-worker: cannot bring the ClickHouse schema up to date: " + e.getMessage());
            return null;
        }
    }

    private int simulate(Command.Simulate s, PrintStream out, PrintStream err) {
        ExporterSimulation.Shape shape = s.shape() == null ? null : new ExporterSimulation.Shape(s.shape().clusters(),
                s.shape().namespaces(), Duration.ofSeconds(s.shape().scrapeSeconds()));
        ExporterSimulation simulation;
        try {
            simulation = new ExporterSimulation(worker.exporter().prefix(), s.tenants(), s.from(), s.hours(), s.seed(), shape,
                    s.incidents());
        } catch (IllegalArgumentException e) { // an incident's cluster: only the simulation knows the names it gives
            err.println("kubecost-worker: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        long samples;
        try (Writer w = Files.newBufferedWriter(s.out(), StandardCharsets.UTF_8)) {
            samples = simulation.writeOpenMetrics(w);
        } catch (IOException | UncheckedIOException e) {
            err.println("kubecost-worker: cannot write " + s.out() + ": " + e.getMessage());
            return ExitCodes.FAILED;
        }
        out.println("simulate: wrote " + samples + " samples for " + s.tenants().size() + (s.tenants().size() == 1 ? " tenant" : " tenants") + " from " + s.from()
                + " (" + s.hours() + " h) to " + s.out() + (s.incidents().isEmpty() ? "" : s.incidents().size() == 1 ? " with 1 incident"
                : " with " + s.incidents().size() + " incidents"));
        return ExitCodes.OK;
    }
}
