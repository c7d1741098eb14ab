package com.cloudtuner.kubecost.run;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What a run does: its batches (each with its tenants' plans and the window's chunks), and the
 * discovered tenant ids it skips because they do not match {@code worker.tenant-pattern}.
 */
public record RunPlan(List<TenantBatch> batches, List<String> invalidTenants) {

    public static final RunPlan NOTHING = new RunPlan(List.of(), List.of());

    public RunPlan {
        batches = List.copyOf(batches);
        invalidTenants = List.copyOf(invalidTenants);
    }

    public List<TenantPlan> plans() {
        List<TenantPlan> plans = new ArrayList<>();
        batches.forEach(b -> plans.addAll(b.plans()));
        return plans;
    }

    /**
     * The UTC days the plans' complete hours fall in: the days of the daily relation the run's writes
     * can change (provisional hours are not in it).
     */
    public SortedSet<LocalDate> daysOfCompleteHours() {
        SortedSet<LocalDate> days = new TreeSet<>();
        for (TenantPlan p : plans()) {
            if (p.provisional() || p.window().isEmpty()) {
                continue;
            }
            LocalDate last = p.window().end().minusSeconds(1).atZone(ZoneOffset.UTC).toLocalDate();
            for (LocalDate d = p.window().start().atZone(ZoneOffset.UTC).toLocalDate(); !d.isAfter(last); d = d.plusDays(1)) {
                days.add(d);
            }
        }
        return days;
    }

    public List<WorkUnit> units() {
        List<WorkUnit> units = new ArrayList<>();
        for (TenantBatch b : batches) {
            for (int i = 0; i < b.chunks().size(); i++) {
                units.add(new WorkUnit(b, i));
            }
        }
        return units;
    }
}
