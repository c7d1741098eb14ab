package com.cloudtuner.kubecost.diagnose;

import com.cloudtuner.kubecost.clickhouse.ClickHouseWatermarks;
import com.cloudtuner.kubecost.cli.Command;
import com.cloudtuner.kubecost.clickhouse.ClickHouseGateway;
import com.cloudtuner.kubecost.clickhouse.ClickHouseExpenseStore;
import com.cloudtuner.kubecost.clickhouse.Watermarks;
import com.cloudtuner.kubecost.config.WorkerProperties;
import com.cloudtuner.kubecost.cost.CostRow;
import com.cloudtuner.kubecost.cost.HourlyCostCalculator;
import com.cloudtuner.kubecost.cost.Window;
import com.cloudtuner.kubecost.exporter.ExporterReader;
import com.cloudtuner.kubecost.exporter.TenantBatches;
import com.cloudtuner.kubecost.exporter.TenantCensus;
import com.cloudtuner.kubecost.run.FreshRows;
import com.cloudtuner.kubecost.run.TenantIds;
import com.cloudtuner.kubecost.thanos.ThanosClient;
import com.cloudtuner.kubecost.thanos.ThanosQueryException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code gaps}: per tenant batch and chunk of the range, what a backfill would write (the job's
 * aggregated read and rules, {@link FreshRows}) against what {@code k8s_expenses_current} holds,
 * cluster-hour by cluster-hour.
 */
final class Gaps {

    /** One cluster of one tenant in one hour. */
    private record ClusterHourKey(String tenant, String cluster, Instant hour) {
    }

    private final ThanosClient thanos;
    private final ClickHouseGateway ch;
    private final HourlyCostCalculator calculator;
    private final WorkerProperties worker;

    Gaps(ThanosClient thanos, ClickHouseGateway ch, HourlyCostCalculator calculator, WorkerProperties worker) {
        this.thanos = thanos;
        this.ch = ch;
        this.calculator = calculator;
        this.worker = worker;
    }

    /**
     * @param explicit the tenants given (--tenant, else TENANTS), already split by the pattern; null to discover them
     */
    GapReport run(Command.Gaps command, TenantIds.Split explicit, TenantIds tenantIds) {
        Window window = command.window();
        GapReport report = new GapReport(window, command.minCoverage());
        String prefix = worker.exporter().prefix();
        TenantCensus census = new TenantCensus(thanos, prefix);
        TenantIds.Split tenants = explicit != null ? explicit : tenantIds.split(census.discover(window));
        report.tenants(tenants.valid(), tenants.invalid());
        if (tenants.valid().isEmpty()) {
            return report;
        }
        Map<String, Instant> watermarks = new ClickHouseWatermarks(ch, Clock.systemUTC()).all();
        ClickHouseExpenseStore store = new ClickHouseExpenseStore(ch, Clock.systemUTC(), 1);
        FreshRows fresh = new FreshRows(new ExporterReader(thanos, prefix, worker.exporter().healthLookback()), calculator, worker);
        Map<String, Integer> series = census.namespaceSeries(window);
        Accumulator found = new Accumulator();
        for (List<String> batch : TenantBatches.cut(tenants.valid(), series, worker.batch().maxSeries(), worker.batch().maxTenants())) {
            for (Window chunk : window.chunks(worker.effectiveChunkHours())) {
                FreshRows.Result computed;
                try {
                    computed = fresh.compute(batch, chunk);
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
                    compare(computed.rows().rows(), StoredRows.of(ch, comparable, chunk), watermarks, command.minCoverage(), found, report);
                    computed.rows().refused().forEach((k, why) -> found.add(key(k), GapReport.Kind.REFUSED,
                            "the data contradict themselves (" + why + "): no run writes this hour until the exporter's data agree"));
                    for (com.cloudtuner.kubecost.cost.ClusterHourKey k : store.clusterRowsDiffering(comparable, chunk,
                            computed.rows().clusterHours())) {
                        if (!found.reported(key(k))) { // a cluster-hour reported otherwise gets its backfill anyway
                            found.add(key(k), pendingOr(GapReport.Kind.INCOMPLETE, key(k), watermarks), "the namespace rows match,"
                                    + " but the cluster's row in k8s_cluster_expenses is missing or differs from a fresh computation"
                                    + " (a write stopped between the two tables)");
                        }
                    }
                }
            }
        }
        found.ranges(report);
        return report;
    }

    private static ClusterHourKey key(com.cloudtuner.kubecost.cost.ClusterHourKey k) {
        return new ClusterHourKey(k.tenant(), k.cluster(), Instant.ofEpochMilli(k.hourMs()));
    }

