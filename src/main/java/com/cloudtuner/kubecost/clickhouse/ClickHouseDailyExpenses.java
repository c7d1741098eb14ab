package com.cloudtuner.kubecost.clickhouse;

import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * {@link DailyExpenses} rebuilt a day at a time: the day's rows are computed from
 * {@code k8s_expenses} into a staging table and swapped into {@code k8s_expenses_daily} with
 * {@code ALTER TABLE ... REPLACE PARTITION}, which is atomic. A reader sees the day before or after
 * the swap, never a row twice, so no row ever needs cancelling and the sums are exact at any merge
 * state. Two rebuilds of a day at once cannot double it either: each replaces the whole day. The one
 * thing a swap could lose is a write to {@code k8s_expenses} that landed after the day was computed:
 * after its swap a rebuild looks for parts inserted since it began that hold hours of the day, and
 * computes the day again if there are any. (Every writer rebuilds its days after writing, so the
 * last swap of a day always follows its last write.)
 */
public final class ClickHouseDailyExpenses implements DailyExpenses {

    private static final Logger log = LoggerFactory.getLogger(ClickHouseDailyExpenses.class);

    static final String TABLE = "k8s_expenses_daily";
    static final String BUILDS = "k8s_expenses_daily_builds";
    private static final String STAGING_PREFIX = TABLE + "_build_";
    /** Computations of one day before giving up while other writers keep inserting hours of it. */
    private static final int ATTEMPTS = 10;
    /** Between attempts, a random pause of up to this: two writers rebuilding in lockstep would keep colliding. */
    private static final long MAX_BACKOFF_MS = 250;
    private static final Duration ABANDONED_STAGING = Duration.ofDays(1);

    private final ClickHouseGateway ch;
    private final DayWrites writes;

    public ClickHouseDailyExpenses(ClickHouseGateway ch) {
        this.ch = ch;
        this.writes = DayWrites.of(ch);
    }

    @Override
    public SortedSet<LocalDate> rebuild(Collection<LocalDate> days, String runId) {
        SortedSet<LocalDate> todo = new TreeSet<>(days);
        todo.addAll(neverBuilt());
        if (todo.isEmpty()) {
            return todo;
        }
        dropAbandonedStaging();
        String staging = STAGING_PREFIX + UUID.randomUUID().toString().replace("-", "");
        // on a cluster the daily table is replicated: its staging is a plain table on this node only
        ch.execute("CREATE TABLE " + staging + " AS " + TABLE + (ch.cluster().isEmpty() ? ""
                : " ENGINE = MergeTree PARTITION BY intDiv(toUInt32(date), 86400) ORDER BY (cloud_account_id, resource_id, date)"));
        try {
            for (LocalDate day : todo) {
                rebuildDay(day, staging, runId);
            }
        } finally {
            ch.execute("DROP TABLE IF EXISTS " + staging);
        }
        return todo;
    }

