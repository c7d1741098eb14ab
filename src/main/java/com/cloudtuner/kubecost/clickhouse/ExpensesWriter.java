package com.cloudtuner.kubecost.clickhouse;

import com.cloudtuner.kubecost.cost.ClusterHour;
import com.cloudtuner.kubecost.cost.CostResult;
import com.cloudtuner.kubecost.cost.CostRow;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes one tenant's computed window so that afterwards every cluster-hour the batch covers shows
 * exactly the batch's rows:
 * <ul>
 *   <li>rows that are new, or differ from the visible stored row, are inserted with a version larger
 *       than every stored version of the window; rows equal to what is stored are left alone, so
 *       rewriting a batch changes nothing, not even {@code version} or {@code computed_at};</li>
 *   <li>a visible stored key absent from the batch, in a cluster-hour the batch covers, gets a
 *       tombstone; a cluster-hour the batch has no data for keeps its rows, unless
 *       {@code eraseMissing} asks to clear the whole window;</li>
 *   <li>all of it goes to k8s_expenses in one insert; k8s_cluster_expenses follows the same rules.</li>
 * </ul>
 */
public final class ExpensesWriter {

    private static final Logger log = LoggerFactory.getLogger(ExpensesWriter.class);

    private final ClickHouseGateway ch;
    private final Clock clock;

    public ExpensesWriter(ClickHouseGateway ch, Clock clock) {
        this.ch = ch;
        this.clock = clock;
    }

    public WriteResult write(String tenant, Instant start, Instant end, CostResult batch, boolean eraseMissing) {
        List<ObjectNode> rows = new ArrayList<>();
        Set<List<Object>> covered = new HashSet<>(); // (cluster, hour) pairs the batch has data for
        for (CostRow r : batch.rows()) {
            checkBelongs(tenant, start, end, r.tenant(), r.hour());
            rows.add(ExpenseRows.toJson(r));
            covered.add(List.of(r.cluster(), r.hour().getEpochSecond()));
        }
        List<ObjectNode> clusterRows = new ArrayList<>();
        for (ClusterHour c : batch.clusterHours()) {
            checkBelongs(tenant, start, end, c.tenant(), c.hour());
            clusterRows.add(ExpenseRows.toJson(c));
        }
        if (rows.isEmpty() && clusterRows.isEmpty() && !eraseMissing) {
            return WriteResult.NOTHING; // no data in the window: history stays as it is
        }

        Map<List<Object>, JsonNode> stored = ExpenseRows.EXPENSES.stored(ch, tenant, start, end);
        Map<List<Object>, JsonNode> storedClusters = ExpenseRows.CLUSTER_EXPENSES.stored(ch, tenant, start, end);
        Instant now = clock.instant();
        long version = nextVersion(now, stored, storedClusters);

        Plan plan = plan(ExpenseRows.EXPENSES, tenant, rows, stored, covered, eraseMissing, version, now);
        insert(ExpenseRows.EXPENSES, plan);
        Plan clusterPlan = plan(ExpenseRows.CLUSTER_EXPENSES, tenant, clusterRows, storedClusters, covered, eraseMissing, version, now);
        insert(ExpenseRows.CLUSTER_EXPENSES, clusterPlan);

        if (eraseMissing && plan.tombstones > 0) {
            log.warn("ERASE tenant={} window={}..{}: tombstoned {} stored rows the metrics store no longer backs (--erase-missing)",
                    tenant, start, end, plan.tombstones);
        }
        return new WriteResult(rows.size(), plan.changed, plan.tombstones);
    }

    /** Tenants with visible rows in [start, end): what an erasing backfill must visit besides the discovered ones. */
    public List<String> tenantsWithRows(Instant start, Instant end) {
        return ch.select("SELECT DISTINCT cloud_account_id FROM k8s_expenses_current WHERE hour >= toDateTime("
                        + start.getEpochSecond() + ") AND hour < toDateTime(" + end.getEpochSecond() + ")")
                .stream().map(r -> r.get("cloud_account_id").asString()).toList();
    }

    private static void checkBelongs(String tenant, Instant start, Instant end, String rowTenant, Instant hour) {
        if (!tenant.equals(rowTenant) || hour.isBefore(start) || !hour.isBefore(end)
                || hour.getEpochSecond() % 3600 != 0) {
            throw new IllegalArgumentException("row of tenant " + rowTenant + " at " + hour
                    + " does not belong to the window " + tenant + " " + start + ".." + end);
        }
    }

    /** Larger than every stored version of the window's keys, and normally the current time in microseconds. */
    private static long nextVersion(Instant now, Map<List<Object>, JsonNode> stored, Map<List<Object>, JsonNode> storedClusters) {
        long version = ChronoUnit.MICROS.between(Instant.EPOCH, now);
        for (JsonNode s : stored.values()) {
            version = Math.max(version, VersionedTable.version(s) + 1);
        }
        for (JsonNode s : storedClusters.values()) {
            version = Math.max(version, VersionedTable.version(s) + 1);
        }
        return version;
    }

    private record Plan(List<ObjectNode> inserts, int changed, int tombstones) {
    }

    private static Plan plan(VersionedTable table, String tenant, List<ObjectNode> fresh, Map<List<Object>, JsonNode> stored,
                             Set<List<Object>> covered, boolean eraseMissing, long version, Instant now) {
        List<ObjectNode> inserts = new ArrayList<>();
        Set<List<Object>> freshKeys = new HashSet<>();
        for (ObjectNode row : fresh) {
            List<Object> key = table.key(row);
            freshKeys.add(key);
            JsonNode old = stored.get(key);
            if (old == null || VersionedTable.isDeleted(old) || !table.sameValues(row, old)) {
                row.put("deleted", 0);
                row.put("version", version);
                row.put("computed_at", now.getEpochSecond());
                inserts.add(row);
            }
        }
        int changed = inserts.size();
        for (Map.Entry<List<Object>, JsonNode> e : stored.entrySet()) {
            List<Object> key = e.getKey();
            if (freshKeys.contains(key) || VersionedTable.isDeleted(e.getValue())) {
                continue;
            }
            List<Object> clusterHour = List.of(key.get(0), key.get(key.size() - 1)); // (cluster, hour)
            if (eraseMissing || covered.contains(clusterHour)) {
                inserts.add(table.tombstone(tenant, e.getValue(), version, now.getEpochSecond()));
            }
        }
        return new Plan(inserts, changed, inserts.size() - changed);
    }

    private void insert(VersionedTable table, Plan plan) {
        if (plan.inserts.isEmpty()) {
            return;
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream(plan.inserts.size() * 400);
        for (ObjectNode row : plan.inserts) {
            body.writeBytes(row.toString().getBytes(StandardCharsets.UTF_8));
            body.write('\n');
        }
        ch.insertJsonEachRow(table.name, body.toByteArray());
    }
}
