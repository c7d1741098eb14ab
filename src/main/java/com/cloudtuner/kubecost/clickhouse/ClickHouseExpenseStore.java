package com.cloudtuner.kubecost.clickhouse;

import com.cloudtuner.kubecost.cost.ClusterHour;
import com.cloudtuner.kubecost.cost.ClusterHourKey;
import com.cloudtuner.kubecost.cost.CostResult;
import com.cloudtuner.kubecost.cost.CostRow;
import com.cloudtuner.kubecost.cost.Window;
import java.io.ByteArrayOutputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JsonGenerator;

/**
 * The {@link ExpenseStore} in ClickHouse, the I/O under a {@link WritePlan}: per batch of tenants
 * and window, one read of the stored state of each table and one insert into each (split only
 * between cluster-hours, above {@code maxInsertRows}).
 */
public final class ClickHouseExpenseStore implements ExpenseStore {

    private static final Logger log = LoggerFactory.getLogger(ClickHouseExpenseStore.class);

    static final String EXPENSES = "k8s_expenses";
    static final String CLUSTER_EXPENSES = "k8s_cluster_expenses";

    private final ClickHouseGateway ch;
    private final Clock clock;
    private final int maxInsertRows;

    public ClickHouseExpenseStore(ClickHouseGateway ch, Clock clock, int maxInsertRows) {
        this.ch = ch;
        this.clock = clock;
        this.maxInsertRows = maxInsertRows;
    }

    /**
     * Plans and applies the write of the batch's fresh rows; returns what it did per tenant. The
     * k8s_expenses rows go first, then the cluster rows, each in inserts that hold whole
     * cluster-hours. A failed insert throws {@link PartialWrite} with what ClickHouse holds of the
     * write.
     */
    @Override
    public Map<String, WriteResult> write(Collection<String> tenants, Window window, CostResult fresh, boolean eraseMissing) {
        WritePlan.Stored stored = fresh.rows().isEmpty() && fresh.clusterHours().isEmpty() && !eraseMissing
                ? WritePlan.Stored.NOTHING // no data in the window: history stays as it is, nothing to compare
                : read(tenants, window);
        WritePlan plan = WritePlan.of(tenants, window, fresh, stored, eraseMissing, clock.instant());
        Map<String, WriteResult> acknowledged = new LinkedHashMap<>();
        try {
            for (List<ExpenseRecord> part : byClusterHours(plan.expenses(), maxInsertRows)) {
                ch.insertJsonEachRow(EXPENSES, jsonEachRow(part));
                tally(part, acknowledged);
            }
        } catch (ClickHouseException e) {
            throw partial(e, tenants, window, plan, acknowledged, "k8s_expenses");
        }
        try {
            for (List<ExpenseRecord> part : byClusterHours(plan.clusters(), maxInsertRows)) {
                ch.insertJsonEachRow(CLUSTER_EXPENSES, jsonEachRow(part));
            }
        } catch (ClickHouseException e) { // the cluster rows stay behind until a run over the window writes them
            throw partial(e, tenants, window, plan, acknowledged, "k8s_cluster_expenses");
        }
        if (eraseMissing) {
            plan.perTenant().forEach((tenant, r) -> {
                if (r.tombstoned() > 0) {
                    log.warn("ERASE tenant={} window={}: tombstoned {} stored rows the metrics store no longer backs (--erase-missing)",
                            tenant, window, r.tombstoned());
                }
            });
        }
        return plan.perTenant();
    }

    /** Consecutive parts of at most {@code max} rows that never split a cluster-hour (one larger than that goes whole). */
    static List<List<ExpenseRecord>> byClusterHours(List<ExpenseRecord> rows, int max) {
        List<List<ExpenseRecord>> parts = new ArrayList<>();
        int from = 0;
        while (from < rows.size()) {
            int end = from;
            while (end < rows.size()) {
                int next = end;
                while (next < rows.size() && rows.get(next).clusterHour().equals(rows.get(end).clusterHour())) {
                    next++;
                }
                if (end > from && next - from > max) {
                    break;
                }
                end = next;
            }
            parts.add(rows.subList(from, end));
            from = end;
        }
        return parts;
    }

