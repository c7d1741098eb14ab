package com.cloudtuner.kubecost.clickhouse;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A ReplacingMergeTree(version) table whose rows belong to one tenant ({@code cloud_account_id})
 * and carry {@code deleted}, {@code version} and {@code computed_at}. Knows how to read the stored
 * state of a tenant's hour range and to tell which fresh rows differ from it.
 */
final class VersionedTable {

    /** Relative tolerance when comparing stored and fresh numbers: 18.16 may parse a double one ulp off. */
    private static final double TOLERANCE = 1e-12;

    final String name;
    private final List<String> keyColumns;   // 'hour' is read and compared as unix seconds
    private final List<String> valueColumns;

    VersionedTable(String name, List<String> keyColumns, List<String> valueColumns) {
        this.name = name;
        this.keyColumns = List.copyOf(keyColumns);
        this.valueColumns = List.copyOf(valueColumns);
    }

    /** The newest version of every key of the tenant in [start, end), tombstones included. */
    Map<List<Object>, JsonNode> stored(ClickHouseGateway ch, String tenant, Instant start, Instant end) {
        List<String> select = new ArrayList<>();
        for (String c : keyColumns) {
            select.add(c.equals("hour") ? "toUnixTimestamp(hour) AS hour_unix" : c);
        }
        select.addAll(valueColumns);
        select.add("deleted");
        select.add("version");
        String sql = "SELECT " + String.join(", ", select) + " FROM " + name + " FINAL"
                + " WHERE cloud_account_id = " + ClickHouseGateway.quote(tenant)
                + " AND hour >= toDateTime(" + start.getEpochSecond() + ")"
                + " AND hour < toDateTime(" + end.getEpochSecond() + ")";
        Map<List<Object>, JsonNode> rows = new HashMap<>();
        for (JsonNode row : ch.select(sql)) {
            rows.put(key(row), row);
        }
        return rows;
    }

    List<Object> key(JsonNode row) {
        List<Object> key = new ArrayList<>(keyColumns.size());
        for (String c : keyColumns) {
            key.add(c.equals("hour") ? ClickHouseGateway.longValue(row.has("hour_unix") ? row.get("hour_unix") : row.get("hour"))
                    : row.get(c).asString());
        }
        return key;
    }

    static boolean isDeleted(JsonNode stored) {
        return ClickHouseGateway.longValue(stored.get("deleted")) != 0;
    }

    static long version(JsonNode stored) {
        return ClickHouseGateway.longValue(stored.get("version"));
    }

    /** Whether a fresh row says the same as the visible stored row of its key. */
    boolean sameValues(JsonNode fresh, JsonNode stored) {
        for (String c : valueColumns) {
            JsonNode a = fresh.get(c);
            JsonNode b = stored.get(c);
            if (a.isNull() || b.isNull()) {
                if (a.isNull() != b.isNull()) {
                    return false;
                }
            } else if (a.isNumber()) {
                if (!close(a.doubleValue(), Objects.requireNonNull(ClickHouseGateway.doubleOrNull(b)))) {
                    return false;
                }
            } else if (!a.asString().equals(b.asString())) {
                return false;
            }
        }
        return true;
    }

    private static boolean close(double a, double b) {
        return Math.abs(a - b) <= TOLERANCE * Math.max(1.0, Math.max(Math.abs(a), Math.abs(b)));
    }

    /** A tombstone for a stored row: its last values, marked deleted, at {@code version}. */
    ObjectNode tombstone(String tenant, JsonNode stored, long version, long computedAt) {
        ObjectNode t = ClickHouseGateway.json().createObjectNode();
        t.put("cloud_account_id", tenant);
        for (String c : keyColumns) {
            if (c.equals("hour")) {
                t.put("hour", ClickHouseGateway.longValue(stored.get("hour_unix")));
            } else {
                t.set(c, stored.get(c));
            }
        }
        for (String c : valueColumns) {
            t.set(c, stored.get(c));
        }
        t.put("deleted", 1);
        t.put("version", version);
        t.put("computed_at", computedAt);
        return t;
    }
}
