package com.cloudtuner.kubecost.run;

import com.cloudtuner.kubecost.clickhouse.WriteResult;
import com.cloudtuner.kubecost.cost.Window;
import java.time.Instant;
import java.util.List;

/**
 * How one tenant's part of a run ended.
 *
 * @param writtenUntil end of the hours, counted from the plan's start without a gap, that were written
 * @param errors       one line per failed window; empty when the tenant succeeded
 * @param failedWindows the windows (work-unit chunks) not written, in order
 * @param refused      one line per cluster-hour the rules refused (its data contradict themselves)
 */
public record TenantOutcome(TenantPlan plan, WriteResult written, Instant writtenUntil, List<String> errors,
                            List<Window> failedWindows, List<String> refused, Instant startedAt, Instant finishedAt) {

    public TenantOutcome {
        errors = List.copyOf(errors);
        failedWindows = List.copyOf(failedWindows);
        refused = List.copyOf(refused);
    }

    /** Whether every hour was written: no window failed and no cluster-hour was refused. */
    public boolean succeeded() {
        return errors.isEmpty() && refused.isEmpty();
    }

    /** {@code succeeded}, {@code partial} (only refused cluster-hours missing) or {@code failed}. */
    public String status() {
        return !errors.isEmpty() ? "failed" : refused.isEmpty() ? "succeeded" : "partial";
    }
}