    private void rebuildDay(LocalDate day, String staging, String runId) {
        long start = DayWrites.start(day);
        String partition = Long.toString(start / DayWrites.DAY_SECONDS);
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            Map<String, Long> before = writes.mark(day);
            ch.execute("TRUNCATE TABLE " + staging);
            ch.execute(dayRows(staging, start));
            long resourceDays = ClickHouseGateway.longValue(ch.select("SELECT count() AS n FROM " + staging).get(0).get("n"));
            // Current ClickHouse refuses to replace a partition from an empty one; dropping it is as atomic.
            ch.execute("ALTER TABLE " + TABLE + (resourceDays == 0 ? " DROP PARTITION " + partition
                    : " REPLACE PARTITION " + partition + " FROM " + staging));
            if (!writes.insertedSince(before, day)) {
                recordBuild(day, resourceDays, runId);
                return;
            }
            log.info("daily day={} written to while it was rebuilt: computing it again (attempt {})", day, attempt + 1);
            backOff();
        }
        throw new ClickHouseException(0, true, TABLE + ": hours of " + day + " kept being written while it was rebuilt "
                + ATTEMPTS + " times; the writer rebuilds it after its writes, or run again", null);
    }

    private static void backOff() {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(MAX_BACKOFF_MS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClickHouseException(0, true, TABLE + ": interrupted while rebuilding", e);
        }
    }

    /**
     * The day's billed rows: per key of k8s_expenses its newest version (what FINAL keeps; argMax
     * over the version reads only the day, where FINAL would merge the month), tombstones and
     * provisional hours left out, summed per resource, day and currency.
     */
    private static String dayRows(String staging, long dayStart) {
        return "INSERT INTO " + staging + " (cloud_account_id, resource_id, date, cost, sign, cluster, namespace, currency,"
                + " cpu_cost, ram_cost, pv_cost, network_cost, lb_cost, hours)"
                + " SELECT cloud_account_id, rid, toDateTime(toStartOfDay(hour)) AS day_start, sum(c), 1, cluster, namespace, cur,"
                + " sum(cpu), sum(ram), sum(pv), sum(net), sum(lb), count()"
                + " FROM (SELECT cloud_account_id, cluster, namespace, hour,"
                + " argMax(resource_id, version) AS rid, argMax(currency, version) AS cur, argMax(cost, version) AS c,"
                + " argMax(cpu_cost, version) AS cpu, argMax(ram_cost, version) AS ram, argMax(pv_cost, version) AS pv,"
                + " argMax(network_cost, version) AS net, argMax(lb_cost, version) AS lb,"
                + " argMax(deleted, version) AS del, argMax(provisional, version) AS prov"
                + " FROM k8s_expenses WHERE hour >= toDateTime(" + dayStart + ")"
                + " AND hour < toDateTime(" + (dayStart + DayWrites.DAY_SECONDS) + ")"
                + " GROUP BY cloud_account_id, cluster, namespace, hour)"
                + " WHERE del = 0 AND prov = 0"
                + " GROUP BY cloud_account_id, rid, day_start, cluster, namespace, cur";
    }

    private void recordBuild(LocalDate day, long resourceDays, String runId) {
        ch.execute("INSERT INTO " + BUILDS + " (day, built_at, resource_days, run_id) VALUES (toDate('" + day + "'), now(), "
                + resourceDays + ", " + ClickHouseGateway.quote(runId) + ")");
    }

    /**
     * Days k8s_expenses may hold that were never built (rows written before k8s_expenses_daily
     * existed): every day its parts' hours span, less the days built. A span may include days
     * without rows; building one records it as empty.
     */
    private SortedSet<LocalDate> neverBuilt() {
        SortedSet<LocalDate> days = writes.daysWithParts();
        if (days.isEmpty()) {
            return days;
        }
        Set<LocalDate> built = new HashSet<>();
        for (JsonNode row : ch.select("SELECT DISTINCT toString(day) AS day FROM " + BUILDS)) {
            built.add(LocalDate.parse(row.get("day").asString()));
        }
        days.removeAll(built);
        if (!days.isEmpty()) {
            log.info("daily days_never_built={} from={} to={}: building them", days.size(), days.first(), days.last());
        }
        return days;
    }

    /** Staging tables of rebuilds that died before dropping theirs. */
    private void dropAbandonedStaging() {
        List<String> abandoned = new ArrayList<>();
        for (JsonNode row : ch.select("SELECT name FROM system.tables WHERE database = currentDatabase() AND startsWith(name, '"
                + STAGING_PREFIX + "') AND toUnixTimestamp(metadata_modification_time) < toUnixTimestamp(now()) - "
                + ABANDONED_STAGING.toSeconds())) {
            abandoned.add(row.get("name").asString());
        }
        for (String table : abandoned) {
            ch.execute("DROP TABLE IF EXISTS " + table);
        }
        if (!abandoned.isEmpty()) {
            log.info("daily dropped abandoned staging tables: {}", abandoned.stream().collect(Collectors.joining(", ")));
        }
    }
}
