package com.cloudtuner.kubecost.diagnose;

import com.cloudtuner.kubecost.clickhouse.RunLedger;
import com.cloudtuner.kubecost.cost.Window;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import tools.jackson.databind.node.ArrayNode;

/**
 * Hours an hourly run left unprocessed because they were older than {@code worker.max-catch-up}
 * (k8s_expenses_runs.skipped_from/skipped_to): the run moved the tenant's watermark past them, so no
 * hourly run will ever do them. Each such range is a problem until later successful runs of the tenant
 * (backfills) have covered every hour of it. Skips are rare and stay a problem for long, so the check
 * looks further back than the last day.
 */
final class SkippedHours {

    static final Duration LOOKBACK = Duration.ofDays(30);

    private SkippedHours() {
    }

    static void report(RunLedger ledger, Collection<String> scope, Instant now, CheckReport report) {
        Instant to = now.truncatedTo(ChronoUnit.SECONDS);
        List<RunLedger.Entry> skips = ledger.skippedHours(to.minus(LOOKBACK), to, scope);
        ArrayNode facts = report.clickhouse().putArray("skipped_hours");
        if (skips.isEmpty()) {
            return;
        }
        Map<String, List<RunLedger.Entry>> byTenant = new TreeMap<>();
        skips.forEach(s -> byTenant.computeIfAbsent(s.tenant(), t -> new ArrayList<>()).add(s));
        List<RunLedger.Entry> later = ledger.entries(skips.get(0).startedAt(), to, byTenant.keySet());
        byTenant.forEach((tenant, tenantSkips) -> {
            TreeSet<Instant> open = new TreeSet<>();
            for (RunLedger.Entry skip : tenantSkips) {
                for (Window hour : skip.skipped().chunks(1)) {
                    if (!covered(hour.start(), tenant, skip.startedAt(), later)) {
                        open.add(hour.start());
                    }
                }
            }
            for (Window range : ranges(open)) {
                facts.addObject().put("tenant", tenant).put("from", range.start().toString()).put("to", range.end().toString())
                        .put("hours", range.hours());
                report.add(Finding.problem("skipped_hours", "tenant " + tenant, range.hours() + " hour" + (range.hours() == 1 ? "" : "s")
                                + " " + range + " were older than worker.max-catch-up when an hourly run reached them, and no run has"
                                + " computed them since: they have no rows and no hourly run will do them",
                        Texts.backfill(range, tenant)));
            }
        });
    }

    /** Whether a successful run of the tenant that started at or after {@code since} computed the hour. */
    private static boolean covered(Instant hour, String tenant, Instant since, List<RunLedger.Entry> runs) {
        return runs.stream().anyMatch(r -> r.tenant().equals(tenant) && r.status().equals("succeeded") && !r.provisional()
                && !r.startedAt().isBefore(since) && !hour.isBefore(r.windowStart()) && hour.isBefore(r.windowEnd()));
    }

    /** Hour starts, in order, merged into contiguous windows. */
    private static List<Window> ranges(TreeSet<Instant> hours) {
        List<Window> ranges = new ArrayList<>();
        Instant start = null;
        Instant end = null;
        for (Instant h : hours) {
            if (end != null && !h.equals(end)) {
                ranges.add(new Window(start, end));
                start = null;
            }
            if (start == null) {
                start = h;
            }
            end = h.plus(Duration.ofHours(1));
        }
        if (start != null) {
            ranges.add(new Window(start, end));
        }
        return ranges;
    }
}
