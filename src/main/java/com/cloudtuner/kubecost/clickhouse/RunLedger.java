package com.cloudtuner.kubecost.clickhouse;

import com.cloudtuner.kubecost.secrets.Redactor;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/** Appends rows to k8s_expenses_runs: one per tenant and run, a batch of tenants in one insert. */
public final class RunLedger {

    static final String TABLE = "k8s_expenses_runs";

    private final ClickHouseGateway ch;

    public RunLedger(ClickHouseGateway ch) {
        this.ch = ch;
    }

    /**
     * One tenant's part of a run.
     *
     * @param status {@code succeeded} or {@code failed}
     * @param error  empty when it succeeded; otherwise what failed, one line per failed window
     */
    public record Entry(String runId, String mode, String tenant, Instant windowStart, Instant windowEnd, String status,
                        WriteResult written, Instant startedAt, Instant finishedAt, String error) {
    }

    public void record(List<Entry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream(entries.size() * 300);
        for (Entry e : entries) {
            ObjectNode row = ClickHouseGateway.json().createObjectNode()
                    .put("run_id", e.runId())
                    .put("mode", e.mode())
                    .put("cloud_account_id", e.tenant())
                    .put("window_start", e.windowStart().getEpochSecond())
                    .put("window_end", e.windowEnd().getEpochSecond())
                    .put("status", e.status())
                    .put("rows_written", e.written().rows())
                    .put("rows_changed", e.written().changed())
                    .put("rows_tombstoned", e.written().tombstoned())
                    .put("started_at", e.startedAt().getEpochSecond())
                    .put("finished_at", e.finishedAt().getEpochSecond())
                    .put("error", Redactor.redact(e.error()));
            body.writeBytes((row + "\n").getBytes(StandardCharsets.UTF_8));
        }
        ch.insertJsonEachRow(TABLE, body.toByteArray());
    }
}
