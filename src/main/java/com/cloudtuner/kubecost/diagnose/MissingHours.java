package com.cloudtuner.kubecost.diagnose;

import com.cloudtuner.kubecost.cost.ClusterHourKey;
import com.cloudtuner.kubecost.cost.Window;
import com.cloudtuner.kubecost.run.WatermarkPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Hours of the last day whose cost is missing though nothing failed: hours a cluster's exporter left
 * empty between hours with data (a hole: no rows, rule 4, until late data arrive and are
 * backfilled; a note, since a cluster scaled to zero for the night looks the same), and complete
 * hours with data in Thanos but no rows that the hourly run will not write again because they lie
 * before the tenant's watermark and its re-processed hours (rows deleted, or data that arrived
 * after the run that processed the hour).
 */
final class MissingHours {

    private MissingHours() {
    }

    /**
     * Per cluster, each run of empty hours between two hours with data, as a note: the hours have
     * no rows, rightly, until samples arrive late (then they are {@code rows_missing}). Hours in
     * which the exporter reported itself failing are left out: {@code unhealthy_hours} names them.
     */
    static void holes(Map<String, List<ClusterActivity>> activity, CheckReport report) {
        for (List<ClusterActivity> clusters : activity.values()) {
            for (ClusterActivity c : clusters) {
                Set<Instant> unhealthy = new HashSet<>(c.unhealthyHours());
                List<Instant> data = c.hoursWithData();
                List<Instant> empty = new ArrayList<>();
                for (int i = 1; i < data.size(); i++) {
                    for (Instant h = data.get(i - 1).plus(Duration.ofHours(1)); h.isBefore(data.get(i)); h = h.plus(Duration.ofHours(1))) {
                        if (!unhealthy.contains(h)) {
                            empty.add(h);
                        }
                    }
                }
                for (Window hole : ranges(empty)) {
                    report.add(Finding.note("exporter_hole", "tenant " + c.tenant() + " cluster " + c.cluster(),
                            "no exporter data in Thanos for " + hours(hole) + " " + hole + ", between hours with data: those hours"
                                    + " have no cost rows (rule 4); if the exporter or remote-write stopped and the samples reach"
                                    + " Thanos late: " + Texts.backfill(hole, c.tenant())));
                }
            }
        }
    }

    /**
     * Complete hours before the tenant's watermark with data but no visible row. A run that
     * succeeded over such an hour found no data then, or its rows were removed since: a problem.
     * Hours no run processed (before the tenant's first hourly run) are history not backfilled: a
     * note. Hours in which the exporter reported itself failing are left out: all their samples may
     * be invalid (rule 2), and the exporter finding names them.
     *
     * @param succeeded    per tenant, the windows of its runs that succeeded over complete hours
     * @param processed    per tenant, the windows of all its runs over complete hours (refused hours: partial runs)
     * @param reprocessedFrom the first hour the next hourly run computes again (worker.reprocess-hours): later
     *                        hours are its, like those after the watermark
     */
    static void rowsMissing(Map<String, List<ClusterActivity>> activity, Set<ClusterHourKey> withRows, Map<String, Instant> watermarks,
                            Map<String, List<Window>> succeeded, Map<String, List<Window>> processed, Instant completeUntil,
                            Instant reprocessedFrom, CheckReport report) {
        for (List<ClusterActivity> clusters : activity.values()) {
            for (ClusterActivity c : clusters) {
                Instant mark = watermarks.get(c.tenant());
                Set<Instant> unhealthy = new HashSet<>(c.unhealthyHours());
                Predicate<Instant> missing = h -> mark != null && h.isBefore(completeUntil) && h.isBefore(reprocessedFrom)
                        && !WatermarkPolicy.nextHourlyRunWrites(h, mark) && !unhealthy.contains(h)
                        && !withRows.contains(new ClusterHourKey(c.tenant(), c.cluster(), h));
                List<Window> ok = succeeded.getOrDefault(c.tenant(), List.of());
                List<Window> any = processed.getOrDefault(c.tenant(), List.of());
                Predicate<Instant> ranOver = h -> ok.stream().anyMatch(w -> w.contains(h));
                Predicate<Instant> neverRanOver = h -> any.stream().noneMatch(w -> w.contains(h));
                String where = "tenant " + c.tenant() + " cluster " + c.cluster();
                for (Window range : ranges(c.hoursWithData().stream().filter(missing.and(ranOver)).toList())) {
                    report.add(Finding.problem("rows_missing", where, "exporter data in Thanos but no rows in k8s_expenses for "
                                    + hours(range) + " " + range + " that a run processed (rows removed since, or data that arrived"
                                    + " later); before the watermark " + mark + ", so no hourly run writes them again",
                            Texts.backfill(range, c.tenant())));
                }
                for (Window range : ranges(c.hoursWithData().stream().filter(missing.and(neverRanOver)).toList())) {
                    report.add(Finding.note("history_not_backfilled", where, "exporter data in Thanos for " + hours(range) + " " + range
                            + " that no run of the last day processed (before the tenant's first hourly run): no rows until a backfill (" + Texts.backfill(range, c.tenant()) + ")"));
                }
            }
        }
    }

    /** Ascending hour starts joined into windows of consecutive hours. */
    static List<Window> ranges(Collection<Instant> ascendingHours) {
        List<Window> ranges = new ArrayList<>();
        Instant start = null;
        Instant end = null;
        for (Instant h : ascendingHours) {
            if (start != null && h.equals(end)) {
                end = h.plus(Duration.ofHours(1));
                continue;
            }
            if (start != null) {
                ranges.add(new Window(start, end));
            }
            start = h;
            end = h.plus(Duration.ofHours(1));
        }
        if (start != null) {
            ranges.add(new Window(start, end));
        }
        return ranges;
    }

    private static String hours(Window w) {
        long n = w.hours();
        return n == 1 ? "1 hour" : n + " hours";
    }
}
