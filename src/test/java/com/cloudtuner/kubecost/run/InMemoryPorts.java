package com.cloudtuner.kubecost.run;

import com.cloudtuner.kubecost.clickhouse.ExpenseRecord;
import com.cloudtuner.kubecost.clickhouse.ExpenseStore;
import com.cloudtuner.kubecost.clickhouse.WriteKind;
import com.cloudtuner.kubecost.clickhouse.StoredRows;
import com.cloudtuner.kubecost.clickhouse.RunLedger;
import com.cloudtuner.kubecost.clickhouse.Watermarks;
import com.cloudtuner.kubecost.clickhouse.WriteResult;
import com.cloudtuner.kubecost.cost.CostResult;
import com.cloudtuner.kubecost.cost.CostRow;
import com.cloudtuner.kubecost.cost.Window;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** In-memory stand-ins of the run's ports, for tests of its decisions without servers. */
final class InMemoryPorts {

    private InMemoryPorts() {
    }

    /** Watermarks that only move forward, as the table keeps them. */
    static final class InMemoryWatermarks implements Watermarks {
        final Map<String, Instant> marks = new HashMap<>();
        int advances;

        @Override
        public Map<String, Instant> all() {
            return Map.copyOf(marks);
        }

        @Override
        public void advance(Map<String, Instant> watermarks, String runId) {
            advances++;
            watermarks.forEach((t, w) -> marks.merge(t, w, (a, b) -> a.isAfter(b) ? a : b));
        }
    }

    /** The ledger's rows, kept. */
    static final class InMemoryRunLedger implements RunLedger {
        final List<Entry> entries = new ArrayList<>();
        final List<Run> runs = new ArrayList<>();

        @Override
        public void record(Run run) {
            runs.add(run);
        }

        @Override
        public void record(List<Entry> batch) {
            entries.addAll(batch);
        }

        @Override
        public List<Entry> entries(Instant from, Instant to, Collection<String> tenants) {
            return entries.stream().filter(e -> !e.startedAt().isBefore(from) && !e.startedAt().isAfter(to)
                    && (tenants.isEmpty() || tenants.contains(e.tenant()))).toList();
        }

        @Override
        public List<Run> runs(Instant from, Instant to) {
            return runs.stream().filter(r -> !r.startedAt().isBefore(from) && !r.startedAt().isAfter(to)).toList();
        }

        @Override
        public Map<String, Boolean> latestFailed(String mode, Instant since) {
            Map<String, Boolean> out = new HashMap<>();
            entries.stream().filter(e -> e.mode().equals(mode)).forEach(e -> out.put(e.tenant(), !e.status().equals("succeeded")));
            return out;
        }

        Entry of(String tenant) {
            return entries.stream().filter(e -> e.tenant().equals(tenant)).reduce((a, b) -> b).orElseThrow();
        }
    }

    /**
     * Keeps every row written, keyed by tenant, cluster, namespace and hour, and the kind of the write
     * that wrote it last; a write of a tenant it is told to refuse fails.
     */
    static final class InMemoryExpenseStore implements ExpenseStore {
        final Map<List<Object>, CostRow> rows = new LinkedHashMap<>();
        final Map<List<Object>, WriteKind> kinds = new LinkedHashMap<>();
        Predicate<Collection<String>> refuse = tenants -> false;

        @Override
        public Map<String, WriteResult> write(Collection<String> tenants, Window window, CostResult fresh, WriteKind kind) {
            if (refuse.test(tenants)) {
                throw new com.cloudtuner.kubecost.clickhouse.ClickHouseException(241, false, "refused", null);
            }
            Map<String, WriteResult> perTenant = new LinkedHashMap<>();
            tenants.forEach(t -> perTenant.put(t, WriteResult.NOTHING));
            for (CostRow r : fresh.rows()) {
                List<Object> key = List.of(r.tenant(), r.cluster(), r.namespace(), r.hour());
                boolean changed = !r.equals(rows.put(key, r)) || !kind.equals(kinds.put(key, kind));
                perTenant.merge(r.tenant(), new WriteResult(1, changed ? 1 : 0, 0), WriteResult::plus);
            }
            return perTenant;
        }

        @Override
        public StoredRows stored(Collection<String> tenants, Window window) {
            return new StoredRows(rows.values().stream().filter(r -> tenants.contains(r.tenant()) && window.contains(r.hour()))
                    .map(ExpenseRecord::of).toList(), List.of());
        }

        @Override
        public Map<String, java.time.Instant> newestData(Collection<String> tenants, Window window) {
            Map<String, java.time.Instant> newest = new LinkedHashMap<>();
            rows.values().stream().filter(r -> tenants.contains(r.tenant()) && window.contains(r.hour()))
                    .forEach(r -> newest.merge(r.tenant(), r.hour().plusSeconds(3600), (a, b) -> a.isAfter(b) ? a : b));
            return newest;
        }

        @Override
        public java.util.Set<com.cloudtuner.kubecost.cost.ClusterHourKey> clusterHoursWithRows(Collection<String> tenants, Window window) {
            return rows.values().stream().filter(r -> tenants.contains(r.tenant()) && window.contains(r.hour()))
                    .map(CostRow::clusterHour).collect(java.util.stream.Collectors.toSet());
        }

        @Override
        public List<String> tenantsWithRows(Window window) {
            return rows.values().stream().filter(r -> !r.hour().isBefore(window.start()) && r.hour().isBefore(window.end()))
                    .map(CostRow::tenant).distinct().toList();
        }
    }
}
