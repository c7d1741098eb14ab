package com.cloudtuner.kubecost.run;

import com.cloudtuner.kubecost.clickhouse.WriteResult;
import java.time.Instant;
import java.util.List;

/**
 * How one tenant's part of a run ended.
 *
 * @param writtenUntil end of the hours, counted from the plan's start without a gap, that were written
 * @param errors       one line per failed window; empty when the tenant succeeded
 */
public record TenantOutcome(TenantPlan plan, WriteResult written, Instant writtenUntil, List<String> errors,
                            Instant startedAt, Instant finishedAt) {

    public TenantOutcome {
        errors = List.copyOf(errors);
    }

    public boolean succeeded() {
        return errors.isEmpty();
    }

    public String status() {
        return succeeded() ? "succeeded" : "failed";
    }
}
