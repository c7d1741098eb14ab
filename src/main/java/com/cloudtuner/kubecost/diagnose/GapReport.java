package com.cloudtuner.kubecost.diagnose;

import com.cloudtuner.kubecost.cli.BackfillCommand;
import com.cloudtuner.kubecost.cli.ExitCodes;
import com.cloudtuner.kubecost.cost.Window;
import com.cloudtuner.kubecost.thanos.PromQl;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What {@code gaps} found, as ranges of consecutive hours per tenant, cluster and kind, each
 * with the backfill command that recomputes it.
 */
final class GapReport {

    enum Kind {
        /** Thanos has data that gives rows; the view has none for the cluster-hour. */
        MISSING("missing", true),
        /** The view's rows of the cluster-hour differ from a fresh computation (or a namespace is missing or extra). */
        DIFFERS("differs", true),
        /** The namespace rows match, the cluster's row does not: a write stopped between k8s_expenses and k8s_cluster_expenses. */
        INCOMPLETE("incomplete-write", true),
        /** The data contradict themselves (two currencies in the hour): no run writes the cluster-hour. */
        REFUSED("refused", false),
        /** Stored and fresh agree, but a row's coverage is below the threshold: Thanos holds part of the hour only. */
        LOW_COVERAGE("low-coverage", false),
        /** Missing or different, but at or after the tenant's watermark: the next hourly run writes them. */
        PENDING("pending", false);

        final String label;
        /** Whether a backfill is what closes it (and the exit code says so). */
        final boolean toBackfill;

        Kind(String label, boolean toBackfill) {
            this.label = label;
            this.toBackfill = toBackfill;
        }
    }

    /** @param facts what {@code detail} says, as fields of the range's JSON (of its first hour, as the detail) */
    record Range(String tenant, String cluster, Kind kind, Window hours, String detail, ObjectNode facts) {
        String command() {
            return Texts.backfill(hours, tenant);
        }
    }

    private final Window window;
    private final double minCoverage;
    private final boolean examinedAreAll;
    private final Duration maxBackfill;
    private final List<Range> ranges = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();
    private final List<String> invalidTenants = new ArrayList<>();
    private final List<String> tenants = new ArrayList<>();
    private long clusterHoursWithData;
    private long storedWithoutData;

    /**
     * @param examinedAreAll whether the tenants examined are those a backfill without --tenant takes
     * @param maxBackfill    the longest backfill the job accepts (worker.max-backfill)
     */
    GapReport(Window window, double minCoverage, boolean examinedAreAll, Duration maxBackfill) {
        this.window = window;
        this.minCoverage = minCoverage;
        this.examinedAreAll = examinedAreAll;
        this.maxBackfill = maxBackfill;
    }

    /** The fewest backfills that close every range a backfill closes. */
    List<BackfillPlan.Backfill> backfills() {
        return BackfillPlan.of(ranges.stream().filter(r -> r.kind().toBackfill).map(r -> new BackfillPlan.Gap(r.tenant(), r.hours()))
                .toList(), tenants.size(), examinedAreAll, maxBackfill);
    }

    void tenants(List<String> valid, List<String> invalid) {
        tenants.addAll(valid);
        invalidTenants.addAll(invalid);
    }

    void add(Range r) {
        ranges.add(r);
    }

    void failure(String what) {
        failures.add(what);
    }

    void counted(long withData, long storedOnly) {
        clusterHoursWithData += withData;
        storedWithoutData += storedOnly;
    }

    List<Range> ranges() {
        return ranges.stream().sorted(Comparator.comparing(Range::tenant).thenComparing(Range::cluster)
                .thenComparing(r -> r.hours().start())).toList();
    }

    List<String> failures() {
        return List.copyOf(failures);
    }

    /** 0 nothing to backfill; 1 hours to backfill, refused hours (no run writes them), or some could not be checked. */
    int exitCode() {
        return failures.isEmpty() && ranges.stream().noneMatch(r -> r.kind().toBackfill || r.kind() == Kind.REFUSED) ? ExitCodes.OK : ExitCodes.FAILED;
    }

    /** After the backfills of {@link #backfills()} succeeded: 1 when something stays (unchecked or refused hours). */
    int exitCodeAfterBackfills() {
        return failures.isEmpty() && ranges.stream().noneMatch(r -> r.kind() == Kind.REFUSED) ? ExitCodes.OK : ExitCodes.FAILED;
    }

