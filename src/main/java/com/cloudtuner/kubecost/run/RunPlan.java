package com.cloudtuner.kubecost.run;

import java.util.ArrayList;
import java.util.List;

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
