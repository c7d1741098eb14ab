package com.cloudtuner.kubecost.run;

import com.cloudtuner.kubecost.cli.ExitCodes;
import com.cloudtuner.kubecost.cli.BackfillCommand;
import com.cloudtuner.kubecost.cost.Window;
import com.cloudtuner.kubecost.thanos.PromQl;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;

/**
 * How a run ended, for people: a summary table on stdout, failures on stderr.
 *
 * @param failure why the run could not even plan (tenant discovery failed, say); null otherwise
 * @param elapsed how long the run took, planning included
 * @param tenants  every current tenant's latest outcome and watermark lag, for the run's metrics
 */
public record RunReport(String runId, RunRequest request, List<TenantOutcome> outcomes, List<String> invalidTenants,
                        List<TenantPlan> plans, String failure, Duration elapsed, TenantStates tenants) {

    public RunReport {
        outcomes = List.copyOf(outcomes);
        invalidTenants = List.copyOf(invalidTenants);
        plans = List.copyOf(plans);
    }

    /** Tenant-hours the run computed, complete hours only. */
    public long hours() {
        return outcomes.stream().filter(o -> !o.plan().provisional()).mapToLong(o -> o.plan().window().hours()).sum();
    }

    /**
     * Tenant-hours the hourly run left unprocessed because they were older than
     * {@code worker.max-catch-up} (each tenant's {@link TenantPlan#notCaughtUp}): a backfill must do them.
     */
    public long skippedHours() {
        return plans.stream().filter(p -> p.notCaughtUp() != null).mapToLong(p -> p.notCaughtUp().hours()).sum();
    }

    /** Tenants the run processed (one with complete and provisional hours is one tenant). */
    public long tenantCount() {
        return outcomes.stream().map(o -> o.plan().tenant()).distinct().count();
    }

    /** Tenants not completely written: a failed window (complete or provisional hours), or refused cluster-hours. */
    public long failedTenants() {
        return outcomes.stream().filter(o -> !o.succeeded()).map(o -> o.plan().tenant()).distinct().count();
    }

    public int exitCode() {
        return failure == null && failedTenants() == 0 ? ExitCodes.OK : ExitCodes.FAILED;
    }

    /**
     * @param out the summary; a dry run passes stderr so that stdout holds nothing but rows
     */
    public void print(PrintStream out, PrintStream err) {
        String what = request.mode() == RunRequest.Mode.BACKFILL
                ? "backfill " + request.window() + (request.dryRun() ? " (dry run: nothing written)" : "")
                : "hourly as of " + request.now();
        if (failure != null) {
            err.println("kubecost-worker: run " + runId + " " + what + " failed: " + failure);
            return;
        }
        long ok = tenantCount() - failedTenants();
        out.printf("run %s %s: %s succeeded, %d failed%s%n", runId, what, count(ok, "tenant"), failedTenants(),
                invalidTenants.isEmpty() ? "" : ", " + invalidTenants.size() + " skipped (id does not match worker.tenant-pattern)");
        if (!outcomes.isEmpty()) {
            int width = Math.max(6, outcomes.stream().mapToInt(o -> o.plan().tenant().length()).max().orElse(6));
            out.printf("  %-" + width + "s  %-42s  %-9s  %8s  %8s  %10s%n", "tenant", "window", "status", "rows", "changed", "tombstoned");
            for (TenantOutcome o : outcomes) {
                out.printf("  %-" + width + "s  %-42s  %-9s  %8d  %8d  %10d%n", o.plan().tenant(),
                        o.plan().window() + (o.plan().provisional() ? " provisional" : ""), o.status(),
                        o.written().rows(), o.written().changed(), o.written().tombstoned());
            }
        }
        for (TenantPlan p : plans) {
            if (p.notCaughtUp() != null) {
                out.printf("tenant %s: hours %s are older than worker.max-catch-up and were not processed; fill them with:%n  %s%n",
                        p.tenant(), p.notCaughtUp(), backfillCommand(p));
            }
        }
        for (String invalid : invalidTenants) {
            err.println("kubecost-worker: skipped tenant id " + PromQl.quote(invalid) + ": it does not match worker.tenant-pattern");
        }
        FailureLines.print(err, request, outcomes);
        out.flush();
        err.flush();
    }

    /** "1 tenant", "2 tenants": a count with its noun in the right number. */
    static String count(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    /** The command that fills a tenant's hours the hourly run left behind. */
    static String backfillCommand(TenantPlan p) {
        return backfillCommand(p.notCaughtUp(), p.tenant());
    }

    /** The command that recomputes a tenant's hours, ready to paste into a shell. */
    public static String backfillCommand(Window hours, String tenant) {
        return BackfillCommand.of(hours, tenant);
    }
}
