package com.cloudtuner.kubecost.diagnose;

import com.cloudtuner.kubecost.cli.ExitCodes;
import com.cloudtuner.kubecost.cli.Command;
import com.cloudtuner.kubecost.clickhouse.ClickHouseException;
import com.cloudtuner.kubecost.config.WorkerProperties;
import com.cloudtuner.kubecost.run.TenantIds;
import com.cloudtuner.kubecost.thanos.PromQl;
import com.cloudtuner.kubecost.thanos.ThanosQueryException;
import java.io.PrintStream;
import java.time.Clock;
import java.util.List;

/**
 * The operator's tools {@code check}, {@code explain} and {@code gaps}: read-only, through the
 * job's own clients and configuration. Results go to stdout (text, or one JSON document with
 * {@code --json}); logs and failures to stderr.
 */
public final class Diagnostics {

    private final Check check;
    private final Explain explain;
    private final Gaps gaps;
    private final TenantIds tenantIds;
    private final WorkerProperties worker;
    private final Clock clock;

    Diagnostics(Check check, Explain explain, Gaps gaps, TenantIds tenantIds, WorkerProperties worker, Clock clock) {
        this.check = check;
        this.explain = explain;
        this.gaps = gaps;
        this.tenantIds = tenantIds;
        this.worker = worker;
        this.clock = clock;
    }

    /**
     * What {@code gaps} found, printed, and the backfills that close it.
     *
     * @param exitCode      gaps' own exit code
     * @param backfills     the fewest backfills that close every range a backfill closes
     * @param leftAfterThem 0 when those backfills close everything found; 1 when something stays (hours that
     *                      could not be checked, refused hours no run writes)
     */
    public record GapsOutcome(int exitCode, List<Command.Backfill> backfills, int leftAfterThem) {
        static GapsOutcome failed(int exitCode) {
            return new GapsOutcome(exitCode, List.of(), exitCode);
        }
    }

    /** {@code gaps}: the report as it prints it, and the backfills that close what it found. */
    public GapsOutcome gaps(Command.Gaps g, PrintStream out, PrintStream err) {
        List<String> given = g.tenants().isEmpty() ? worker.tenants() : g.tenants();
        TenantIds.Split explicit = given.isEmpty() ? null : tenantIds.split(given);
        if (explicit != null && explicit.valid().isEmpty()) {
            err.println("kubecost-worker: no tenant id given matches worker.tenant-pattern (" + worker.tenantPattern() + ")");
            return GapsOutcome.failed(ExitCodes.USAGE);
        }
        GapReport report;
        try {
            report = gaps.run(g, explicit, tenantIds);
        } catch (ThanosQueryException ex) {
            err.println("kubecost-worker: gaps: Thanos failed: " + ex.getMessage());
            return GapsOutcome.failed(ExitCodes.FAILED);
        } catch (ClickHouseException ex) {
            err.println("kubecost-worker: gaps: ClickHouse failed: " + ex.getMessage());
            return GapsOutcome.failed(ExitCodes.FAILED);
        }
        if (g.json()) {
            report.printJson(out);
            report.failures().forEach(f -> err.println("kubecost-worker: gaps: " + f));
        } else {
            report.printText(out, err);
        }
        return new GapsOutcome(report.exitCode(), report.backfills().stream()
                .map(b -> new Command.Backfill(b.hours(), b.tenants(), false, false)).toList(), report.exitCodeAfterBackfills());
    }

    public static boolean handles(Command command) {
        return command instanceof Command.Check || command instanceof Command.Explain || command instanceof Command.Gaps;
    }

    public int execute(Command command, PrintStream out, PrintStream err) {
        if (command instanceof Command.Check c) {
            CheckReport report = check.run(c, c.now() == null ? clock.instant() : c.now());
            if (c.json()) {
                report.printJson(out);
            } else {
                report.printText(out, c.problemsOnly());
            }
            return report.exitCode();
        }
        if (command instanceof Command.Explain e) {
            return explain(e, out, err);
        }
        if (command instanceof Command.Gaps g) {
            return gaps(g, out, err).exitCode();
        }
        throw new IllegalArgumentException("not a diagnostic command: " + command);
    }

    private int explain(Command.Explain e, PrintStream out, PrintStream err) {
        if (!tenantIds.split(List.of(e.tenant())).invalid().isEmpty()) {
            err.println("kubecost-worker: tenant id " + PromQl.quote(e.tenant()) + " does not match worker.tenant-pattern ("
                    + worker.tenantPattern() + ")");
            return ExitCodes.USAGE;
        }
        Explanation explanation;
        try {
            explanation = explain.run(e);
        } catch (ThanosQueryException ex) {
            err.println("kubecost-worker: explain: Thanos failed: " + ex.getMessage());
            return ExitCodes.FAILED;
        }
        if (e.json()) {
            ExplanationJson.print(explanation, out);
        } else {
            ExplanationText.print(explanation, out);
        }
        if (explanation.exitCode() != ExitCodes.OK) {
            err.println("kubecost-worker: explain: ClickHouse failed; the stored row is unknown");
        }
        return explanation.exitCode();
    }
}
