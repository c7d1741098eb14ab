package com.cloudtuner.kubecost.run;

import com.cloudtuner.kubecost.cli.BackfillCommand;
import com.cloudtuner.kubecost.cost.Window;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A run's failures on stderr, one line per distinct failure however many tenants it struck (a
 * Thanos that is down fails every tenant alike): the cause first, then the window, then the
 * tenants; and one line per set of tenants that need the same backfill.
 */
final class FailureLines {

    /** Tenants named in a line before the rest are only counted. */
    static final int NAMED = 5;

    private FailureLines() {
    }

    static void print(PrintStream err, RunRequest request, List<TenantOutcome> outcomes) {
        Map<String, Set<String>> tenantsByError = new LinkedHashMap<>();
        for (TenantOutcome o : outcomes) {
            o.errors().forEach(e -> tenantsByError.computeIfAbsent(e, k -> new LinkedHashSet<>()).add(o.plan().tenant()));
        }
        tenantsByError.forEach((error, tenants) -> line(err, tenants, who(tenants) + " failed: " + error));
        for (TenantOutcome o : outcomes) {
            for (String r : o.refused()) {
                line(err, Set.of(o.plan().tenant()), "tenant " + o.plan().tenant() + " cluster-hour refused, left unwritten: " + r);
            }
        }
        Map<List<Window>, Set<String>> tenantsByRepair = new LinkedHashMap<>();
        for (TenantOutcome o : outcomes) {
            if (!o.failedWindows().isEmpty() && !o.plan().provisional()) { // hours in progress: the next run computes them again
                tenantsByRepair.computeIfAbsent(contiguous(o.failedWindows()), k -> new LinkedHashSet<>()).add(o.plan().tenant());
            }
        }
        long runTenants = outcomes.stream().map(o -> o.plan().tenant()).distinct().count();
        tenantsByRepair.forEach((windows, tenants) -> {
            // every tenant of the run: the run's own scope again, rather than a line naming them all
            List<String> scope = tenants.size() == runTenants && runTenants > 1 ? request.tenants() : List.copyOf(tenants);
            List<String> commands = windows.stream().map(w -> BackfillCommand.of(w, scope)).toList();
            line(err, tenants, who(tenants) + ": recompute the failed hours with: " + String.join(" ; ", commands));
        });
    }

    /** The failed windows (in any order, as units end) merged where one ends where the next starts. */
    static List<Window> contiguous(List<Window> failed) {
        List<Window> windows = new ArrayList<>(failed);
        windows.sort(Comparator.comparing(Window::start));
        List<Window> merged = new ArrayList<>();
        for (Window w : windows) {
            Window last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (last != null && !last.end().isBefore(w.start())) {
                merged.set(merged.size() - 1, new Window(last.start(), w.end().isAfter(last.end()) ? w.end() : last.end()));
            } else {
                merged.add(w);
            }
        }
        return merged;
    }

    /** "tenant acme", or "3 tenants (acme, globex, initech)", at most {@link #NAMED} named. */
    static String who(Set<String> tenants) {
        if (tenants.size() == 1) {
            return "tenant " + tenants.iterator().next();
        }
        List<String> names = tenants.stream().limit(NAMED).toList();
        return RunReport.count(tenants.size(), "tenant") + " (" + String.join(", ", names)
                + (tenants.size() > NAMED ? ", " + (tenants.size() - NAMED) + " more" : "") + ")";
    }

    /** A line of the summary; for JSON logs, with the tenant as a field when it is one. */
    private static void line(PrintStream err, Set<String> tenants, String text) {
        try (LogFields.Scope fields = LogFields.with(LogFields.TENANT, tenants.size() == 1 ? tenants.iterator().next() : null)) {
            err.println("kubecost-worker: " + text);
        }
    }
}
