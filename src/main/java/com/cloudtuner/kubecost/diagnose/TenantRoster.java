package com.cloudtuner.kubecost.diagnose;

import com.cloudtuner.kubecost.cost.Window;
import com.cloudtuner.kubecost.thanos.PromQl;
import java.time.Duration;
import java.time.Instant;
import java.util.BitSet;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Which tenant ids the job will process against which ones Thanos holds: ids that fail
 * {@code worker.tenant-pattern}, series of tenants missing from {@code TENANTS}, tenants expected
 * but absent, and the field's most common cause of the last two, a tenant id that changed: one
 * tenant's series stop and another's, with the same clusters, start in the same hour (the
 * remote_write tenant header and the exporter's tenantId disagree).
 *
 * @param configured  TENANTS (worker.tenants), valid or not
 * @param selected    the tenants given with --tenant; empty for all
 * @param discovered  every tenant id with exporter series in the last day
 * @param presence    per tenant and cluster, the hours of the last day with samples
 * @param activity    per examined tenant, its clusters (only tenants with series in the day)
 * @param activityRead whether the activity could be read at all (otherwise nobody is reported absent)
 * @param pastClusters a tenant's clusters over the last 30 days, for tenants absent from the day
 */
record TenantRoster(List<String> configured, List<String> selected, List<String> discovered, Set<String> invalid,
                    Map<String, Map<String, BitSet>> presence, Map<String, List<ClusterActivity>> activity, boolean activityRead,
                    Function<String, Set<String>> pastClusters, String tenantPattern) {

    void report(Window day, Instant now, Duration staleAfter, CheckReport report) {
        Set<String> configuredSet = new HashSet<>(configured);
        Set<String> explained = new HashSet<>(); // tenants a changed-id line already names
        invalidIds(configuredSet, report);
        for (String x : expectedTenants()) {
            List<ClusterActivity> clusters = activity.getOrDefault(x, List.of());
            String why = configuredSet.contains(x) ? " (in TENANTS)" : selected.contains(x) ? " (given with --tenant)" : "";
            if (clusters.isEmpty() && (why.isEmpty() || !activityRead)) {
                continue; // a discovered tenant that left long ago (the index still names it), or nothing could be read
            }
            if (clusters.isEmpty()) {
                Set<String> past = pastClusters.apply(x);
                String successor = successors(x, past, null, configuredSet, day);
                String what = "has no exporter series in the last day" + why
                        + (past.isEmpty() ? "" : " (its clusters in the last 30 days: " + String.join(", ", past) + ")");
                if (successor != null) {
                    explained.add(successor);
                    idChanged(x, successor, sharedClusters(past, successor), null, report);
                    report.add(Finding.problem("tenant_id_changed", "tenant " + x, what + "; tenant " + successor
                                    + " has series with the same clusters: remote_write tenant header and the exporter's tenantId differ?",
                            fixForChangedId(x, successor, null)));
                } else {
                    report.add(Finding.problem("tenant_absent", "tenant " + x, what,
                            "check the exporter and Prometheus' remote_write in its clusters, or take it out of TENANTS if it is gone"));
                }
                continue;
            }
            Instant lastSample = clusters.stream().map(ClusterActivity::lastSample).filter(t -> t != null)
                    .max(Instant::compareTo).orElse(null);
            boolean allStale = lastSample == null || Duration.between(lastSample, now).compareTo(staleAfter) > 0;
            if (allStale && lastSample != null) {
                Set<String> names = new TreeSet<>();
                clusters.forEach(c -> names.add(c.cluster()));
                String successor = successors(x, names, lastSample, configuredSet, day);
                if (successor != null) {
                    explained.add(successor);
                    idChanged(x, successor, sharedClusters(names, successor), lastSample, report);
                    report.add(Finding.problem("tenant_id_changed", "tenant " + x, "has no series since " + lastSample + "; tenant "
                                    + successor + " appeared at the same time with the same clusters ("
                                    + String.join(", ", sharedClusters(names, successor))
                                    + "): remote_write tenant header and the exporter's tenantId differ?",
                            fixForChangedId(x, successor, lastSample)));
                }
            }
        }
        notConfigured(configuredSet, explained, report);
        report.exporter().put("tenants_in_thanos", discovered.size());
    }

    private void invalidIds(Set<String> configuredSet, CheckReport report) {
        for (String id : invalid) {
            if (selected.isEmpty() || selected.contains(id)) {
                boolean inThanos = discovered.contains(id);
                boolean inTenants = configuredSet.contains(id);
                report.tenant(id).put("matches_tenant_pattern", false).put("in_thanos", inThanos).put("in_tenants_setting", inTenants)
                        .put("given_with_tenant_option", selected.contains(id));
                report.add(Finding.problem("invalid_tenant_id", "tenant " + PromQl.quote(id), (inThanos ? "has exporter series, but its id"
                                : inTenants ? "is in TENANTS, but its id" : "was given with --tenant, but its id")
                                + " does not match worker.tenant-pattern (" + tenantPattern + "):"
                                + " its costs are"
                                + " never computed",
                        inThanos ? "fix the exporter's tenantId (or the remote_write tenant header), or widen worker.tenant-pattern"
                                + " (WORKER_TENANT_PATTERN)"
                                : inTenants ? "correct it in TENANTS (worker.tenants)" : "correct the --tenant value"));
            }
        }
    }

    private void notConfigured(Set<String> configuredSet, Set<String> explained, CheckReport report) {
        if (!configured.isEmpty() && selected.isEmpty()) {
            for (String y : discovered) {
                if (!configuredSet.contains(y) && !invalid.contains(y) && !explained.contains(y)) {
                    report.add(Finding.problem("tenant_not_configured", "tenant " + y, "has exporter series in the last day but is not in"
                                    + " TENANTS: its costs are never computed",
                            "add it to TENANTS (worker.tenants) if it is a customer; if its id is a mistake, fix the exporter's tenantId"
                                    + " or the remote_write tenant header"));
                }
            }
        }
    }

    /** The tenants the job is expected to process: those given, else TENANTS, else everyone seen. */
    private Collection<String> expectedTenants() {
        Collection<String> expected = !selected.isEmpty() ? selected : !configured.isEmpty() ? configured : discovered;
        Set<String> out = new LinkedHashSet<>(expected);
        out.removeAll(invalid);
        return out;
    }

    /**
     * A tenant that looks like {@code x} under another id: it has (some of) x's clusters, is not
     * itself expected, and, when x's last sample is known, appeared within the hour after it
     * without having had data before. The closest in time when there are several; null for none.
     */
    private String successors(String x, Set<String> clusters, Instant lastSample, Set<String> configuredSet, Window day) {
        int lastHour = lastSample == null ? -1 : (int) ((lastSample.toEpochMilli() - day.startMs()) / Window.HOUR_MS);
        int best = Integer.MAX_VALUE;
        String found = null;
        for (Map.Entry<String, Map<String, BitSet>> e : presence.entrySet()) {
            String y = e.getKey();
            if (y.equals(x) || invalid.contains(y) || sharedClusters(clusters, y).isEmpty()) {
                continue;
            }
            if (!configuredSet.isEmpty() && configuredSet.contains(y)) {
                continue; // a tenant the job already processes is not a renamed one
            }
            int first = Integer.MAX_VALUE;
            for (BitSet hours : e.getValue().values()) {
                if (!hours.isEmpty()) {
                    first = Math.min(first, hours.nextSetBit(0));
                }
            }
            if (lastHour >= 0 && (first == 0 || first < lastHour || first > lastHour + 1)) {
                continue; // it had data before x stopped, or came long after
            }
            int distance = lastHour >= 0 ? first - lastHour : 0;
            if (distance < best) {
                best = distance;
                found = y;
            }
        }
        return found;
    }

    private Set<String> sharedClusters(Set<String> clusters, String y) {
        Set<String> shared = new TreeSet<>(presence.getOrDefault(y, Map.of()).keySet());
        shared.retainAll(clusters);
        return shared;
    }

    /** The facts behind a tenant_id_changed line: who took over, with which clusters, since when (null: no series in the day). */
    private static void idChanged(String x, String successor, Set<String> shared, Instant since, CheckReport report) {
        ObjectNode changed = report.tenant(x).putObject("id_changed").put("to", successor);
        ArrayNode clusters = changed.putArray("shared_clusters");
        shared.forEach(clusters::add);
        changed.put("since", Json.instant(since));
    }

    private static String fixForChangedId(String x, String successor, Instant since) {
        return "make the exporter's tenantId and the tenant header of Prometheus' remote_write (THANOS-TENANT) agree on " + x
                + (since == null ? "" : "; the samples since " + since + " are stored as " + successor + ", so " + x
                + " has no rows for those hours") + "; if " + successor + " is the right id, put it in TENANTS instead";
    }
}