    private static void tally(List<ExpenseRecord> part, Map<String, WriteResult> applied) {
        for (ExpenseRecord r : part) {
            applied.merge(r.tenant(), r.deleted() ? new WriteResult(0, 0, 1) : new WriteResult(0, 1, 0), WriteResult::plus);
        }
    }

    /**
     * What a failed write left in ClickHouse: the rows carrying its version, read back (an insert
     * whose answer was lost may have been applied); the acknowledged inserts when that read fails too.
     */
    private PartialWrite partial(ClickHouseException e, Collection<String> tenants, Window window, WritePlan plan,
                                 Map<String, WriteResult> acknowledged, String failedTable) {
        Map<String, WriteResult> applied = new LinkedHashMap<>();
        boolean certain;
        try {
            ch.selectTabSeparated("SELECT cloud_account_id, deleted, uniqExact(cluster, namespace, hour) FROM " + EXPENSES + " WHERE cloud_account_id IN ("
                    + quoted(tenants) + ") AND hour >= toDateTime(" + window.start().getEpochSecond() + ") AND hour < toDateTime("
                    + window.end().getEpochSecond() + ") AND version = " + plan.version() + " GROUP BY cloud_account_id, deleted",
                    f -> applied.merge(f[0], f[1].equals("0") ? new WriteResult(0, Integer.parseInt(f[2]), 0)
                            : new WriteResult(0, 0, Integer.parseInt(f[2])), WriteResult::plus));
            certain = true;
        } catch (ClickHouseException unreadable) {
            applied.putAll(acknowledged);
            certain = false;
        }
        int written = applied.values().stream().mapToInt(r -> r.changed() + r.tombstoned()).sum();
        String what = "the insert into " + failedTable + " failed; " + (certain ? "" : "at least ") + written + " of "
                + plan.expenses().size() + " k8s_expenses rows of this write are stored"
                + (plan.clusters().isEmpty() ? "" : ", k8s_cluster_expenses not written")
                + "; a run over the window repairs them";
        return new PartialWrite(e, applied, certain, what);
    }

    /** The newest version of every key of the tenants in the window, tombstones included. */
    public WritePlan.Stored read(Collection<String> tenants, Window window) {
        String where = " FINAL WHERE cloud_account_id IN (" + quoted(tenants) + ")"
                + " AND hour >= toDateTime(" + window.start().getEpochSecond() + ")"
                + " AND hour < toDateTime(" + window.end().getEpochSecond() + ")";
        String figures = String.join(", ", ExpenseRecord.FIGURE_COLUMNS);
        List<ExpenseRecord> expenses = new ArrayList<>();
        Map<String, String> strings = new HashMap<>();
        ch.selectTabSeparated("SELECT cloud_account_id, cluster, namespace, toUnixTimestamp(hour), resource_id, currency, "
                + figures + ", deleted, version FROM " + EXPENSES + where, f -> expenses.add(new ExpenseRecord(
                share(strings, f[0]), share(strings, f[1]), share(strings, f[2]), Long.parseLong(f[3]), f[4],
                share(strings, f[5]), figures(f, 6), !f[16].equals("0"), Long.parseLong(f[17]), 0)));
        List<ExpenseRecord> clusters = new ArrayList<>();
        ch.selectTabSeparated("SELECT cloud_account_id, cluster, toUnixTimestamp(hour), currency, "
                + figures + ", deleted, version FROM " + CLUSTER_EXPENSES + where, f -> clusters.add(new ExpenseRecord(
                share(strings, f[0]), share(strings, f[1]), null, Long.parseLong(f[2]), null,
                share(strings, f[3]), figures(f, 4), !f[14].equals("0"), Long.parseLong(f[15]), 0)));
        return new WritePlan.Stored(expenses, clusters);
    }

