package com.cloudtuner.kubecost.clickhouse;

import java.util.Map;

/**
 * A write that failed after some of its inserts may have been applied: what ClickHouse holds of it
 * (read back by the write's version), so the log and the run ledger tell what was written. The
 * cluster-hours it touched stay unmarked until a later write over them completes.
 */
public final class PartialWrite extends ClickHouseException {

    private final transient Map<String, WriteResult> applied;
    private final boolean certain;

    PartialWrite(ClickHouseException cause, Map<String, WriteResult> applied, boolean certain, String what) {
        super(cause.code(), cause.retryable(), cause.getMessage() + " (" + what + ")", cause);
        this.applied = Map.copyOf(applied);
        this.certain = certain;
    }

    /** Per tenant, the k8s_expenses rows of this write that ClickHouse holds (changed and tombstoned). */
    public Map<String, WriteResult> applied() {
        return applied;
    }

    /** Whether {@link #applied} was read back; false when only the acknowledged inserts are known. */
    public boolean certain() {
        return certain;
    }
}
