package com.cloudtuner.kubecost.clickhouse;

import com.cloudtuner.kubecost.cost.SampleCounts;
import com.cloudtuner.kubecost.cost.Window;
import com.cloudtuner.kubecost.secrets.Redactor;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.ArrayList;
import java.util.Collection;
import java.util.StringJoiner;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@link RunLedger} in ClickHouse: rows of k8s_expenses_runs, one per tenant and run (a batch of
 * tenants in one insert), and of k8s_worker_runs, two per run (when it starts and when it ends).
 */
public final class ClickHouseRunLedger implements RunLedger {

    static final String TABLE = "k8s_expenses_runs";

    private final ClickHouseGateway ch;

    public ClickHouseRunLedger(ClickHouseGateway ch) {
        this.ch = ch;
    }

    static final String RUNS = "k8s_worker_runs";

    @Override
    public void record(Run run) {
        ObjectNode row = ClickHouseGateway.json().createObjectNode()
                .put("run_id", run.runId())
                .put("mode", run.mode())
                .put("status", run.status())
                .put("window_start", run.windowStart().getEpochSecond())
                .put("window_end", run.windowEnd().getEpochSecond())
                .put("tenants", run.tenants())
                .put("failed_tenants", run.failedTenants())
                .put("started_at", run.startedAt().getEpochSecond())
                .put("finished_at", run.finishedAt().getEpochSecond())
                .put("error", Redactor.redact(run.error()))
                .put("shard", run.shard());
        ch.insertJsonEachRow(RUNS, (row + "\n").getBytes(StandardCharsets.UTF_8));
    }

    @Override
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
                    .put("non_finite_samples", e.samples().nonFinite())
                    .put("negative_cost_samples", e.samples().negativeCost())
                    .put("refused_cluster_hours", e.refused())
                    .put("started_at", e.startedAt().getEpochSecond())
                    .put("finished_at", e.finishedAt().getEpochSecond())
                    .put("error", Redactor.redact(e.error()))
                    .put("provisional", e.provisional() ? 1 : 0)
                    // 0 for none, the columns' default (V9): an entry without skipped hours reads back with null
                    .put("skipped_from", e.skipped() == null ? 0 : e.skipped().start().getEpochSecond())
                    .put("skipped_to", e.skipped() == null ? 0 : e.skipped().end().getEpochSecond())
                    .put("shard", e.shard());
            body.writeBytes((row + "\n").getBytes(StandardCharsets.UTF_8));
        }
        ch.insertJsonEachRow(TABLE, body.toByteArray());
    }

    @Override
    public List<Entry> entries(Instant from, Instant to, Collection<String> tenants) {
        return select(from, to, tenants, "");
    }

    @Override
    public List<Entry> skippedHours(Instant from, Instant to, Collection<String> tenants) {
        return select(from, to, tenants, " AND skipped_to > skipped_from");
    }

    private List<Entry> select(Instant from, Instant to, Collection<String> tenants, String condition) {
        StringJoiner ids = new StringJoiner(", ");
        tenants.forEach(t -> ids.add(ClickHouseGateway.quote(t)));
        List<Entry> entries = new ArrayList<>();
        ch.selectRows("SELECT run_id, mode, cloud_account_id, toUnixTimestamp(window_start) AS ws, toUnixTimestamp(window_end) AS we,"
                + " status, rows_written, rows_changed, rows_tombstoned, non_finite_samples, negative_cost_samples,"
                + " refused_cluster_hours, toUnixTimestamp(started_at) AS st, toUnixTimestamp(finished_at) AS ft, error, provisional,"
                + " toUnixTimestamp(skipped_from) AS sf, toUnixTimestamp(skipped_to) AS sk, shard FROM " + TABLE
                + " WHERE started_at >= toDateTime(" + from.getEpochSecond() + ") AND started_at <= toDateTime(" + to.getEpochSecond()
                + ")" + (tenants.isEmpty() ? "" : " AND cloud_account_id IN (" + ids + ")") + condition
                + " ORDER BY started_at, run_id, cloud_account_id", r -> entries.add(new Entry(r.string("run_id"), r.string("mode"),
                r.string("cloud_account_id"), Instant.ofEpochSecond(r.integer("ws")), Instant.ofEpochSecond(r.integer("we")),
                r.string("status"), new WriteResult((int) r.integer("rows_written"), (int) r.integer("rows_changed"),
                (int) r.integer("rows_tombstoned")), new SampleCounts(r.integer("non_finite_samples"),
                r.integer("negative_cost_samples")), (int) r.integer("refused_cluster_hours"),
                Instant.ofEpochSecond(r.integer("st")), Instant.ofEpochSecond(r.integer("ft")), r.string("error"), r.flag("provisional"),
                r.integer("sk") > r.integer("sf") ? new Window(Instant.ofEpochSecond(r.integer("sf")), Instant.ofEpochSecond(r.integer("sk")))
                        : null, r.string("shard"))));
        return entries;
    }

    @Override
    public List<Run> runs(Instant from, Instant to) {
        List<Run> runs = new ArrayList<>();
        // a run's start row ('running') before its end row, whatever their finished_at
        ch.selectRows("SELECT run_id, mode, status, toUnixTimestamp(window_start) AS ws, toUnixTimestamp(window_end) AS we, tenants,"
                + " failed_tenants, toUnixTimestamp(started_at) AS st, toUnixTimestamp(finished_at) AS ft, error, shard FROM " + RUNS
                + " WHERE started_at >= toDateTime(" + from.getEpochSecond() + ") AND started_at <= toDateTime(" + to.getEpochSecond()
                + ") ORDER BY started_at, run_id, status = 'running' DESC, finished_at",
                r -> runs.add(new Run(r.string("run_id"), r.string("mode"), r.string("status"), Instant.ofEpochSecond(r.integer("ws")),
                        Instant.ofEpochSecond(r.integer("we")), (int) r.integer("tenants"), (int) r.integer("failed_tenants"),
                        Instant.ofEpochSecond(r.integer("st")), Instant.ofEpochSecond(r.integer("ft")), r.string("error"),
                        r.string("shard"))));
        return runs;
    }

    /** Per tenant with a row of {@code mode} started at or after {@code since}: whether its latest row failed. */
    @Override
    public Map<String, Boolean> latestFailed(String mode, Instant since) {
        Map<String, Boolean> failed = new HashMap<>();
        for (JsonNode row : ch.select("SELECT cloud_account_id, argMax(status, finished_at) != 'succeeded' AS failed FROM " + TABLE
                + " WHERE mode = " + ClickHouseGateway.quote(mode) + " AND started_at >= toDateTime(" + since.getEpochSecond() + ")"
                + " GROUP BY cloud_account_id")) {
            failed.put(row.get("cloud_account_id").asString(), ClickHouseGateway.longValue(row.get("failed")) == 1);
        }
        return failed;
    }
}
