package com.cloudtuner.kubecost.queries;

import static java.util.Comparator.comparing;
import static org.assertj.core.api.Assertions.assertThat;

import com.cloudtuner.kubecost.clickhouse.ClickHouseDailyExpenses;
import com.cloudtuner.kubecost.clickhouse.ClickHouseGateway;
import com.cloudtuner.kubecost.clickhouse.MigrationSource;
import com.cloudtuner.kubecost.clickhouse.Migrator;
import com.cloudtuner.kubecost.queries.StoredExpenses.History;
import com.cloudtuner.kubecost.queries.StoredExpenses.Version;
import com.cloudtuner.kubecost.testing.ReaderDriver;
import com.cloudtuner.kubecost.testing.ReaderDriver.Call;
import com.cloudtuner.kubecost.testing.ReaderDriver.Result;
import com.cloudtuner.kubecost.testing.RealServers;
import com.cloudtuner.kubecost.testing.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The db/queries files run verbatim through the REST API's own driver (Debian's
 * python3-clickhouse-driver, {@code Client.execute(sql, params)} over the native protocol, with
 * the REST API's parameter types) against a real ClickHouse, on rows inserted straight into
 * k8s_expenses, every version of them (rewrites, tombstones, an erased range), in shuffled batches,
 * next to many rows of accounts nobody asks for. The expected answers are worked out in plain Java
 * from the generated rows, never from SQL.
 */
@ExtendWith(RealServers.class)
class ReaderQueriesIT {

    private static final List<String> ASKED = List.of("acme", "globex", "o'neil"); // a quote the driver must escape
    private static final String NOT_ASKED = "initech";
    private static final LocalDate START = LocalDate.parse("2025-10-13");
    private static final LocalDate END = LocalDate.parse("2025-10-15");
    /** Hours from before START to after END, so the range's edges have rows on both sides. */
    private static final Instant FIRST_HOUR = Instant.parse("2025-10-12T18:00:00Z");
    private static final Instant AFTER_LAST_HOUR = Instant.parse("2025-10-16T06:00:00Z");
    /** The hour in progress of a run with --current-hour: its newest versions are provisional rows. */
    private static final Instant PROVISIONAL_HOUR = Instant.parse("2025-10-15T23:00:00Z");
    /** Rows of other accounts, which no asked query may read. */
    private static final int OTHER_ROWS = 400_000;

    private static ReaderDriver driver;
    private static StoredExpenses stored;
    private static ClickHouseDailyExpenses daily;

    @BeforeAll
    static void storeEveryKindOfRow(TestDatabase db) {
        db.recreate();
        driver = new ReaderDriver(db);
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
            // Accounts sorted after the asked ones ("p..."), over the same hours.
            ch.execute("INSERT INTO k8s_expenses (cloud_account_id, cluster, namespace, resource_id, hour, currency, cost, version,"
                    + " computed_at) SELECT concat('p', toString(number % 2000)), 'prod', 'web', 'r', toDateTime("
                    + FIRST_HOUR.getEpochSecond() + " + 3600 * (intDiv(number, 2000) % 84)), 'USD', 1, 1, now()"
                    + " FROM system.numbers LIMIT " + OTHER_ROWS);
        }
        daily = new ClickHouseDailyExpenses(db.newGateway());
        daily.rebuild(List.of(), "reader-queries-it"); // every day k8s_expenses holds, never built yet