    void printText(PrintStream out, PrintStream err) {
        List<Range> sorted = ranges();
        long toBackfill = sorted.stream().filter(r -> r.kind().toBackfill).count();
        long hoursToBackfill = sorted.stream().filter(r -> r.kind().toBackfill).mapToLong(r -> r.hours().hours()).sum();
        long low = sorted.stream().filter(r -> r.kind() == Kind.LOW_COVERAGE).count();
        long refused = sorted.stream().filter(r -> r.kind() == Kind.REFUSED).mapToLong(r -> r.hours().hours()).sum();
        out.println("gaps " + window + ": " + tenants.size() + " tenant" + (tenants.size() == 1 ? "" : "s") + ", "
                + clusterHoursWithData + " cluster-hours with exporter data; " + (toBackfill == 0 ? "nothing to backfill"
                : toBackfill + " range" + (toBackfill == 1 ? "" : "s") + " to backfill (" + hoursToBackfill + " cluster-hours)")
                + (low == 0 ? "" : ", " + low + " range" + (low == 1 ? "" : "s") + " of coverage below " + Texts.number(minCoverage))
                + (refused == 0 ? "" : ", " + refused + " cluster-hour" + (refused == 1 ? "" : "s") + " refused (contradictory data)")
                + (failures.isEmpty() ? "" : "; " + failures.size() + " could not be checked (stderr)"));
        for (Range r : sorted) {
            out.println(r.kind().label + " tenant " + r.tenant() + " cluster " + r.cluster() + " " + r.hours() + " (" + r.hours().hours()
                    + " h): " + r.detail());
        }
        List<BackfillPlan.Backfill> plan = backfills();
        if (!plan.isEmpty()) {
            out.println("to close them, " + (plan.size() == 1 ? "1 backfill" : plan.size() + " backfills") + " (or gaps ... --backfill):");
            plan.forEach(b -> out.println("  " + BackfillCommand.of(b.hours(), b.tenants())));
            // a Job made from the CronJob takes the arguments as a JSON array (README: "Backfill, check and gaps in the cluster")
            out.println("in Kubernetes, the args of a Job made from the CronJob (or run gaps with --backfill in one):");
            plan.forEach(b -> out.println("  " + Json.array(BackfillCommand.arguments(b.hours(), b.tenants()))));
        }
        if (storedWithoutData > 0) {
            out.println("note: " + storedWithoutData + " stored cluster-hours have no exporter data in Thanos any more; backfills keep"
                    + " them (backfill --erase-missing would remove them)");
        }
        for (String id : invalidTenants) {
            err.println("kubecost-worker: gaps: skipped tenant id " + PromQl.quote(id) + ": it does not match worker.tenant-pattern");
        }
        for (String f : failures) {
            err.println("kubecost-worker: gaps: " + f);
        }
        out.flush();
        err.flush();
    }

    void printJson(PrintStream out) {
        ObjectNode doc = Json.object().put("command", "gaps").put("from", window.start().toString()).put("to", window.end().toString())
                .put("min_coverage", minCoverage).put("cluster_hours_with_data", clusterHoursWithData)
                .put("stored_cluster_hours_without_data", storedWithoutData).put("exit_code", exitCode());
        ArrayNode t = doc.putArray("tenants");
        tenants.forEach(t::add);
        ArrayNode inv = doc.putArray("skipped_tenant_ids");
        invalidTenants.forEach(inv::add);
        ArrayNode list = doc.putArray("ranges");
        for (Range r : ranges()) {
            list.addObject().put("tenant", r.tenant()).put("cluster", r.cluster()).put("kind", r.kind().label)
                    .put("from", r.hours().start().toString()).put("to", r.hours().end().toString()).put("hours", r.hours().hours())
                    .put("detail", r.detail()).put("backfill", r.kind() == Kind.PENDING || r.kind() == Kind.REFUSED ? null : r.command())
                    .setAll(r.facts());
        }
        ArrayNode plan = doc.putArray("backfills");
        for (BackfillPlan.Backfill b : backfills()) {
            ObjectNode one = plan.addObject().put("from", b.hours().start().toString()).put("to", b.hours().end().toString())
                    .put("command", BackfillCommand.of(b.hours(), b.tenants()));
            b.tenants().forEach(one.putArray("tenants")::add);
            BackfillCommand.arguments(b.hours(), b.tenants()).forEach(one.putArray("args")::add);
        }
        ArrayNode f = doc.putArray("failures");
        failures.forEach(f::add);
        Json.print(doc, out);
    }
}
