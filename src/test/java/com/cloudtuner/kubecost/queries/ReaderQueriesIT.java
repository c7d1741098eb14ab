package com.cloudtuner.kubecost.queries;

import static java.util.Comparator.comparing;
import static org.assertj.core.api.Assertions.assertThat;

import com.cloudtuner.kubecost.clickhouse.ClickHouseGateway;
import com.cloudtuner.kubecost.clickhouse.MigrationSource;
import com.cloudtuner.kubecost.clickhouse.Migrator;
import com.cloudtuner.kubecost.config.ClickHouseProperties;
import com.cloudtuner.kubecost.queries.StoredExpenses.History;
import com.cloudtuner.kubecost.queries.StoredExpenses.Version;
import com.cloudtuner.kubecost.testing.RealServers;
import com.cloudtuner.kubecost.testing.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The db/queries files run against a real ClickHouse on rows inserted straight into k8s_expenses,
 * every version of them (rewrites, tombstones, an erased range), in shuffled batches. The expected
 * answers are worked out in plain Java from the generated rows, never from SQL.
 */
@ExtendWith(RealServers.class)
class ReaderQueriesIT {

    private static final List<String> ASKED = List.of("acme", "globex", "o'neil"); // a quote the caller must escape
    private static final String NOT_ASKED = "initech";
    private static final LocalDate START = LocalDate.parse("2025-10-13");
    private static final LocalDate END = LocalDate.parse("2025-10-15");
    /** Hours from before START to after END, so the range's edges have rows on both sides. */
    private static final Instant FIRST_HOUR = Instant.parse("2025-10-12T18:00:00Z");
    private static final Instant AFTER_LAST_HOUR = Instant.parse("2025-10-16T06:00:00Z");
    /** The hour in progress of a run with --current-hour: its newest versions are provisional rows. */
    private static final Instant PROVISIONAL_HOUR = Instant.parse("2025-10-15T23:00:00Z");
    private static final DateTimeFormatter CLICKHOUSE_DATETIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private static ClickHouseProperties clickhouse;
    private static StoredExpenses stored;
    /** The rows a reader should see in [START, END] for the ASKED accounts. */
    private static List<Version> expectedVisible;

    @BeforeAll
    static void storeEveryKindOfRow(TestDatabase db) {
        db.recreate();
        clickhouse = db.properties();
        List<String> accounts = new ArrayList<>(ASKED);
        accounts.add(NOT_ASKED);
        stored = StoredExpenses.generate(20251013, accounts, FIRST_HOUR, AFTER_LAST_HOUR,
                "acme", Instant.parse("2025-10-14T10:00:00Z"), Instant.parse("2025-10-14T15:00:00Z"));
        try (ClickHouseGateway ch = db.newGateway()) {
            new Migrator(ch, MigrationSource.classpath(), Duration.ofMinutes(1), Clock.systemUTC()).migrate();
            // Shuffled, in three inserts: newer versions often land before older ones and in other parts.
            List<Version> shuffled = new ArrayList<>(stored.versions());
            Collections.shuffle(shuffled, new Random(7));
            int third = shuffled.size() / 3 + 1;
            for (int i = 0; i < shuffled.size(); i += third) {
                ch.insertJsonEachRow("k8s_expenses", jsonEachRow(shuffled.subList(i, Math.min(shuffled.size(), i + third))));
            }
        }
        expectedVisible = stored.current().stream()
                .filter(v -> ASKED.contains(v.key().account()))
                .filter(v -> !v.key().date().isBefore(START) && !v.key().date().isAfter(END))
                .toList();

        // The data must exercise what the queries have to get right, or the comparisons prove little.
        List<Version> inRange = stored.versions().stream()
                .filter(v -> !v.key().date().isBefore(START) && !v.key().date().isAfter(END)).toList();
        Set<History> histories = inRange.stream().map(Version::history).collect(Collectors.toCollection(() -> EnumSet.noneOf(History.class)));
        assertThat(histories).isEqualTo(EnumSet.allOf(History.class));
        assertThat(expectedVisible).anyMatch(ReaderQueriesIT::provisional);
        assertThat(stored.current()).anyMatch(v -> v.key().account().equals(NOT_ASKED) && v.key().date().equals(START));
        assertThat(stored.current()).anyMatch(v -> ASKED.contains(v.key().account()) && v.key().date().equals(START.minusDays(1)));
        assertThat(stored.current()).anyMatch(v -> ASKED.contains(v.key().account()) && v.key().date().equals(END.plusDays(1)));
    }

