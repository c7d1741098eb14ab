package com.cloudtuner.kubecost.diagnose;

import com.cloudtuner.kubecost.cost.Window;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The fewest backfills that close what {@code gaps} found. A backfill has no {@code --cluster} and
 * recomputing an hour that is right changes nothing, so ranges are merged across clusters and
 * tenants into the contiguous spans of hours they cover together: one backfill per span, for the
 * tenants with a gap in it, or for every tenant (no {@code --tenant}) when more than half of the
 * examined tenants have one and those are every tenant a backfill would take (none was chosen with
 * {@code --tenant}). A span longer than {@code worker.max-backfill} is cut into backfills it allows.
 */
final class BackfillPlan {

    /** One backfill: its hours and the tenants it names; none named means every tenant. */
    record Backfill(Window hours, List<String> tenants) {
        Backfill {
            tenants = List.copyOf(tenants);
        }
    }

    /** One tenant's hours to recompute, whichever cluster they are of. */
    record Gap(String tenant, Window hours) {
    }

    private BackfillPlan() {
    }

    /**
     * @param examined       the tenants gaps looked at: the measure of "most tenants"
     * @param examinedAreAll whether those are the tenants a backfill without --tenant takes (TENANTS, or discovered)
     * @param maxSpan        the longest backfill allowed (worker.max-backfill)
     */
    static List<Backfill> of(Collection<Gap> gaps, int examined, boolean examinedAreAll, Duration maxSpan) {
        List<Gap> sorted = gaps.stream().sorted(Comparator.comparing((Gap g) -> g.hours().start())).toList();
        List<Backfill> plan = new ArrayList<>();
        Instant start = null;
        Instant end = null;
        Set<String> tenants = new TreeSet<>();
        for (Gap g : sorted) {
            if (start != null && g.hours().start().isAfter(end)) { // a gap between spans: the span before is complete
                plan.addAll(backfills(new Window(start, end), tenants, examined, examinedAreAll, maxSpan));
                start = null;
                tenants = new TreeSet<>();
            }
            if (start == null) {
                start = g.hours().start();
                end = g.hours().end();
            } else if (g.hours().end().isAfter(end)) {
                end = g.hours().end();
            }
            tenants.add(g.tenant());
        }
        if (start != null) {
            plan.addAll(backfills(new Window(start, end), tenants, examined, examinedAreAll, maxSpan));
        }
        return plan;
    }

    private static List<Backfill> backfills(Window span, Set<String> tenants, int examined, boolean examinedAreAll, Duration maxSpan) {
        List<String> named = examinedAreAll && tenants.size() * 2 > examined ? List.of() : List.copyOf(tenants);
        int hours = (int) Math.max(1, maxSpan.toHours());
        return span.chunks(hours).stream().map(w -> new Backfill(w, named)).toList();
    }
}
