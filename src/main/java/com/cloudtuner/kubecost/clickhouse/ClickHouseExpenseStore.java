package com.cloudtuner.kubecost.clickhouse;

import com.cloudtuner.kubecost.cost.ClusterHourKey;
import com.cloudtuner.kubecost.cost.CostResult;
import com.cloudtuner.kubecost.cost.CostRow;
import com.cloudtuner.kubecost.cost.Costs;
import com.cloudtuner.kubecost.cost.Figures;
import com.cloudtuner.kubecost.cost.Window;
import java.io.ByteArrayOutputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
    public Map<String, WriteResult> write(Collection<String> tenants, Window window, CostResult fresh, WriteKind kind) {
        // read even without fresh rows: provisional rows of the window are tombstoned by its final write
        StoredRows stored = stored(tenants, window);
        WritePlan plan = WritePlan.of(tenants, window, fresh, stored, kind, clock.instant());
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
        if (kind.eraseMissing()) {
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
            ch.selectRows("SELECT cloud_account_id, deleted, uniqExact(cluster, namespace, hour) AS n FROM " + EXPENSES
                    + inWindow(tenants, window) + " AND version = " + plan.version() + " GROUP BY cloud_account_id, deleted",
                    r -> applied.merge(r.string("cloud_account_id"), r.flag("deleted") ? new WriteResult(0, 0, (int) r.integer("n"))
                            : new WriteResult(0, (int) r.integer("n"), 0), WriteResult::plus));
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
    @Override
    public StoredRows stored(Collection<String> tenants, Window window) {
        String columns = "toUnixTimestamp(hour) AS hour_unix, " + ExpenseRecord.FIGURE_COLUMNS
                + ", deleted, version, toUnixTimestamp(computed_at) AS computed_at_unix, provisional";
        List<ExpenseRecord> expenses = new ArrayList<>();
        Map<String, String> strings = new HashMap<>();
        ch.selectRows("SELECT cloud_account_id, cluster, namespace, resource_id, " + columns + " FROM " + EXPENSES + " FINAL"
                + inWindow(tenants, window), r -> expenses.add(ExpenseRecord.read(r, share(strings, r.string("cloud_account_id")),
                share(strings, r.string("cluster")), share(strings, r.string("namespace")), r.string("resource_id"))));
        List<ExpenseRecord> clusters = new ArrayList<>();
        ch.selectRows("SELECT cloud_account_id, cluster, " + columns + " FROM " + CLUSTER_EXPENSES + " FINAL"
                + inWindow(tenants, window), r -> clusters.add(ExpenseRecord.read(r, share(strings, r.string("cloud_account_id")),
                share(strings, r.string("cluster")), null, null)));
        return new StoredRows(expenses, clusters);
    }

    private static String inWindow(Collection<String> tenants, Window window) {
        return " WHERE cloud_account_id IN (" + quoted(tenants) + ") AND hour >= toDateTime(" + window.start().getEpochSecond()
                + ") AND hour < toDateTime(" + window.end().getEpochSecond() + ")";
    }

    @Override
    public Map<String, Instant> newestData(Collection<String> tenants, Window window) {
        Map<String, Instant> newest = new HashMap<>();
        ch.selectRows("SELECT cloud_account_id, max(if(provisional = 1, toUnixTimestamp(computed_at), toUnixTimestamp(hour) + 3600))"
                + " AS newest_unix FROM (SELECT cloud_account_id, hour, computed_at, provisional, deleted FROM " + EXPENSES + " FINAL"
                + inWindow(tenants, window) + ") WHERE deleted = 0 GROUP BY cloud_account_id",
                r -> newest.put(r.string("cloud_account_id"), Instant.ofEpochSecond(r.integer("newest_unix"))));
        return newest;
    }

    @Override
    public Set<ClusterHourKey> clusterHoursWithRows(Collection<String> tenants, Window window) {
        Set<ClusterHourKey> hours = new HashSet<>();
        if (tenants.isEmpty()) {
            return hours;
        }
        ch.selectRows("SELECT DISTINCT cloud_account_id, cluster, toUnixTimestamp(hour) AS hour_unix FROM (SELECT cloud_account_id,"
                + " cluster, hour, deleted FROM " + EXPENSES + " FINAL" + inWindow(tenants, window) + ") WHERE deleted = 0",
                r -> hours.add(new ClusterHourKey(r.string("cloud_account_id"), r.string("cluster"),
                        Instant.ofEpochSecond(r.integer("hour_unix")))));
        return hours;
    }

    /** Tenants with visible rows in the window: what an erasing backfill must visit besides the discovered ones. */
    @Override
    public List<String> tenantsWithRows(Window window) {
        List<String> tenants = new ArrayList<>();
        // the window inside FINAL (18.16 would merge the whole table behind the view); it prunes partitions
        ch.selectRows("SELECT DISTINCT cloud_account_id FROM (SELECT cloud_account_id, deleted FROM " + EXPENSES
                + " FINAL WHERE hour >= toDateTime(" + window.start().getEpochSecond() + ") AND hour < toDateTime("
                + window.end().getEpochSecond() + ")) WHERE deleted = 0", r -> tenants.add(r.string("cloud_account_id")));
        return tenants;
    }

    /** Rows as ClickHouse stores them, one JSON object per line. */
    static byte[] jsonEachRow(List<ExpenseRecord> rows) {
        return jsonEachRow(rows, false);
    }

    /** @param isoHours the hour as an ISO-8601 instant, for people; ClickHouse 18.16 takes Unix seconds only */
    private static byte[] jsonEachRow(List<ExpenseRecord> rows, boolean isoHours) {
        ByteArrayOutputStream body = new ByteArrayOutputStream(rows.size() * 360);
        try (JsonGenerator g = ClickHouseGateway.json().createGenerator(body)) {
            for (ExpenseRecord r : rows) {
                writeRow(g, r, isoHours);
                g.writeRaw('\n');
            }
        }
        return body.toByteArray();
    }

    /** One row as JSON; without version fields (as {@code --dry-run} prints it) when it has none. */
    private static void writeRow(JsonGenerator g, ExpenseRecord r, boolean isoHour) {
        g.writeStartObject();
        g.writeStringProperty("cloud_account_id", r.tenant());
        g.writeStringProperty("cluster", r.cluster());
        if (r.namespace() != null) {
            g.writeStringProperty("namespace", r.namespace());
            g.writeStringProperty("resource_id", r.resourceId());
        }
        if (isoHour) {
            g.writeStringProperty("hour", r.hour().toString());
        } else {
            g.writeNumberProperty("hour", r.hour().getEpochSecond());
        }
        Figures f = r.figures();
        g.writeStringProperty("currency", f.currency());
        Costs c = f.costs();
        g.writeNumberProperty("cost", c.total());
        g.writeNumberProperty("cpu_cost", c.cpu());
        g.writeNumberProperty("ram_cost", c.ram());
        g.writeNumberProperty("pv_cost", c.pv());
        g.writeNumberProperty("network_cost", c.network());
        g.writeNumberProperty("lb_cost", c.lb());
        nullable(g, "cpu_efficiency", f.efficiencies().cpu());
        nullable(g, "ram_efficiency", f.efficiencies().ram());
        nullable(g, "total_efficiency", f.efficiencies().total());
        g.writeNumberProperty("coverage", f.coverage());
        if (r.version() > 0) {
            g.writeNumberProperty("deleted", r.deleted() ? 1 : 0);
            g.writeNumberProperty("version", r.version());
            g.writeNumberProperty("computed_at", r.computedAt().getEpochSecond());
            g.writeNumberProperty("provisional", r.provisional() ? 1 : 0);
        }
        g.writeEndObject();
    }

    /** Rows as {@code --dry-run} prints them: what k8s_expenses would store, one JSON object per line, hours in ISO-8601. */
    public static byte[] dryRunLines(List<CostRow> rows) {
        return jsonEachRow(rows.stream().map(ExpenseRecord::of).toList(), true);
    }

    private static void nullable(JsonGenerator g, String name, Double value) {
        g.writeName(name);
        if (value == null) {
            g.writeNull();
        } else {
            g.writeNumber(value);
        }
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
