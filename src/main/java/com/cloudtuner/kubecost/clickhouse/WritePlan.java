package com.cloudtuner.kubecost.clickhouse;

import com.cloudtuner.kubecost.cost.ClusterHour;
import com.cloudtuner.kubecost.cost.ClusterHourKey;
import com.cloudtuner.kubecost.cost.CostResult;
import com.cloudtuner.kubecost.cost.CostRow;
import com.cloudtuner.kubecost.cost.Window;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What writing a batch of tenants' computed window changes, decided from the fresh rows and what
 * is stored, without ClickHouse. Afterwards every cluster-hour the fresh rows cover shows exactly
 * those rows:
 * <ul>
 *   <li>a fresh row that is new, or differs from the visible stored row of its key, is inserted with
 *       {@link #version}, larger than every stored version of the window; a fresh row equal to what
 *       is stored is left alone, so writing the same rows again changes nothing, not even
 *       {@code version} or {@code computed_at};</li>
 *   <li>a visible stored key absent from the fresh rows, in a cluster-hour the fresh rows cover, gets
 *       a tombstone; a cluster-hour without fresh rows keeps its stored rows (no data never erases
 *       history) unless {@code eraseMissing} asks to clear every stored row of the window; a
 *       cluster-hour the rules refused keeps its stored rows whatever {@code eraseMissing} says;</li>
 *   <li>provisional rows (of an hour not yet complete) stand until their hour's first final write:
 *       it replaces them, even with equal figures, and tombstones those whose key it has no row for,
 *       in any cluster-hour and whatever {@code eraseMissing} says, refused ones included (they were
 *       never final). A provisional write replaces and tombstones only provisional rows: a final row
 *       is never replaced by a provisional one;</li>
 *   <li>{@code k8s_cluster_expenses} follows the same rules with the same covered cluster-hours; it
 *       is written after {@code k8s_expenses}. A write that stopped between the two leaves cluster
 *       rows that differ from a fresh computation, which the next plan over those hours inserts
 *       like any changed row (and {@code gaps} reports meanwhile).</li>
 * </ul>
 * Both lists come ordered by cluster-hour, so an insert split between cluster-hours never splits one.
 *
 * @param expenses    rows to insert into k8s_expenses
 * @param clusters    rows to insert into k8s_cluster_expenses
 * @param perTenant   what the plan does to each tenant of the batch's k8s_expenses rows
 */
public record WritePlan(List<ExpenseRecord> expenses, List<ExpenseRecord> clusters, Map<String, WriteResult> perTenant,
                        long version) {

    /** Rows in the order they are inserted: cluster-hour by cluster-hour. */
    static final Comparator<ExpenseRecord> BY_CLUSTER_HOUR = Comparator.comparing(ExpenseRecord::tenant)
            .thenComparing(ExpenseRecord::cluster).thenComparing(ExpenseRecord::hour)
            .thenComparing(r -> r.namespace() == null ? "" : r.namespace());

    public static WritePlan of(Collection<String> tenants, Window window, CostResult fresh, StoredRows stored, WriteKind kind,
                               Instant now) {
        Set<String> batch = Set.copyOf(tenants);
        List<ExpenseRecord> freshRows = new ArrayList<>(fresh.rows().size());
        Set<ExpenseRecord.Key> covered = new HashSet<>(); // cluster-hours with fresh rows, namespace null
        for (CostRow r : fresh.rows()) {
            checkBelongs(batch, window, r.tenant(), r.hour());
            freshRows.add(ExpenseRecord.of(r).provisional(kind.provisional()));
            covered.add(new ExpenseRecord.Key(r.tenant(), r.cluster(), null, r.hour()));
        }
        List<ExpenseRecord> freshClusters = new ArrayList<>(fresh.clusterHours().size());
        for (ClusterHour c : fresh.clusterHours()) {
            checkBelongs(batch, window, c.tenant(), c.hour());
            freshClusters.add(ExpenseRecord.of(c).provisional(kind.provisional()));
        }
        Set<ExpenseRecord.Key> refused = new HashSet<>();
        for (ClusterHourKey k : fresh.refused().keySet()) {
            refused.add(new ExpenseRecord.Key(k.tenant(), k.cluster(), null, k.hour()));
        }
        long version = ChronoUnit.MICROS.between(Instant.EPOCH, now);
        for (ExpenseRecord s : stored.expenses()) {
            version = Math.max(version, s.version() + 1);
        }
        for (ExpenseRecord s : stored.clusters()) {
            version = Math.max(version, s.version() + 1);
        }
        // a provisional row's computed_at is the instant it was computed as of, so it can be computed again alike
        Instant computedAt = kind.provisional() ? kind.provisionalAsOf() : now.truncatedTo(ChronoUnit.SECONDS);

        Map<String, WriteResult> perTenant = new LinkedHashMap<>();
        for (String t : tenants) {
            perTenant.put(t, WriteResult.NOTHING);
        }
        Rules rules = new Rules(covered, refused, kind, version, computedAt);
        List<ExpenseRecord> expenses = rules.plan(freshRows, stored.expenses(), perTenant);
        expenses.sort(BY_CLUSTER_HOUR);
        List<ExpenseRecord> clusters = rules.plan(freshClusters, stored.clusters(), null);
        clusters.sort(BY_CLUSTER_HOUR);
        return new WritePlan(List.copyOf(expenses), List.copyOf(clusters), perTenant, version);
    }

    /** The insert-or-leave and tombstone rules of one table. */
    private record Rules(Set<ExpenseRecord.Key> covered, Set<ExpenseRecord.Key> refused, WriteKind kind, long version,
                         Instant computedAt) {

        List<ExpenseRecord> plan(List<ExpenseRecord> fresh, List<ExpenseRecord> stored, Map<String, WriteResult> counts) {
            Map<ExpenseRecord.Key, ExpenseRecord> storedByKey = new LinkedHashMap<>();
            for (ExpenseRecord s : stored) {
                storedByKey.put(s.key(), s);
            }
            List<ExpenseRecord> inserts = new ArrayList<>();
            Set<ExpenseRecord.Key> freshKeys = new HashSet<>();
            for (ExpenseRecord row : fresh) {
                freshKeys.add(row.key());
                ExpenseRecord old = storedByKey.get(row.key());
                boolean finalStands = kind.provisional() && old != null && !old.deleted() && !old.provisional();
                boolean changed = !finalStands && (old == null || old.deleted() || old.provisional() != row.provisional()
                        || !row.sameAs(old));
                if (changed) {
                    inserts.add(row.versioned(false, version, computedAt));
                }
                if (counts != null) {
                    counts.merge(row.tenant(), new WriteResult(1, changed ? 1 : 0, 0), WriteResult::plus);
                }
            }
            for (ExpenseRecord old : storedByKey.values()) {
                if (freshKeys.contains(old.key()) || old.deleted()) {
                    continue;
                }
                if (tombstones(old)) {
                    inserts.add(old.versioned(true, version, computedAt));
                    if (counts != null) {
                        counts.merge(old.tenant(), new WriteResult(0, 0, 1), WriteResult::plus);
                    }
                }
            }
            return inserts;
        }

        /** Whether a visible stored row the fresh rows have no row for is tombstoned. */
        private boolean tombstones(ExpenseRecord old) {
            if (old.provisional()) {
                return true; // the newer computation of its hour, provisional or final, has no data for it
            }
            if (kind.provisional() || refused.contains(old.clusterHour())) {
                return false;
            }
            return kind.eraseMissing() || covered.contains(old.clusterHour());
        }
    }

    private static void checkBelongs(Set<String> batch, Window window, String tenant, Instant hour) {
        if (!batch.contains(tenant)) {
            throw new IllegalArgumentException("a row of tenant " + tenant + " in a batch of " + batch);
        }
        if (hour.isBefore(window.start()) || !hour.isBefore(window.end())) {
            throw new IllegalArgumentException("a row for " + hour + " outside " + window);
        }
    }
}