    private static byte[] jsonEachRow(List<Version> rows) {
        JsonMapper json = JsonMapper.builder().build();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Version v : rows) {
            ObjectNode row = json.createObjectNode()
                    .put("cloud_account_id", v.key().account())
                    .put("cluster", v.key().cluster())
                    .put("namespace", v.key().namespace())
                    .put("resource_id", v.key().resourceId())
                    .put("hour", v.key().hour().getEpochSecond())
                    .put("currency", v.currency())
                    .put("cost", v.cost())
                    .put("cpu_cost", v.cpu())
                    .put("ram_cost", v.ram())
                    .put("pv_cost", v.pv())
                    .put("network_cost", v.network())
                    .put("lb_cost", v.lb())
                    .put("coverage", 1.0)
                    .put("deleted", v.deleted() ? 1 : 0)
                    .put("version", v.version())
                    .put("computed_at", 1760400000L)
                    .put("provisional", provisional(v) ? 1 : 0);
            row.putNull("cpu_efficiency").putNull("ram_efficiency").putNull("total_efficiency");
            out.writeBytes((row + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    private static boolean provisional(Version v) {
        return v.key().hour().equals(PROVISIONAL_HOUR);
    }

    private static Map<String, String> parameters() {
        return Map.of("cloud_account_ids", ASKED.stream().map(ClickHouseGateway::quote).collect(Collectors.joining(", ")),
                "start_date", START.toString(), "end_date", END.toString());
    }

    // --- clean_expenses.sql ---------------------------------------------------------------------

    record CleanRow(String cloudAccountId, String resourceId, double totalCost) {
    }

    private static final Comparator<CleanRow> MOST_EXPENSIVE_FIRST = comparing(CleanRow::totalCost).reversed()
            .thenComparing(CleanRow::cloudAccountId).thenComparing(CleanRow::resourceId);

    private static List<CleanRow> expectedCleanExpenses() {
        Map<List<String>, Double> sums = new LinkedHashMap<>();
        for (Version v : expectedVisible) {
            if (provisional(v)) {
                continue; // billed totals leave the hour in progress out
            }
            sums.merge(List.of(v.key().account(), v.key().resourceId()), v.cost(), Double::sum);
        }
        List<CleanRow> rows = new ArrayList<>();
        sums.forEach((k, cost) -> rows.add(new CleanRow(k.get(0), k.get(1), cost)));
        rows.sort(MOST_EXPENSIVE_FIRST);
        return rows;
    }

    private static List<CleanRow> cleanRows(JsonFormatQuery.Result result) {
        return result.rows().stream().map(r -> new CleanRow(r.get("cloud_account_id").asString(),
                r.get("resource_id").asString(), r.get("total_cost").asDouble())).toList();
    }

    @Test
    void cleanExpensesSumsEachNamespaceOverTheDaysMostExpensiveFirstWithATotal() throws Exception {
        JsonFormatQuery.Result result = JsonFormatQuery.run(clickhouse, ReaderQueryFile.named("clean_expenses.sql").render(parameters()));

        assertThat(result.types()).containsExactlyEntriesOf(cleanExpensesTypes());
        List<CleanRow> expected = expectedCleanExpenses();
        assertThat(cleanRows(result)).containsExactlyElementsOf(expected);
        assertThat(result.totals()).as("WITH TOTALS").isNotNull();
        assertThat(result.totals().get("total_cost").asDouble())
                .isEqualTo(expectedVisible.stream().filter(v -> !provisional(v)).mapToDouble(Version::cost).sum());
    }

    /** The columns of the REST API's clean_expenses over its cloud expenses table: what UNION ALL needs to match. */
    private static Map<String, String> cleanExpensesTypes() {
        Map<String, String> types = new LinkedHashMap<>();
        types.put("cloud_account_id", "String");
        types.put("resource_id", "String");
        types.put("total_cost", "Float64");
        return types;
    }

    @Test
    void cleanExpensesCombinesWithTheCloudExpensesQueryThroughUnionAll(TestDatabase db) throws Exception {
        // The cloud side as the REST API keeps it: a CollapsingMergeTree of daily rows with a sign.
        db.execute("CREATE TABLE IF NOT EXISTS expenses (cloud_account_id String, resource_id String, date DateTime,"
                + " cost Float64, sign Int8) ENGINE = CollapsingMergeTree(sign) PARTITION BY toYYYYMM(date)"
                + " ORDER BY (cloud_account_id, resource_id, date)");
        db.execute("TRUNCATE TABLE expenses");
        db.execute("INSERT INTO expenses VALUES ('acme', 'i-0001', '2025-10-13 00:00:00', 10.5, 1),"
                + " ('acme', 'i-0001', '2025-10-14 00:00:00', 4.25, 1), ('globex', 'vol-7', '2025-10-15 00:00:00', 0.5, 1)");
        String cloud = "SELECT cloud_account_id, resource_id, SUM(cost * sign) AS total_cost FROM expenses"
                + " WHERE cloud_account_id IN (" + parameters().get("cloud_account_ids") + ")"
                + " AND date >= toDateTime('2025-10-13 00:00:00') AND date <= toDateTime('2025-10-15 00:00:00')"
                + " GROUP BY cloud_account_id, resource_id";
        // UNION ALL members go without WITH TOTALS and ORDER BY; the outer query adds both back.
        String k8s = ReaderQueryFile.named("clean_expenses.sql").render(parameters());
        assertThat(k8s).contains("WITH TOTALS");
        String k8sMember = k8s.substring(0, k8s.indexOf("WITH TOTALS")).strip();
        String combined = "SELECT cloud_account_id, resource_id, sum(total_cost) AS total_cost FROM (\n"
                + cloud + "\nUNION ALL\n" + k8sMember + "\n) GROUP BY cloud_account_id, resource_id WITH TOTALS"
                + " ORDER BY total_cost DESC, cloud_account_id, resource_id";

        JsonFormatQuery.Result result = JsonFormatQuery.run(clickhouse, combined);

        List<CleanRow> expected = new ArrayList<>(expectedCleanExpenses());
        expected.add(new CleanRow("acme", "i-0001", 14.75));
        expected.add(new CleanRow("globex", "vol-7", 0.5));
        expected.sort(MOST_EXPENSIVE_FIRST);
        assertThat(result.types()).containsExactlyEntriesOf(cleanExpensesTypes());
        assertThat(cleanRows(result)).containsExactlyElementsOf(expected);
        assertThat(result.totals().get("total_cost").asDouble())
                .isEqualTo(expected.stream().mapToDouble(CleanRow::totalCost).sum());
    }

    // --- daily_costs.sql --------------------------------------------------------------------------

    record DailyKey(String cloudAccountId, String cluster, String namespace, String resourceId, LocalDate date, String currency) {
    }

    record DailyCosts(double cost, double cpu, double ram, double pv, double network, double lb, long hours,
                      long provisionalHours) {
        DailyCosts plus(Version v) {
            return new DailyCosts(cost + v.cost(), cpu + v.cpu(), ram + v.ram(), pv + v.pv(), network + v.network(),
                    lb + v.lb(), hours + 1, provisionalHours + (provisional(v) ? 1 : 0));
        }
    }

    @Test
    void dailyCostsBreakEachDayDownByClusterAndNamespace() throws Exception {
        Comparator<DailyKey> order = comparing(DailyKey::cloudAccountId).thenComparing(DailyKey::cluster)
                .thenComparing(DailyKey::namespace).thenComparing(DailyKey::date).thenComparing(DailyKey::currency);
        Map<DailyKey, DailyCosts> expected = new TreeMap<>(order);
        for (Version v : expectedVisible) {
            DailyKey key = new DailyKey(v.key().account(), v.key().cluster(), v.key().namespace(), v.key().resourceId(),
                    v.key().date(), v.currency());
            expected.merge(key, new DailyCosts(0, 0, 0, 0, 0, 0, 0, 0).plus(v), (a, b) -> a.plus(v));
        }

        JsonFormatQuery.Result result = JsonFormatQuery.run(clickhouse, ReaderQueryFile.named("daily_costs.sql").render(parameters()));

        assertThat(result.types()).containsExactlyEntriesOf(orderedMap(
                "cloud_account_id", "String", "cluster", "String", "namespace", "String", "resource_id", "String",
                "date", "Date", "currency", "String", "cost", "Float64", "cpu_cost", "Float64", "ram_cost", "Float64",
                "pv_cost", "Float64", "network_cost", "Float64", "lb_cost", "Float64", "hours", "UInt64", "provisional_hours", "UInt64"));
        Map<DailyKey, DailyCosts> actual = new LinkedHashMap<>();
        for (JsonNode r : result.rows()) {
            actual.put(new DailyKey(r.get("cloud_account_id").asString(), r.get("cluster").asString(), r.get("namespace").asString(),
                            r.get("resource_id").asString(), LocalDate.parse(r.get("date").asString()), r.get("currency").asString()),
                    new DailyCosts(r.get("cost").asDouble(), r.get("cpu_cost").asDouble(), r.get("ram_cost").asDouble(),
                            r.get("pv_cost").asDouble(), r.get("network_cost").asDouble(), r.get("lb_cost").asDouble(),
                            ClickHouseGateway.longValue(r.get("hours")), ClickHouseGateway.longValue(r.get("provisional_hours"))));
        }
        assertThat(actual).containsExactlyEntriesOf(expected); // the same entries in the same order
    }

    // --- namespace_resources.sql ------------------------------------------------------------------

    record ResourceRow(String resourceId, String cloudAccountId, String cluster, String namespace,
                       Instant firstSeenHour, Instant lastSeenHour, double totalCost) {
    }

    @Test
    void namespaceResourcesListEachNamespaceWithItsFirstAndLastHourAndCost() throws Exception {
        Map<List<String>, ResourceRow> byNamespace = new TreeMap<>(comparing((List<String> k) -> k.get(0))
                .thenComparing(k -> k.get(1)).thenComparing(k -> k.get(2)));
        for (Version v : expectedVisible) {
            StoredExpenses.Key k = v.key();
            byNamespace.merge(List.of(k.account(), k.cluster(), k.namespace()),
                    new ResourceRow(k.resourceId(), k.account(), k.cluster(), k.namespace(), k.hour(), k.hour(), v.cost()),
                    (a, b) -> new ResourceRow(a.resourceId(), a.cloudAccountId(), a.cluster(), a.namespace(),
                            a.firstSeenHour().isBefore(b.firstSeenHour()) ? a.firstSeenHour() : b.firstSeenHour(),
                            a.lastSeenHour().isAfter(b.lastSeenHour()) ? a.lastSeenHour() : b.lastSeenHour(),
                            a.totalCost() + b.totalCost()));
        }

        JsonFormatQuery.Result result = JsonFormatQuery.run(clickhouse,
                ReaderQueryFile.named("namespace_resources.sql").render(parameters()));

        assertThat(result.types()).containsExactlyEntriesOf(orderedMap(
                "resource_id", "String", "cloud_account_id", "String", "cluster", "String", "namespace", "String",
                "first_seen_hour", "DateTime('UTC')", "last_seen_hour", "DateTime('UTC')", "total_cost", "Float64"));
        List<ResourceRow> actual = result.rows().stream().map(r -> new ResourceRow(r.get("resource_id").asString(),
                r.get("cloud_account_id").asString(), r.get("cluster").asString(), r.get("namespace").asString(),
                utc(r.get("first_seen_hour").asString()), utc(r.get("last_seen_hour").asString()),
                r.get("total_cost").asDouble())).toList();
        assertThat(actual).containsExactlyElementsOf(byNamespace.values());
    }

    private static Instant utc(String clickhouseDateTime) {
        return LocalDateTime.parse(clickhouseDateTime, CLICKHOUSE_DATETIME).toInstant(ZoneOffset.UTC);
    }

    private static Map<String, String> orderedMap(String... keysAndValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
