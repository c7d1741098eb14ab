package com.cloudtuner.kubecost.run;

import org.springframework.batch.infrastructure.item.ItemProcessor;

/**
 * Computes a work unit's rows through the {@link WindowComputation}. A unit nothing could be read
 * for throws: Spring Batch skips it and the run records its tenants as failed for that window.
 */
class UnitProcessor implements ItemProcessor<WorkUnit, UnitResult> {

    private final WindowComputation computation;
    private final String runId;

    UnitProcessor(WindowComputation computation, String runId) {
        this.computation = computation;
        this.runId = runId;
    }

    @Override
    public UnitResult process(WorkUnit unit) {
        String context = "run=" + runId + " batch=" + unit.batch().id();
        TenantBatch batch = unit.batch();
        try (LogFields.Scope fields = LogFields.with(LogFields.BATCH, String.valueOf(batch.id()), LogFields.WINDOW,
                unit.chunk().toString())) {
            return new UnitResult(unit, batch.provisional()
                    ? computation.computeProvisional(batch.tenants(), unit.chunk(), batch.provisionalAsOf(), context)
                    : computation.compute(batch.tenants(), unit.chunk(), context));
        }
    }
}