    /** A kind to backfill at or after the tenant's watermark is the next hourly run's. */
    private static GapReport.Kind pendingOr(GapReport.Kind kind, ClusterHourKey key, Map<String, Instant> watermarks) {
        Instant mark = watermarks.get(key.tenant());
        return kind.toBackfill && mark != null && !key.hour().isBefore(mark) ? GapReport.Kind.PENDING : kind;
    }

    private static void compare(List<CostRow> freshRows, List<StoredRow> storedRows, Map<String, Instant> watermarks,
                                double minCoverage, Accumulator found, GapReport report) {
        Map<ClusterHourKey, Map<String, CostRow>> fresh = new TreeMap<>(Accumulator.ORDER);
        for (CostRow r : freshRows) {
            fresh.computeIfAbsent(new ClusterHourKey(r.tenant(), r.cluster(), r.hour()), k -> new TreeMap<>()).put(r.namespace(), r);
        }
        Map<ClusterHourKey, Map<String, StoredRow>> stored = new TreeMap<>(Accumulator.ORDER);
        for (StoredRow r : storedRows) {
            stored.computeIfAbsent(new ClusterHourKey(r.tenant(), r.cluster(), r.hour()), k -> new TreeMap<>()).put(r.namespace(), r);
        }
        Set<ClusterHourKey> storedOnly = new HashSet<>(stored.keySet());
        storedOnly.removeAll(fresh.keySet());
        report.counted(fresh.size(), storedOnly.size());
        fresh.forEach((key, rows) -> {
            Map<String, StoredRow> have = stored.get(key);
            GapReport.Kind kind;
            String detail;
            if (have == null) {
                kind = GapReport.Kind.MISSING;
                detail = "exporter data in Thanos (" + rows.size() + " rows), no rows in k8s_expenses_current";
            } else {
                List<String> diffs = new ArrayList<>();
                rows.forEach((ns, row) -> {
                    StoredRow s = have.get(ns);
                    if (s == null) {
                        diffs.add(ns + " not stored");
                    } else {
                        RowComparison.differences(s, row).forEach(d -> diffs.add(ns + " " + d));
                    }
                });
                have.keySet().stream().filter(ns -> !rows.containsKey(ns)).forEach(ns -> diffs.add(ns + " stored but not in the data"));
                if (!diffs.isEmpty()) {
                    kind = GapReport.Kind.DIFFERS;
                    detail = "stored rows differ from a fresh computation: " + Texts.list(diffs, 3);
                } else {
                    double lowest = rows.values().stream().mapToDouble(CostRow::coverage).min().orElse(1);
                    if (lowest >= minCoverage) {
                        return;
                    }
                    kind = GapReport.Kind.LOW_COVERAGE;
                    detail = "coverage down to " + Texts.number(lowest) + ": Thanos holds samples for part of the hour only; a backfill"
                            + " changes it only if the missing samples have arrived since";
                }
            }
            Instant mark = watermarks.get(key.tenant());
            if (kind.toBackfill && mark != null && !key.hour().isBefore(mark)) {
                detail = "at or after the watermark " + mark + ", so the next hourly run writes them (" + kind.label + ": " + detail + ")";
                kind = GapReport.Kind.PENDING;
            }
            found.add(key, kind, detail);
        });
    }

    /** Consecutive hours of one tenant, cluster and kind become one range. */
    private static final class Accumulator {
        static final Comparator<ClusterHourKey> ORDER = Comparator.comparing(ClusterHourKey::tenant)
                .thenComparing(ClusterHourKey::cluster).thenComparing(ClusterHourKey::hour);

        private record RangeKey(String tenant, String cluster, GapReport.Kind kind) {
        }

        private final Map<RangeKey, TreeMap<Instant, String>> hours = new HashMap<>();

        boolean reported(ClusterHourKey key) {
            return hours.entrySet().stream().anyMatch(e -> e.getKey().tenant().equals(key.tenant())
                    && e.getKey().cluster().equals(key.cluster()) && e.getValue().containsKey(key.hour()));
        }

        void add(ClusterHourKey key, GapReport.Kind kind, String detail) {
            hours.computeIfAbsent(new RangeKey(key.tenant(), key.cluster(), kind), k -> new TreeMap<>()).put(key.hour(), detail);
        }

        /** Each range's detail is its first hour's. */
        void ranges(GapReport report) {
            hours.forEach((k, byHour) -> {
                Instant start = null;
                Instant end = null;
                String detail = null;
                for (Map.Entry<Instant, String> e : byHour.entrySet()) {
                    if (start != null && !e.getKey().equals(end)) {
                        report.add(new GapReport.Range(k.tenant(), k.cluster(), k.kind(), new Window(start, end), detail));
                        start = null;
                    }
                    if (start == null) {
                        start = e.getKey();
                        detail = e.getValue();
                    }
                    end = e.getKey().plusSeconds(3600);
                }
                report.add(new GapReport.Range(k.tenant(), k.cluster(), k.kind(), new Window(start, end), detail));
            });
        }
    }
}
