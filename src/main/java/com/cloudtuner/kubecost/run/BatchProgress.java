package com.cloudtuner.kubecost.run;

import com.cloudtuner.kubecost.clickhouse.WriteResult;
import com.cloudtuner.kubecost.cost.SampleCounts;
import com.cloudtuner.kubecost.cost.Window;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What has become of a batch's work units so far, per tenant. Not thread-safe: {@link RunTracker} guards it. */
final class BatchProgress {

    final TenantBatch batch;
    Instant startedAt;
    boolean reported;
    private int pending;
    private final Map<String, List<Boolean>> chunkWritten = new LinkedHashMap<>();
    private final Map<String, WriteResult> written = new LinkedHashMap<>();
    private final Map<String, List<String>> errors = new LinkedHashMap<>();
    private final Map<String, SampleCounts> samples = new LinkedHashMap<>();
    private final Map<String, List<String>> refused = new LinkedHashMap<>();
    private final Map<String, List<Window>> failedWindows = new LinkedHashMap<>();

    BatchProgress(TenantBatch batch) {
        this.batch = batch;
        this.pending = batch.chunks().size();
        for (String tenant : batch.tenants()) {
            List<Boolean> flags = new ArrayList<>();
            batch.chunks().forEach(c -> flags.add(false));
            chunkWritten.put(tenant, flags);
            written.put(tenant, WriteResult.NOTHING);
            samples.put(tenant, SampleCounts.NONE);
            errors.put(tenant, new ArrayList<>());
            refused.put(tenant, new ArrayList<>());
            failedWindows.put(tenant, new ArrayList<>());
        }
    }

    void unitWritten(UnitResult result) {
        int chunk = result.unit().chunkIndex();
        result.tenantErrors().forEach((tenant, reason) -> {
            errors.get(tenant).add(inWindow(reason, result.unit().chunk()));
            failedWindows.get(tenant).add(result.unit().chunk());
        });
        result.written().forEach((tenant, w) -> {
            chunkWritten.get(tenant).set(chunk, true);
            written.merge(tenant, w, WriteResult::plus);
            samples.merge(tenant, result.sampleCounts(tenant), SampleCounts::plus);
            result.rows().refusedOf(tenant).forEach((k, why) -> refused.get(tenant).add(k + ": " + why));
        });
        pending--;
    }

    /** @param applied per tenant, what a write that failed halfway left stored */
    void unitFailed(WorkUnit unit, String reason, Map<String, WriteResult> applied) {
        for (String tenant : batch.tenants()) {
            errors.get(tenant).add(inWindow(reason, unit.chunk()));
            failedWindows.get(tenant).add(unit.chunk());
            written.merge(tenant, applied.getOrDefault(tenant, WriteResult.NOTHING), WriteResult::plus);
        }
        pending--;
    }

    /** The cause first, then the window it failed: tenants failing alike read alike, and the summary groups them. */
    private static String inWindow(String reason, Window window) {
        return reason + " (window " + window + ")";
    }

    List<String> refused(String tenant) {
        return refused.get(tenant);
    }

    List<Window> failedWindows(String tenant) {
        return failedWindows.get(tenant);
    }

    boolean complete() {
        return pending <= 0;
    }

    List<Boolean> chunksWritten(String tenant) {
        return chunkWritten.get(tenant);
    }

    WriteResult written(String tenant) {
        return written.get(tenant);
    }

    SampleCounts samples(String tenant) {
        return samples.get(tenant);
    }

    List<String> errors(String tenant) {
        return errors.get(tenant);
    }
}
