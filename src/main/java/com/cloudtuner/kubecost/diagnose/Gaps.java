package com.cloudtuner.kubecost.diagnose;

import com.cloudtuner.kubecost.cli.Command;
import com.cloudtuner.kubecost.clickhouse.ExpenseRecord;
import com.cloudtuner.kubecost.clickhouse.ExpenseStore;
import com.cloudtuner.kubecost.clickhouse.StoredRows;
import com.cloudtuner.kubecost.clickhouse.Watermarks;
import com.cloudtuner.kubecost.config.WorkerProperties;
import com.cloudtuner.kubecost.cost.ClusterHour;
import com.cloudtuner.kubecost.cost.ClusterHourKey;
import com.cloudtuner.kubecost.cost.CostRow;
import com.cloudtuner.kubecost.cost.Window;
import com.cloudtuner.kubecost.exporter.ExporterSource;
import com.cloudtuner.kubecost.exporter.TenantBatches;
import com.cloudtuner.kubecost.run.TenantIds;
import com.cloudtuner.kubecost.run.WatermarkPolicy;
import com.cloudtuner.kubecost.run.WindowComputation;
import com.cloudtuner.kubecost.thanos.ThanosQueryException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code gaps}: per tenant batch and chunk of the range, what a backfill would write (the job's own
 * {@link WindowComputation}) against what the tables hold, cluster-hour by cluster-hour.
 */
final class Gaps {

    private final ExporterSource source;
    private final WindowComputation computation;
    private final ExpenseStore store;
    private final Watermarks watermarks;
    private final WorkerProperties worker;

    Gaps(ExporterSource source, WindowComputation computation, ExpenseStore store, Watermarks watermarks, WorkerProperties worker) {
        this.source = source;
        this.computation = computation;
        this.store = store;
        this.watermarks = watermarks;
        this.worker = worker;
    }

    /**
     * @param explicit the tenants given (--tenant, else TENANTS), already split by the pattern; null to discover them
     */
    GapReport run(Command.Gaps command, TenantIds.Split explicit, TenantIds tenantIds) {
        Window window = command.window();
        // without --tenant, gaps examines the tenants a backfill without --tenant takes (TENANTS, or discovered)
        GapReport report = new GapReport(window, command.minCoverage(), command.tenants().isEmpty(), worker.maxBackfill());
        TenantIds.Split tenants = explicit != null ? explicit : tenantIds.split(source.discover(window));
        report.tenants(tenants.valid(), tenants.invalid());
        if (tenants.valid().isEmpty()) {
            return report;
        }
        Map<String, Instant> marks = watermarks.all();
        Map<String, Integer> series = source.namespaceSeries(window);
        GapRanges found = new GapRanges();
        for (List<String> batch : TenantBatches.cut(tenants.valid(), series, worker.batch().maxSeries(), worker.batch().maxTenants())) {
            for (Window chunk : window.chunks(worker.effectiveChunkHours())) {
                WindowComputation.Result computed;
                try {
                    computed = computation.compute(batch, chunk, "gaps");
                } catch (ThanosQueryException e) {
                    report.failure("tenants " + String.join(", ", batch) + " " + chunk + ": " + e.getMessage());
                    if (e.unanswered()) {
                        return report; // no answer at all: every other unit would wait for the same timeouts
                    }
                    continue;
                }
                computed.tenantErrors().forEach((t, why) -> report.failure("tenant " + t + " " + chunk + ": " + why));
                List<String> comparable = batch.stream().filter(t -> !computed.tenantErrors().containsKey(t)).toList();
                if (!comparable.isEmpty()) {
                    new Comparison(computed, store.stored(comparable, chunk), marks, command.minCoverage()).into(found, report);
                }
            }
        }
        found.into(report);
        return report;
    }

    /** One chunk's fresh rows against the stored ones, cluster-hour by cluster-hour. */
    private record Comparison(WindowComputation.Result computed, StoredRows stored, Map<String, Instant> marks, double minCoverage) {

