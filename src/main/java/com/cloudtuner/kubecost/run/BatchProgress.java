package com.cloudtuner.kubecost.run;

import com.cloudtuner.kubecost.clickhouse.WriteResult;
import com.cloudtuner.kubecost.cost.SampleCounts;
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
        }
    }

    void unitWritten(UnitResult result) {
        int chunk = result.unit().chunkIndex();
        result.tenantErrors().forEach((tenant, reason) -> errors.get(tenant).add(result.unit().chunk() + ": " + reason));
        result.written().forEach((tenant, w) -> {
            chunkWritten.get(tenant).set(chunk, true);
            written.merge(tenant, w, WriteResult::plus);
            samples.merge(tenant, result.sampleCounts(tenant), SampleCounts::plus);
        });
        pending--;
    }

    void unitFailed(WorkUnit unit, String reason) {
        for (String tenant : batch.tenants()) {
            errors.get(tenant).add(unit.chunk() + ": " + reason);
        }
        pending--;
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
