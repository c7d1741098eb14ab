package com.cloudtuner.kubecost.diagnose;

import com.cloudtuner.kubecost.clickhouse.RunLedger;
import com.cloudtuner.kubecost.cost.Window;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.node.ArrayNode;

/**
 * {@code check}'s findings from the run ledger of the last day: tenants' runs that failed or left
 * cluster-hours refused (k8s_expenses_runs), and runs that failed as a whole (k8s_worker_runs),
 * each a problem until a later run made it good.
 */
final class FailedRuns {

    private FailedRuns() {
    }

    /**
     * A run that left cluster-hours unwritten because their data contradict themselves: a problem
     * until a later run of the tenant over those hours wrote every hour.
     */
    private static void refused(RunLedger.Entry run, List<RunLedger.Entry> later, CheckReport report) {
        if (madeGood(run, later)) {
            return;
        }
        List<String> hours = run.error().lines().filter(l -> l.startsWith("refused ")).map(l -> l.substring(8)).toList();
        report.add(Finding.problem("refused_hours", "tenant " + run.tenant(), run.mode() + " run " + run.runId() + " left "
                + hours.size() + " cluster-hour" + (hours.size() == 1 ? "" : "s") + " unwritten, their data contradict themselves: "
                + Texts.list(hours, 3), "make the exporter report one currency per cluster (and its namespaces) in an hour; once"
                + " Thanos holds consistent data: " + Texts.backfill(new Window(run.windowStart(), run.windowEnd()), run.tenant())));
    }

    /**
     * Whether a later run of the tenant succeeded over all of the run's hours; for a provisional
     * window, any later success reaching its hours (every run computes them again until they are final).
     */
    private static boolean madeGood(RunLedger.Entry run, List<RunLedger.Entry> later) {
        return later.stream().anyMatch(l -> l.status().equals("succeeded") && l.tenant().equals(run.tenant())
                && (run.provisional() ? l.windowEnd().isAfter(run.windowStart())
                        : !l.windowStart().isAfter(run.windowStart()) && !l.windowEnd().isBefore(run.windowEnd())));
    }

    /**
     * Runs of the last day that failed as a whole, with no tenant failing (discovery, planning, the
     * daily step): k8s_expenses_runs has no row of such a failure, k8s_worker_runs has. One a later
     * run of the mode made good (for a backfill, one over its whole window) is a note.
     */
    static void whole(RunLedger ledger, Instant now, CheckReport report) {
        Instant to = now.truncatedTo(ChronoUnit.SECONDS);
        Map<String, RunLedger.Run> latestRowOfRun = new LinkedHashMap<>();
        ledger.runs(to.minus(Duration.ofDays(1)), to).forEach(r -> latestRowOfRun.put(r.runId(), r));
        List<RunLedger.Run> runs = new ArrayList<>(latestRowOfRun.values());
        ArrayNode facts = report.clickhouse().putArray("failed_whole_runs");
        for (RunLedger.Run r : runs) {
            if (!r.status().equals("failed") || r.failedTenants() > 0) {
                continue; // tenants that failed are in k8s_expenses_runs, reported as failed_run
            }
            // later by the clock, not by the list's order: two runs may start in the same second (the ledger keeps seconds);
            // of the same shard, or unsharded: another shard's success says nothing of this shard's tenants
            boolean madeGood = runs.stream().anyMatch(l -> l != r && l.mode().equals(r.mode()) && !l.startedAt().isBefore(r.finishedAt())
                    && l.status().equals("succeeded") && (l.shard().equals(r.shard()) || l.shard().isEmpty())
                    && (r.mode().equals("hourly") || !l.windowStart().isAfter(r.windowStart()) && !l.windowEnd().isBefore(r.windowEnd())));
            String error = r.error().strip().lines().findFirst().orElse("");
            facts.addObject().put("run_id", r.runId()).put("mode", r.mode()).put("shard", r.shard())
                    .put("started_at", r.startedAt().toString()).put("tenants", r.tenants()).put("error", error)
                    .put("made_good_by_a_later_run", madeGood);
            String what = r.mode() + " run " + r.runId() + (r.shard().isEmpty() ? "" : " (shard " + r.shard() + ")") + " failed at "
                    + r.startedAt() + " with no tenant failing: " + error;
            if (madeGood) {
                report.add(Finding.note("run_failed_made_good", "clickhouse", what + " (a later run succeeded)"));
            } else {
                report.add(Finding.problem("run_failed", "clickhouse", what, r.mode().equals("hourly")
                        ? "fix the cause the error names; the next hourly run that succeeds catches up from the watermarks"
                        : "fix the cause the error names, then run the backfill " + new Window(r.windowStart(), r.windowEnd()) + " again"));
            }
        }
    }

    /** Failed runs of the last day; one a later successful run covered is only a note. */
    static void ofTenants(RunLedger ledger, Collection<String> scope, Instant now, CheckReport report) {
        Instant to = now.truncatedTo(ChronoUnit.SECONDS);
        Instant from = to.minus(Duration.ofDays(1));
        List<RunLedger.Entry> runs = ledger.entries(from, to, scope);
        ArrayNode facts = report.clickhouse().putArray("failed_runs");
        int failed = 0;
        for (int i = 0; i < runs.size(); i++) {
            RunLedger.Entry r = runs.get(i);
            List<RunLedger.Entry> later = runs.subList(i + 1, runs.size());
            if (r.status().equals("partial") && r.provisional()) {
                continue; // the hours' final processing refuses them again, and that run is reported
            }
            if (r.status().equals("partial")) {
                refused(r, later, report);
                continue;
            }
            if (!r.status().equals("failed")) {
                continue;
            }
            failed++;
            boolean madeGood = madeGood(r, later);
            Window window = new Window(r.windowStart(), r.windowEnd());
            String error = r.error().strip().lines().findFirst().orElse("");
            facts.addObject().put("run_id", r.runId()).put("mode", r.mode()).put("tenant", r.tenant())
                    .put("window_start", window.start().toString()).put("window_end", window.end().toString())
                    .put("started_at", r.startedAt().toString()).put("error", error).put("made_good_by_a_later_run", madeGood);
            String what = r.mode() + " run " + r.runId() + " failed at " + r.startedAt() + " for " + window + ": " + error;
            String where = "tenant " + r.tenant();
            if (madeGood) {
                report.add(Finding.note("failed_run_made_good", where, what + " (a later run succeeded for these hours)"));
            } else {
                report.add(Finding.problem("failed_run", where, what, r.provisional()
                        ? "fix the cause the error names; hours in progress are computed again by the next run (a backfill"
                                + " would make them final before they are complete)"
                        : (r.mode().equals("hourly")
                        ? "fix the cause the error names; the next hourly run retries these hours (the watermark did not move), or now: "
                        : "fix the cause the error names, then: ") + Texts.backfill(window, r.tenant())));
            }
        }
        if (failed == 0) {
            report.add(Finding.ok("runs", "clickhouse", "no failed run in k8s_expenses_runs since " + from));
        }
    }
}