        void into(GapRanges found, GapReport report) {
            Map<ClusterHourKey, Map<String, CostRow>> fresh = new TreeMap<>();
            computed.rows().rows().forEach(r -> fresh.computeIfAbsent(r.clusterHour(), k -> new TreeMap<>()).put(r.namespace(), r));
            Map<ClusterHourKey, Map<String, ExpenseRecord>> have = new TreeMap<>();
            stored.visibleExpenses().forEach(r -> have.computeIfAbsent(new ClusterHourKey(r.tenant(), r.cluster(), r.hour()),
                    k -> new TreeMap<>()).put(r.namespace(), r));
            Set<ClusterHourKey> storedOnly = new HashSet<>(have.keySet());
            storedOnly.removeAll(fresh.keySet());
            report.counted(fresh.size(), storedOnly.size());
            fresh.forEach((key, rows) -> namespaces(key, rows, have.get(key), found));
            computed.rows().refused().forEach((k, why) -> found.add(k, GapReport.Kind.REFUSED,
                    "the data contradict themselves (" + why + "): no run writes this hour until the exporter's data agree",
                    Json.object().put("compute_error", why)));
            Map<ClusterHourKey, ExpenseRecord> clusters = new HashMap<>();
            stored.visibleClusters().forEach(r -> clusters.put(new ClusterHourKey(r.tenant(), r.cluster(), r.hour()), r));
            for (ClusterHour c : computed.rows().clusterHours()) {
                ExpenseRecord row = clusters.get(c.key());
                if ((row == null || !c.figures().sameAs(row.figures())) && !found.reported(c.key())) {
                    // a cluster-hour reported otherwise gets its backfill anyway
                    GapReport.Kind kind = pendingOr(GapReport.Kind.INCOMPLETE, c.key());
                    found.add(c.key(), kind, "the namespace rows match, but the cluster's row in k8s_cluster_expenses is missing"
                            + " or differs from a fresh computation (a write stopped between the two tables)",
                            pendingFacts(GapReport.Kind.INCOMPLETE, kind, c.key(), Json.object()));
                }
            }
        }

        private void namespaces(ClusterHourKey key, Map<String, CostRow> rows, Map<String, ExpenseRecord> stored, GapRanges found) {
            GapReport.Kind kind;
            String detail;
            ObjectNode facts = Json.object();
            if (stored == null) {
                kind = GapReport.Kind.MISSING;
                detail = "exporter data in Thanos (" + rows.size() + " rows), no rows in k8s_expenses_current";
                facts.put("fresh_rows", rows.size());
            } else {
                List<String> diffs = new ArrayList<>();
                ArrayNode notStored = Json.array();
                ArrayNode columns = Json.array();
                rows.forEach((ns, row) -> {
                    ExpenseRecord s = stored.get(ns);
                    if (s == null) {
                        diffs.add(ns + " not stored");
                        notStored.add(ns);
                    } else {
                        row.figures().differencesFrom(s.figures()).forEach(d -> {
                            diffs.add(ns + " " + Texts.difference(d));
                            Json.difference(d, columns.addObject().put("namespace", ns));
                        });
                    }
                });
                ArrayNode notInData = Json.array();
                stored.keySet().stream().filter(ns -> !rows.containsKey(ns)).forEach(ns -> {
                    diffs.add(ns + " stored but not in the data");
                    notInData.add(ns);
                });
                if (!diffs.isEmpty()) {
                    kind = GapReport.Kind.DIFFERS;
                    detail = "stored rows differ from a fresh computation: " + Texts.list(diffs, 3);
                    facts.set("column_differences", columns);
                    facts.set("namespaces_not_stored", notStored);
                    facts.set("namespaces_not_in_data", notInData);
                } else {
                    double lowest = rows.values().stream().mapToDouble(CostRow::coverage).min().orElse(1);
                    if (lowest >= minCoverage) {
                        return;
                    }
                    kind = GapReport.Kind.LOW_COVERAGE;
                    detail = "coverage down to " + Texts.number(lowest) + ": Thanos holds samples for part of the hour only; a backfill"
                            + " changes it only if the missing samples have arrived since";
                    facts.put("lowest_coverage", lowest);
                }
            }
            GapReport.Kind pending = pendingOr(kind, key);
            if (pending != kind) {
                detail = "at or after the watermark " + marks.get(key.tenant()) + ", so the next hourly run writes them (" + kind.label
                        + ": " + detail + ")";
            }
            found.add(key, pending, detail, pendingFacts(kind, pending, key, facts));
        }

        /** For a pending range, the kind it would be and the watermark that makes it the next hourly run's. */
        private ObjectNode pendingFacts(GapReport.Kind kind, GapReport.Kind reported, ClusterHourKey key, ObjectNode facts) {
            if (reported == GapReport.Kind.PENDING) {
                facts.put("pending_kind", kind.label).put("watermark", Json.instant(marks.get(key.tenant())));
            }
            return facts;
        }

        /** A kind to backfill at or after the tenant's watermark is the next hourly run's. */
        private GapReport.Kind pendingOr(GapReport.Kind kind, ClusterHourKey key) {
            return kind.toBackfill && WatermarkPolicy.nextHourlyRunWrites(key.hour(), marks.get(key.tenant()))
                    ? GapReport.Kind.PENDING : kind;
        }
    }
}