    /**
     * The cluster-hours of {@code fresh} whose visible row in k8s_cluster_expenses is missing or says
     * something else: what a write that stopped between the two tables leaves (or an older computation).
     */
    public java.util.Set<ClusterHourKey> clusterRowsDiffering(Collection<String> tenants, Window window,
                                                               Collection<ClusterHour> fresh) {
        Map<ExpenseRecord.Key, ExpenseRecord> stored = new HashMap<>();
        for (ExpenseRecord r : read(tenants, window).clusters()) {
            if (!r.deleted()) {
                stored.put(r.key(), r);
            }
        }
        java.util.Set<ClusterHourKey> out = new java.util.TreeSet<>();
        for (ClusterHour c : fresh) {
            ExpenseRecord row = ExpenseRecord.of(c);
            ExpenseRecord have = stored.get(row.key());
            if (have == null || !row.sameAs(have)) {
                out.add(new ClusterHourKey(c.tenant(), c.cluster(), c.hour().toEpochMilli()));
            }
        }
        return out;
    }

    /** Tenants with visible rows in the window: what an erasing backfill must visit besides the discovered ones. */
    @Override
    public List<String> tenantsWithRows(Window window) {
        List<String> tenants = new ArrayList<>();
        // the window inside FINAL (18.16 would merge the whole table behind the view); it prunes partitions
        ch.selectTabSeparated("SELECT DISTINCT cloud_account_id FROM (SELECT cloud_account_id, deleted FROM " + EXPENSES
                + " FINAL WHERE hour >= toDateTime(" + window.start().getEpochSecond() + ") AND hour < toDateTime("
                + window.end().getEpochSecond() + ")) WHERE deleted = 0", f -> tenants.add(f[0]));
        return tenants;
    }

    /** Rows as ClickHouse stores them, one JSON object per line. */
    static byte[] jsonEachRow(List<ExpenseRecord> rows) {
        ByteArrayOutputStream body = new ByteArrayOutputStream(rows.size() * 360);
        try (JsonGenerator g = ClickHouseGateway.json().createGenerator(body)) {
            for (ExpenseRecord r : rows) {
                writeRow(g, r);
                g.writeRaw('\n');
            }
        }
        return body.toByteArray();
    }

    /** One row as JSON, without the version fields: what {@code --dry-run} prints. */
    static void writeRow(JsonGenerator g, ExpenseRecord r) {
        g.writeStartObject();
        g.writeStringProperty("cloud_account_id", r.tenant());
        g.writeStringProperty("cluster", r.cluster());
        if (r.namespace() != null) {
            g.writeStringProperty("namespace", r.namespace());
            g.writeStringProperty("resource_id", r.resourceId());
        }
        g.writeNumberProperty("hour", r.hourSec());
        g.writeStringProperty("currency", r.currency());
        double[] f = r.figures();
        for (int i = 0; i < f.length; i++) {
            g.writeName(ExpenseRecord.FIGURE_COLUMNS[i]);
            if (Double.isNaN(f[i])) {
                g.writeNull();
            } else {
                g.writeNumber(f[i]);
            }
        }
        if (r.version() > 0) {
            g.writeNumberProperty("deleted", r.deleted() ? 1 : 0);
            g.writeNumberProperty("version", r.version());
            g.writeNumberProperty("computed_at", r.computedAtSec());
        }
        g.writeEndObject();
    }

    /** Rows as {@code --dry-run} prints them: what k8s_expenses would store, one JSON object per line. */
    public static byte[] dryRunLines(List<CostRow> rows) {
        return jsonEachRow(rows.stream().map(ExpenseRecord::of).toList());
    }

    private static double[] figures(String[] f, int from) {
        double[] out = new double[ExpenseRecord.FIGURE_COLUMNS.length];
        for (int i = 0; i < out.length; i++) {
            String v = f[from + i];
            out[i] = v.equals(TabSeparated.NULL) ? Double.NaN : Double.parseDouble(v);
        }
        return out;
    }

    private static String share(Map<String, String> strings, String s) {
        return strings.computeIfAbsent(s, k -> k);
    }

    private static String quoted(Collection<String> values) {
        StringJoiner j = new StringJoiner(", ");
        values.forEach(v -> j.add(ClickHouseGateway.quote(v)));
        return j.toString();
    }
}
