package com.cloudtuner.kubecost.run;

import com.cloudtuner.kubecost.clickhouse.WriteResult;
import com.cloudtuner.kubecost.cost.CostResult;
import com.cloudtuner.kubecost.cost.SampleCounts;
import java.util.List;
import java.util.Map;

/**
 * What processing a work unit computed (the rows of the tenants whose data held together, and why
 * the others' did not) and, once the writer is done, what writing it did. One worker thread
 * handles a unit from its read to its write.
 */
public final class UnitResult {

    private final WorkUnit unit;
    private final WindowComputation.Result computed;
    private Map<String, WriteResult> written;
    private final Map<String, WriteResult> appliedBeforeFailures = new java.util.LinkedHashMap<>();

    public UnitResult(WorkUnit unit, WindowComputation.Result computed) {
        this.unit = unit;
        this.computed = computed;
    }

    public WorkUnit unit() {
        return unit;
    }

    public CostResult rows() {
        return computed.rows();
    }

    public Map<String, String> tenantErrors() {
        return computed.tenantErrors();
    }

    public WindowComputation.ReadStats stats() {
        return computed.stats();
    }

    /** Non-finite samples dropped and negative cost samples used, for one tenant. */
    public SampleCounts sampleCounts(String tenant) {
        return computed.rows().sampleCountsOf(tenant);
    }

    /** The tenants whose rows are to be written. */
    public List<String> writableTenants() {
        return unit.batch().tenants().stream().filter(t -> !computed.tenantErrors().containsKey(t)).toList();
    }

    /** Per writable tenant, what writing did; null until written. */
    public Map<String, WriteResult> written() {
        return written;
    }

    /** What the write did, together with what earlier attempts that failed halfway had already applied. */
    void markWritten(Map<String, WriteResult> perTenant) {
        Map<String, WriteResult> total = new java.util.LinkedHashMap<>(perTenant);
        appliedBeforeFailures.forEach((tenant, w) -> total.merge(tenant, w, WriteResult::plus));
        this.written = Map.copyOf(total);
    }

    /** An attempt failed after applying this much (the next attempt plans against what it left). */
    void appliedBeforeFailure(Map<String, WriteResult> applied) {
        applied.forEach((tenant, w) -> appliedBeforeFailures.merge(tenant, w, WriteResult::plus));
    }

    /** Per tenant, what attempts that failed halfway applied: the unit's record when it fails for good. */
    Map<String, WriteResult> appliedBeforeFailures() {
        return Map.copyOf(appliedBeforeFailures);
    }
}