        // The data must exercise what the queries have to get right, or the comparisons prove little.
        Set<History> histories = inRange(stored.versions()).stream().map(Version::history)
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(History.class)));
        assertThat(histories).isEqualTo(EnumSet.allOf(History.class));
        assertThat(visible()).anyMatch(ReaderQueriesIT::provisional);
        assertThat(visible().stream().map(Version::currency).distinct()).containsExactlyInAnyOrder("USD", "EUR");
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

    private static List<Version> inRange(Collection<Version> versions) {
        return versions.stream().filter(v -> !v.key().date().isBefore(START) && !v.key().date().isAfter(END)).toList();
    }

    /** The rows a reader should see in [START, END] for the ASKED accounts. */
    private static List<Version> visible() {
        return inRange(stored.current()).stream().filter(v -> ASKED.contains(v.key().account())).toList();
    }

    /** Billed rows: the hour in progress left out. */
    private static List<Version> billed() {
        return visible().stream().filter(v -> !provisional(v)).toList();
    }

    private static long epoch(LocalDate day) {
        return day.atStartOfDay(ZoneOffset.UTC).toEpochSecond();
    }

    /**
     * The REST API's range: Unix seconds, inclusive. The end is the last day's last second, as a
     * date picker sends it; a day counts when its start lies in the range.
     */
    private static Call call(String file) {
        return new Call(ReaderQueryFile.named(file).statement()).tuple("cloud_account_ids", ASKED)
                .param("start_date", epoch(START)).param("end_date", epoch(END) + 86_399);
    }

    private static Result run(Call call) {
        Result result = driver.run(call);
        assertThat(result.error()).as("driver error").isNull();
        return result;
    }

    // --- clean_expenses.sql ---------------------------------------------------------------------

    record CleanRow(String cloudAccountId, String resourceId, double totalCost) {
    }

    private static final Comparator<CleanRow> MOST_EXPENSIVE_FIRST = comparing(CleanRow::totalCost).reversed()
            .thenComparing(CleanRow::cloudAccountId).thenComparing(CleanRow::resourceId);

    private static List<CleanRow> expectedClean(Predicate<Version> which) {
        Map<List<String>, Double> sums = new LinkedHashMap<>();
        for (Version v : billed()) {
            if (which.test(v)) {
                sums.merge(List.of(v.key().account(), v.key().resourceId()), v.cost(), Double::sum);
            }
        }
        List<CleanRow> rows = new ArrayList<>();
        sums.forEach((k, cost) -> rows.add(new CleanRow(k.get(0), k.get(1), cost)));
        rows.sort(MOST_EXPENSIVE_FIRST);
        return rows;
    }

    /** Data rows, then the WITH TOTALS row the REST API pops off the end. */
    private static List<CleanRow> cleanRows(Result result) {
        return result.rows().subList(0, result.rows().size() - 1).stream().map(r -> new CleanRow(
                result.value(r, "cloud_account_id").asString(), result.value(r, "resource_id").asString(),
                result.value(r, "total_cost").asDouble())).toList();
    }

    private static double totalsRow(Result result) {
        JsonNode totals = result.rows().get(result.rows().size() - 1);
        assertThat(result.value(totals, "cloud_account_id").asString()).isEmpty();
        return result.value(totals, "total_cost").asDouble();
    }

    private static Map<String, String> cleanExpensesTypes() {
        return orderedMap("cloud_account_id", "String", "resource_id", "String", "total_cost", "Float64");
    }

    @Test
    void cleanExpensesSumsEachNamespaceInOneCurrencyMostExpensiveFirstWithATotal() {
        for (String currency : List.of("USD", "EUR")) {
            Result result = run(call("clean_expenses.sql").param("currency", currency));

            assertThat(result.types()).containsExactlyEntriesOf(cleanExpensesTypes());
            List<CleanRow> expected = expectedClean(v -> v.currency().equals(currency));
            assertThat(expected).as("rows in " + currency).isNotEmpty();
            assertThat(cleanRows(result)).as(currency).containsExactlyElementsOf(expected);
            assertThat(totalsRow(result)).as(currency + " total").isEqualTo(expected.stream().mapToDouble(CleanRow::totalCost).sum());
        }
    }

    @Test
    void theRangeCountsADayWhenItsStartLiesInIt() {
        // From the middle of START (its start is before the range) to END's start exactly (inclusive).
        Result result = run(new Call(ReaderQueryFile.named("clean_expenses.sql").statement()).tuple("cloud_account_ids", ASKED)
                .param("start_date", epoch(START) + 3600).param("end_date", epoch(END)).param("currency", "USD"));

        List<CleanRow> expected = expectedClean(v -> v.currency().equals("USD") && v.key().date().isAfter(START));
        assertThat(cleanRows(result)).containsExactlyElementsOf(expected);
    }

    @Test
    void cleanExpensesCombinesWithTheCloudExpensesQueryThroughUnionAll(TestDatabase db) {
        // The cloud side as the REST API keeps it: a CollapsingMergeTree of daily rows with a sign.
        db.execute("CREATE TABLE IF NOT EXISTS expenses (cloud_account_id String, resource_id String, date DateTime,"
                + " cost Float64, sign Int8) ENGINE = CollapsingMergeTree(sign) PARTITION BY toYYYYMM(date)"
                + " ORDER BY (cloud_account_id, date, resource_id)");
        db.execute("TRUNCATE TABLE expenses");
        db.execute("INSERT INTO expenses VALUES ('acme', 'i-0001', '2025-10-13 00:00:00', 10.5, 1),"
                + " ('acme', 'i-0001', '2025-10-14 00:00:00', 4.25, 1), ('globex', 'vol-7', '2025-10-15 00:00:00', 0.5, 1)");
        String cloud = "SELECT cloud_account_id, resource_id, SUM(cost * sign) AS total_cost FROM expenses"
                + " WHERE cloud_account_id IN %(cloud_account_ids)s AND date >= %(start_date)s AND date <= %(end_date)s"
                + " GROUP BY cloud_account_id, resource_id";
        // UNION ALL members go without WITH TOTALS and ORDER BY; the outer query adds both back.
        String k8s = ReaderQueryFile.named("clean_expenses.sql").statement();
        String k8sMember = k8s.substring(0, k8s.indexOf("WITH TOTALS")).strip();
        String combined = "SELECT cloud_account_id, resource_id, sum(total_cost) AS total_cost FROM (\n"
                + cloud + "\nUNION ALL\n" + k8sMember + "\n) GROUP BY cloud_account_id, resource_id WITH TOTALS"
                + " ORDER BY total_cost DESC, cloud_account_id, resource_id";

        Result result = run(new Call(combined).tuple("cloud_account_ids", ASKED).param("start_date", epoch(START))
                .param("end_date", epoch(END) + 86_399).param("currency", "USD"));

        List<CleanRow> expected = new ArrayList<>(expectedClean(v -> v.currency().equals("USD")));
        expected.add(new CleanRow("acme", "i-0001", 14.75));
        expected.add(new CleanRow("globex", "vol-7", 0.5));
        expected.sort(MOST_EXPENSIVE_FIRST);
        assertThat(result.types()).containsExactlyEntriesOf(cleanExpensesTypes());
        assertThat(cleanRows(result)).containsExactlyElementsOf(expected);
        assertThat(totalsRow(result)).isEqualTo(expected.stream().mapToDouble(CleanRow::totalCost).sum());
    }

    // --- clean_expenses_daily.sql: the REST API's own query over k8s_expenses_daily ---------------

    private static List<String> askedResources() {
        List<String> ids = stored.versions().stream().filter(v -> ASKED.contains(v.key().account()))
                .map(v -> v.key().resourceId()).distinct().sorted().collect(Collectors.toCollection(ArrayList::new));
        ids.add("not-a-namespace");
        return ids;
    }

    private static Result restApiCleanExpenses() {
        return run(new Call(ReaderQueryFile.named("clean_expenses_daily.sql").statement())
                .externalTable("cloud_account_ids", ASKED).externalTable("resource_ids", askedResources())
                .param("start_date", epoch(START)).param("end_date", epoch(END) + 86_399));
    }

    /** The REST API orders by total_cost only: compare as a set, and check the order separately. */
    private static void assertRestApiAnswer(Result result, List<CleanRow> expected) {
        List<CleanRow> rows = cleanRows(result);
        assertThat(rows).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(rows).isSortedAccordingTo(comparing(CleanRow::totalCost).reversed());
        assertThat(totalsRow(result)).isEqualTo(expected.stream().mapToDouble(CleanRow::totalCost).sum());
    }

    @Test
    void theRestApisQueryOverTheDailyRelationGivesTheHourlyTotalsAtAnyMergeState(TestDatabase db) {
        List<CleanRow> expected = expectedClean(v -> true);
        assertThat(expected).anyMatch(r -> r.cloudAccountId().equals("globex"));

        assertRestApiAnswer(restApiCleanExpenses(), expected);
        assertThat(restApiCleanExpenses().types()).containsExactlyEntriesOf(cleanExpensesTypes());

        daily.rebuild(List.of(START, END), "again"); // rebuilt days replace, never add
        assertRestApiAnswer(restApiCleanExpenses(), expected);

        db.execute("OPTIMIZE TABLE k8s_expenses FINAL");
        db.execute("OPTIMIZE TABLE k8s_expenses_daily FINAL");
        assertRestApiAnswer(restApiCleanExpenses(), expected);
    }

    // --- k8s_costs.sql and k8s_costs_by_cluster.sql ---------------------------------------------------

    record Breakdown(double total, double cpu, double ram, double pv, double network, double lb, double management, long hours) {
        static final Breakdown ZERO = new Breakdown(0, 0, 0, 0, 0, 0, 0, 0);

        Breakdown plus(Version v) {
            return new Breakdown(total + v.cost(), cpu + v.cpu(), ram + v.ram(), pv + v.pv(), network + v.network(), lb + v.lb(),
                    0, hours + 1);
        }

        static Breakdown of(Result result, JsonNode r) {
            return new Breakdown(result.value(r, "total_cost").asDouble(), result.value(r, "cpu_cost").asDouble(),
                    result.value(r, "ram_cost").asDouble(), result.value(r, "pv_cost").asDouble(),
                    result.value(r, "network_cost").asDouble(), result.value(r, "load_balancer_cost").asDouble(),
                    result.value(r, "management_cost").asDouble(), result.value(r, "hours").asLong());
        }
    }

    private static Map<List<String>, Breakdown> expectedBreakdowns(Function<Version, List<String>> key) {
        Map<List<String>, Breakdown> expected = new TreeMap<>(comparing((List<String> k) -> String.join("\u0000", k)));
        for (Version v : billed()) {
            expected.merge(key.apply(v), Breakdown.ZERO.plus(v), (a, b) -> a.plus(v));
        }
        return expected;
    }

    @Test
    void k8sCostsBreakEachAccountsCostDownPerCurrency() {
        Result result = run(call("k8s_costs.sql"));

        assertThat(result.types()).containsExactlyEntriesOf(orderedMap("cloud_account_id", "String", "currency", "String",
                "total_cost", "Float64", "cpu_cost", "Float64", "ram_cost", "Float64", "pv_cost", "Float64",
                "network_cost", "Float64", "load_balancer_cost", "Float64", "management_cost", "Float64", "hours", "UInt64"));
        Map<List<String>, Breakdown> actual = new LinkedHashMap<>();
        for (JsonNode r : result.rows()) {
            actual.put(List.of(result.value(r, "cloud_account_id").asString(), result.value(r, "currency").asString()),
                    Breakdown.of(result, r));
        }
        Map<List<String>, Breakdown> expected = expectedBreakdowns(v -> List.of(v.key().account(), v.currency()));
        assertThat(expected.keySet()).contains(List.of("globex", "EUR"), List.of("globex", "USD")); // one account, two currencies
        assertThat(actual).containsExactlyEntriesOf(expected);
    }

    @Test
    void k8sCostsByClusterBreakEachClustersCostDownPerCurrency() {
        Result result = run(call("k8s_costs_by_cluster.sql"));

        assertThat(result.types().keySet()).containsExactly("cloud_account_id", "cluster", "currency", "total_cost", "cpu_cost",
                "ram_cost", "pv_cost", "network_cost", "load_balancer_cost", "management_cost", "hours");
        Map<List<String>, Breakdown> actual = new LinkedHashMap<>();
        for (JsonNode r : result.rows()) {
            actual.put(List.of(result.value(r, "cloud_account_id").asString(), result.value(r, "cluster").asString(),
                    result.value(r, "currency").asString()), Breakdown.of(result, r));
        }
        assertThat(actual).containsExactlyEntriesOf(
                expectedBreakdowns(v -> List.of(v.key().account(), v.key().cluster(), v.currency())));
    }

    // --- daily_costs.sql --------------------------------------------------------------------------

    record DailyCosts(double cost, double cpu, double ram, double pv, double network, double lb, long hours, long provisionalHours) {
        DailyCosts plus(Version v) {
            return new DailyCosts(cost + v.cost(), cpu + v.cpu(), ram + v.ram(), pv + v.pv(), network + v.network(),
                    lb + v.lb(), hours + 1, provisionalHours + (provisional(v) ? 1 : 0));
        }
    }

    @Test
    void dailyCostsBreakEachDayDownByClusterNamespaceAndCurrency() {
        Map<List<String>, DailyCosts> expected = new TreeMap<>(comparing((List<String> k) -> String.join("\u0000", k)));
        for (Version v : visible()) {
            List<String> key = List.of(v.key().account(), v.key().cluster(), v.key().namespace(), v.key().resourceId(),
                    Long.toString(epoch(v.key().date())), v.currency());
            expected.merge(key, new DailyCosts(0, 0, 0, 0, 0, 0, 0, 0).plus(v), (a, b) -> a.plus(v));
        }

        Result result = run(call("daily_costs.sql"));

        assertThat(result.types()).containsExactlyEntriesOf(orderedMap(
                "cloud_account_id", "String", "cluster", "String", "namespace", "String", "resource_id", "String",
                "date", "UInt32", "currency", "String", "cost", "Float64", "cpu_cost", "Float64", "ram_cost", "Float64",
                "pv_cost", "Float64", "network_cost", "Float64", "lb_cost", "Float64", "hours", "UInt64", "provisional_hours", "UInt64"));
        Map<List<String>, DailyCosts> actual = new LinkedHashMap<>();
        for (JsonNode r : result.rows()) {
            actual.put(List.of(result.value(r, "cloud_account_id").asString(), result.value(r, "cluster").asString(),
                            result.value(r, "namespace").asString(), result.value(r, "resource_id").asString(),
                            Long.toString(result.value(r, "date").asLong()), result.value(r, "currency").asString()),
                    new DailyCosts(result.value(r, "cost").asDouble(), result.value(r, "cpu_cost").asDouble(),
                            result.value(r, "ram_cost").asDouble(), result.value(r, "pv_cost").asDouble(),
                            result.value(r, "network_cost").asDouble(), result.value(r, "lb_cost").asDouble(),
                            result.value(r, "hours").asLong(), result.value(r, "provisional_hours").asLong()));
        }
        assertThat(actual).containsExactlyInAnyOrderEntriesOf(expected);
        assertThat(new ArrayList<>(actual.keySet())).isSortedAccordingTo(comparing((List<String> k) -> k.get(0))
                .thenComparing(k -> k.get(1)).thenComparing(k -> k.get(2)).thenComparing(k -> Long.parseLong(k.get(4)))
                .thenComparing(k -> k.get(5)));
    }

    // --- namespace_resources.sql ------------------------------------------------------------------

    record ResourceRow(String cloudAccountId, String cloudResourceId, String resourceType, String name, String k8sNamespace,
                       String cluster, long firstSeen, long lastSeen, String currency, double totalCost) {
    }

    @Test
    void namespaceResourcesGiveWhatTheBulkCreationNeedsForEachNamespace() {
        Map<List<String>, ResourceRow> byNamespace = new TreeMap<>(comparing((List<String> k) -> String.join("\u0000", k)));
        for (Version v : visible()) {
            StoredExpenses.Key k = v.key();
            long hour = k.hour().getEpochSecond();
            byNamespace.merge(List.of(k.account(), k.cluster(), k.namespace(), v.currency()),
                    new ResourceRow(k.account(), k.resourceId(), "K8s Namespace", k.namespace(), k.namespace(), k.cluster(),
                            hour, hour, v.currency(), v.cost()),
                    (a, b) -> new ResourceRow(a.cloudAccountId(), a.cloudResourceId(), a.resourceType(), a.name(), a.k8sNamespace(),
                            a.cluster(), Math.min(a.firstSeen(), b.firstSeen()), Math.max(a.lastSeen(), b.lastSeen()),
                            a.currency(), a.totalCost() + b.totalCost()));
        }

        Result result = run(call("namespace_resources.sql"));

        assertThat(result.types()).containsExactlyEntriesOf(orderedMap("cloud_account_id", "String", "cloud_resource_id", "String",
                "resource_type", "String", "name", "String", "k8s_namespace", "String", "cluster", "String",
                "first_seen", "UInt32", "last_seen", "UInt32", "currency", "String", "total_cost", "Float64"));
        List<ResourceRow> actual = result.rows().stream().map(r -> new ResourceRow(result.value(r, "cloud_account_id").asString(),
                result.value(r, "cloud_resource_id").asString(), result.value(r, "resource_type").asString(),
                result.value(r, "name").asString(), result.value(r, "k8s_namespace").asString(), result.value(r, "cluster").asString(),
                result.value(r, "first_seen").asLong(), result.value(r, "last_seen").asLong(), result.value(r, "currency").asString(),
                result.value(r, "total_cost").asDouble())).toList();
        assertThat(actual).containsExactlyElementsOf(byNamespace.values());
    }

    // --- what the reads cost ------------------------------------------------------------------------

    /**
     * Each query for the asked accounts reads their granules only: at most their rows plus two
     * partial granules per part, far below the other accounts' rows, as system.query_log counts
     * them (18.16 does not apply max_rows_to_read to a FINAL read). The count is real: the same
     * query over every account reads the other accounts' rows too.
     */
    @Test
    void eachQueryReadsTheAskedAccountsRowsOnly(TestDatabase db) {
        long askedRows = ClickHouseGateway.longValue(db.query("SELECT count() AS n FROM k8s_expenses WHERE cloud_account_id IN ("
                + ASKED.stream().map(ClickHouseGateway::quote).collect(Collectors.joining(", ")) + ")").get(0).get("n"));
        long parts = ClickHouseGateway.longValue(db.query("SELECT count() AS n FROM system.parts WHERE database = currentDatabase()"
                + " AND table = 'k8s_expenses' AND active").get(0).get("n"));
        long cap = askedRows + 2 * 8192 * parts;
        assertThat(cap).as("the cap must be far below the table").isLessThan(OTHER_ROWS / 2);
        List<String> everyAccount = new ArrayList<>(ASKED);
        for (int i = 0; i < 2000; i++) {
            everyAccount.add("p" + i);
        }

        for (ReaderQueryFile q : ReaderQueryFile.all()) {
            if (q.name().equals("clean_expenses_daily.sql")) {
                continue; // its table is small here; bench/reader.sh measures its reads
            }
            String asked = "asked-" + UUID.randomUUID();
            String wide = "wide-" + UUID.randomUUID();
            Call askedCall = call(q.name()).queryId(asked).setting("log_queries", 1);
            Call wideCall = new Call(q.statement()).tuple("cloud_account_ids", everyAccount).param("start_date", epoch(START))
                    .param("end_date", epoch(END) + 86_399).queryId(wide).setting("log_queries", 1);
            if (q.parameters().contains("currency")) {
                askedCall.param("currency", "USD");
                wideCall.param("currency", "USD");
            }
            run(askedCall);
            run(wideCall);
            db.execute("SYSTEM FLUSH LOGS");

            assertThat(readRows(db, asked)).as(q.name() + " rows read for the asked accounts").isPositive().isLessThanOrEqualTo(cap);
            assertThat(readRows(db, wide)).as(q.name() + " rows read for every account").isGreaterThan(cap);
        }
    }

    private static long readRows(TestDatabase db, String queryId) {
        return ClickHouseGateway.longValue(db.query("SELECT max(read_rows) AS n FROM system.query_log WHERE query_id = '"
                + queryId + "'").get(0).get("n"));
    }

    private static Map<String, String> orderedMap(String... keysAndValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
