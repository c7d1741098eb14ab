package com.cloudtuner.kubecost.clickhouse;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;

/**
 * What a rebuild of a day of {@code k8s_expenses_daily} needs to know about writes to
 * {@code k8s_expenses}: a mark of the newest insert before it computes the day, whether an insert
 * came after that mark, and the days the table's parts span.
 *
 * <p>On a single node the mark is the newest block number of the day's partition (month), and a part
 * holding hours of the day with a larger block is a later insert (a part merged with one counts too).
 * On a cluster, block numbers are counted per shard and 18.16 cannot say which shard a part of
 * {@code cluster(...)} comes from, so the mark is, per shard, the newest ZooKeeper transaction id among
 * the insert (deduplication) entries of the month's partition: ZooKeeper's ids grow across the whole
 * cluster, a merge writes no such entry, and every insert of a replicated table does. It is coarser
 * (any insert into the month, not only the day's hours), so a rebuild may compute a day once more.
 */
abstract sealed class DayWrites {

    static final long DAY_SECONDS = 86_400;

    /** The newest insert so far, per shard (one entry on a single node). */
    abstract Map<String, Long> mark(LocalDate day);

    /** Whether an insert of hours of the day came after {@code before}. */
    abstract boolean insertedSince(Map<String, Long> before, LocalDate day);

    /** The UTC days that the active parts of k8s_expenses span (a span may include days without rows). */
    abstract SortedSet<LocalDate> daysWithParts();

    static DayWrites of(ClickHouseGateway ch) {
        return ch.cluster().isEmpty() ? new SingleNode(ch) : new Cluster(ch);
    }

    static String month(LocalDate day) {
        return String.format("%04d%02d", day.getYear(), day.getMonthValue());
    }

    /** The day's first second, UTC. */
    static long start(LocalDate day) {
        return day.atStartOfDay(ZoneOffset.UTC).toEpochSecond();
    }

    static SortedSet<LocalDate> spannedDays(ClickHouseGateway ch, String parts, String table) {
        SortedSet<LocalDate> days = new TreeSet<>();
        for (JsonNode part : ch.select("SELECT DISTINCT toUnixTimestamp(min_time) AS first, toUnixTimestamp(max_time) AS last"
                + " FROM " + parts + " WHERE database = " + ClickHouseGateway.quote(ch.database()) + " AND table = '" + table
                + "' AND active")) {
            LocalDate first = utcDay(ClickHouseGateway.longValue(part.get("first")));
            LocalDate last = utcDay(ClickHouseGateway.longValue(part.get("last")));
            for (LocalDate d = first; !d.isAfter(last); d = d.plusDays(1)) {
                days.add(d);
            }
        }
        return days;
    }

    private static LocalDate utcDay(long epochSecond) {
        return Instant.ofEpochSecond(epochSecond).atZone(ZoneOffset.UTC).toLocalDate();
    }

    static final class SingleNode extends DayWrites {
        private final ClickHouseGateway ch;

        SingleNode(ClickHouseGateway ch) {
            this.ch = ch;
        }

        @Override
        Map<String, Long> mark(LocalDate day) {
            var rows = ch.select("SELECT max(max_block_number) AS block FROM system.parts WHERE database = currentDatabase()"
                    + " AND table = 'k8s_expenses' AND active AND partition = '" + month(day) + "'");
            return Map.of("", rows.isEmpty() ? 0 : ClickHouseGateway.longValue(rows.get(0).get("block")));
        }

        @Override
        boolean insertedSince(Map<String, Long> before, LocalDate day) {
            long start = start(day);
            return !ch.select("SELECT 1 AS newer FROM system.parts WHERE database = currentDatabase() AND table = 'k8s_expenses'"
                    + " AND active AND partition = '" + month(day) + "' AND max_block_number > " + before.get("")
                    + " AND toUnixTimestamp(max_time) >= " + start + " AND toUnixTimestamp(min_time) < " + (start + DAY_SECONDS)
                    + " LIMIT 1").isEmpty();
        }

        @Override
        SortedSet<LocalDate> daysWithParts() {
            return spannedDays(ch, "system.parts", "k8s_expenses");
        }
    }

    static final class Cluster extends DayWrites {
        private static final String LOCAL = ClusterDdl.columnsHolder("k8s_expenses");
        private final ClickHouseGateway ch;

        Cluster(ClickHouseGateway ch) {
            this.ch = ch;
        }

        @Override
        Map<String, Long> mark(LocalDate day) {
            Map<String, Long> newest = new HashMap<>();
            for (JsonNode shard : ch.select("SELECT DISTINCT zookeeper_path AS path FROM " + everyShard("replicas")
                    + " WHERE database = " + ClickHouseGateway.quote(ch.database()) + " AND table = '" + LOCAL + "'")) {
                String path = shard.get("path").asString();
                var rows = ch.select("SELECT max(czxid) AS zxid FROM system.zookeeper WHERE path = "
                        + ClickHouseGateway.quote(path + "/blocks") + " AND startsWith(name, '" + month(day) + "_')");
                newest.put(path, rows.isEmpty() ? 0 : ClickHouseGateway.longValue(rows.get(0).get("zxid")));
            }
            return newest;
        }

        @Override
        boolean insertedSince(Map<String, Long> before, LocalDate day) {
            Map<String, Long> now = mark(day);
            return now.entrySet().stream().anyMatch(e -> e.getValue() > before.getOrDefault(e.getKey(), 0L));
        }

        @Override
        SortedSet<LocalDate> daysWithParts() {
            return spannedDays(ch, everyShard("parts"), LOCAL);
        }

        /** A system table as every shard of the cluster has it (one replica each). */
        private String everyShard(String systemTable) {
            return "cluster('" + ch.cluster() + "', system, " + systemTable + ")";
        }
    }
}
