package com.cloudtuner.kubecost.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.cloudtuner.kubecost.clickhouse.ClickHouseGateway;
import com.cloudtuner.kubecost.clickhouse.ClickHouseExpenseStore;
import com.cloudtuner.kubecost.clickhouse.WriteKind;
import com.cloudtuner.kubecost.cost.CostResult;
import com.cloudtuner.kubecost.cost.CostRow;
import com.cloudtuner.kubecost.cost.Costs;
import com.cloudtuner.kubecost.cost.Efficiencies;
import com.cloudtuner.kubecost.cost.ResourceIds;
import com.cloudtuner.kubecost.cost.Window;
import com.cloudtuner.kubecost.testing.FaultProxy;
import com.cloudtuner.kubecost.testing.PrometheusServer;
import com.cloudtuner.kubecost.testing.RealServers;
import com.cloudtuner.kubecost.testing.TestDatabase;
import com.cloudtuner.kubecost.testing.Worker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The backfill command over two days of {@link TwoDayScenario}, through the jar's entry point. */
@ExtendWith(RealServers.class)
class BackfillEndToEndIT {

    private static final List<String> VALID_TENANTS = List.of("acme", "globex", "initech");
    private static final String[] BACKFILL = {"backfill", "--from=2025-10-13", "--to=2025-10-15"};
    private static final String[] COLUMNS = {"cost", "cpu_cost", "ram_cost", "pv_cost", "network_cost", "lb_cost",
            "cpu_efficiency", "ram_efficiency", "total_efficiency", "coverage"};

    private static TestDatabase db;
    private static PrometheusServer prometheus;
    private static List<String> servers;
    private static Worker.Result first;
    private static List<String> viewAfterFirst;
    private static Worker.Result second;
    private static List<String> viewAfterSecond;

    @BeforeAll
    static void backfillTwice(TestDatabase database, PrometheusServer prom) {
        prom.load(TwoDayScenario.generate().dataset());
        db = database;
        prometheus = prom;
        servers = Worker.serverArgs(db, prom.url());
        first = Worker.run(servers, BACKFILL);
        viewAfterFirst = fullView();
        second = Worker.run(servers, BACKFILL);
        viewAfterSecond = fullView();
    }

    @Test
    void theViewHoldsExactlyTheRowsTheRulesGiveForTheGeneratedRates() {
        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertTheViewHoldsTheRulesRows(db);
    }

    /** Every row of k8s_expenses_current against {@link TwoDayScenario#expectedRows}, and no other row. */
    static void assertTheViewHoldsTheRulesRows(TestDatabase db) {
        assertTheViewHoldsTheRulesRows(db::query);
    }

    /** The same, for a database that {@code query} reads (a ClickHouse cluster's, say). */
    static void assertTheViewHoldsTheRulesRows(java.util.function.Function<String, List<JsonNode>> query) {
        Map<String, double[]> expected = TwoDayScenario.expectedRows(VALID_TENANTS);
        Map<String, JsonNode> actual = new TreeMap<>();
        for (JsonNode r : query.apply("SELECT *, toUnixTimestamp(hour) AS h FROM k8s_expenses_current")) {
            int hour = (int) ((r.get("h").asLong() - TwoDayScenario.START.getEpochSecond()) / 3600);
            actual.put(TwoDayScenario.key(r.get("cloud_account_id").asString(), r.get("cluster").asString(),
                    r.get("namespace").asString(), hour), r);
        }
        assertThat(actual.keySet()).containsExactlyElementsOf(expected.keySet());
        expected.forEach((key, want) -> {
            JsonNode row = actual.get(key);
            for (int i = 0; i < COLUMNS.length; i++) {
                JsonNode got = row.get(COLUMNS[i]);
                if (Double.isNaN(want[i])) {
                    assertThat(got.isNull()).as(key + " " + COLUMNS[i]).isTrue();
                } else {
                    assertThat(got.asDouble()).as(key + " " + COLUMNS[i]).isCloseTo(want[i], within(1e-9));
                }
            }
            String[] k = key.split("\\|");
            assertThat(row.get("currency").asString()).isEqualTo("USD");
            assertThat(row.get("resource_id").asString()).isEqualTo(ResourceIds.namespaceResourceId(k[0], k[1], k[2]).toString());
        });
        // the features are really in the data: spot checks of what the scenario promises
        assertThat(expected).containsKey("acme|prod|web|09").doesNotContainKey("acme|prod|web|10")
                .doesNotContainKey("acme|prod|late|29").containsKey("acme|prod|late|30");
        assertThat(expected.get("acme|prod|web|05")[9]).isEqualTo(40 / 60.0);
        assertThat(expected.get("globex|prod|db|07")[9]).isEqualTo(50 / 60.0);
        assertThat(expected.get("acme|prod|zero|00")[0]).isZero();
    }

    /** The daily relation the REST API reads: per resource and UTC day, the sum of the rules' hourly costs. */
    @Test
    void theDailyRelationSumsTheRulesHourlyCostsPerResourceAndDay() {
        Map<String, Double> expected = new TreeMap<>();
        TwoDayScenario.expectedRows(VALID_TENANTS).forEach((key, want) -> {
            String[] k = key.split("\\|");
            long day = (TwoDayScenario.START.getEpochSecond() + 3600L * Integer.parseInt(k[3])) / 86_400 * 86_400;
            expected.merge(k[0] + "|" + ResourceIds.namespaceResourceId(k[0], k[1], k[2]) + "|" + day, want[0], Double::sum);
        });
        Map<String, Double> actual = new TreeMap<>();
        for (JsonNode r : db.query("SELECT cloud_account_id, resource_id, toUnixTimestamp(date) AS d, sum(cost * sign) AS c,"
                + " sum(sign) AS s FROM k8s_expenses_daily GROUP BY cloud_account_id, resource_id, d")) {
            assertThat(r.get("s").asLong()).as("one row per resource and day").isEqualTo(1);
            actual.put(r.get("cloud_account_id").asString() + "|" + r.get("resource_id").asString() + "|" + r.get("d").asLong(),
                    r.get("c").asDouble());
        }
        assertThat(actual.keySet()).containsExactlyElementsOf(expected.keySet());
        expected.forEach((key, want) -> assertThat(actual.get(key)).as(key).isCloseTo(want, within(1e-9)));
    }

    @Test
    void backfillingAgainChangesNothing() {
        assertThat(second.exitCode()).as(second.toString()).isZero();
        assertThat(viewAfterSecond).isEqualTo(viewAfterFirst); // every column, version and computed_at included
        assertThat(second.out()).contains("3 tenants succeeded, 0 failed, 1 skipped");
    }

    @Test
    void theLedgerHasOneRowPerTenantAndRun() {
        Map<String, double[]> expected = TwoDayScenario.expectedRows(VALID_TENANTS);
        for (Worker.Result run : List.of(first, second)) {
            List<JsonNode> ledger = db.query("SELECT * FROM k8s_expenses_runs WHERE run_id = '" + run.runId() + "' ORDER BY cloud_account_id");
            assertThat(ledger).extracting(r -> r.get("cloud_account_id").asString()).containsExactlyElementsOf(VALID_TENANTS);
            for (JsonNode r : ledger) {
                String tenant = r.get("cloud_account_id").asString();
                long rows = expected.keySet().stream().filter(k -> k.startsWith(tenant + "|")).count();
                assertThat(r.get("mode").asString()).isEqualTo("backfill");
                assertThat(r.get("status").asString()).isEqualTo("succeeded");
                assertThat(r.get("window_start").asString()).isEqualTo("2025-10-13 00:00:00");
                assertThat(r.get("window_end").asString()).isEqualTo("2025-10-15 00:00:00");
                assertThat(r.get("rows_written").asLong()).as(tenant).isEqualTo(rows);
                // the first run inserted every row, the second found them all in place
                assertThat(r.get("rows_changed").asLong()).isEqualTo(run == first ? rows : 0);
                assertThat(r.get("rows_tombstoned").asLong()).isZero();
                assertThat(r.get("error").asString()).isEmpty();
            }
        }
    }

    @Test
    void theRejectedTenantIdIsNamedAndNothingIsWrittenForIt() {
        assertThat(first.err()).contains("skipped tenant id \"we\\\"ird}tenant\"");
        assertThat(viewAfterFirst).noneMatch(row -> row.contains("ird}tenant"));
    }

    @Test
    void aDryRunPrintsTheRowsAndWritesNothing() throws Exception {
        List<String> elsewhere = Worker.withOption(servers, "clickhouse.database", db.name() + "_dry");
        Worker.Result dry = Worker.run(elsewhere, "backfill", "--from=2025-10-13", "--to=2025-10-15", "--tenant=globex", "--dry-run");

        assertThat(dry.exitCode()).as(dry.toString()).isZero();
        Map<String, double[]> expected = TwoDayScenario.expectedRows(List.of("globex"));
        List<String> lines = dry.outLines();
        assertThat(lines).hasSize(expected.size());
        var json = JsonMapper.builder().build();
        for (String line : lines) {
            JsonNode r = json.readTree(line);
            int hour = (int) Duration.between(TwoDayScenario.START, Instant.parse(r.get("hour").asString())).toHours();
            String key = TwoDayScenario.key("globex", r.get("cluster").asString(), r.get("namespace").asString(), hour);
            assertThat(expected).containsKey(key);
            assertThat(r.get("cost").asDouble()).isCloseTo(expected.get(key)[0], within(1e-9));
        }
        assertThat(db.query("SELECT count() AS n FROM system.databases WHERE name = '" + db.name() + "_dry'").get(0).get("n").asLong())
                .isZero();
    }

    @Test
    void aTenantWhoseQueriesFailIsNamedAndTheOthersStillComplete() {
        List<String> before = fullView();
        try (FaultProxy proxy = new FaultProxy(prometheus.url())) {
            proxy.failRequestsContaining("globex"); // every request that asks for globex, alone or in a batch
            List<String> args = new ArrayList<>(Worker.withOption(servers, "thanos.url", proxy.url()));
            args.add("--thanos.retries=1");
            Worker.Result r = Worker.run(args, BACKFILL);

            assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
            assertThat(r.err()).contains("tenant globex failed").contains("injected fault");
            assertThat(r.out()).contains("2 tenants succeeded, 1 failed");
        }
        assertThat(fullView()).isEqualTo(before); // nothing erased for globex, nothing changed for the others
        JsonNode failed = db.query("SELECT status, error FROM k8s_expenses_runs WHERE cloud_account_id = 'globex' AND status = 'failed'").get(0);
        assertThat(failed.get("error").asString()).contains("injected fault");
    }

    @Test
    void rowsTheMetricsStoreNoLongerHasAreKeptUnlessTheBackfillIsToldToErase() {
        // an earlier computation left rows for a tenant whose series are gone from Thanos (retention)
        Instant hour = TwoDayScenario.START.plusSeconds(5 * 3600);
        try (ClickHouseGateway ch = db.newGateway()) {
            new ClickHouseExpenseStore(ch, Clock.systemUTC(), 1000).write(List.of("ghost"), new Window(hour, hour.plusSeconds(3600)), new CostResult(List.of(
                    new CostRow("ghost", "prod", "web", hour, "USD", new Costs(1, 1, 0, 0, 0, 0), Efficiencies.NONE, 1)), List.of()), WriteKind.FINAL);
        }
        List<String> others = fullView().stream().filter(r -> !r.contains("\"ghost\"")).toList();

        Worker.Result keep = Worker.run(servers, BACKFILL);
        assertThat(keep.exitCode()).as(keep.toString()).isZero();
        assertThat(fullView()).anyMatch(r -> r.contains("\"ghost\""));

        Worker.Result erase = Worker.run(servers, "backfill", "--from=2025-10-13", "--to=2025-10-15", "--erase-missing");
        assertThat(erase.exitCode()).as(erase.toString()).isZero();
        assertThat(erase.out()).contains("4 tenants succeeded");
        assertThat(fullView()).noneMatch(r -> r.contains("\"ghost\"")).isEqualTo(others);
    }

    @Test
    void invalidArgumentsAndConfigurationExitWithTwoAndOneLine() {
        Worker.Result badRange = Worker.run(servers, "backfill", "--from=2025-10-15", "--to=2025-10-13");
        assertThat(badRange.exitCode()).isEqualTo(2);
        assertThat(badRange.err().lines().count()).isEqualTo(1);
        assertThat(badRange.err()).contains("is not before");

        Worker.Result badConfig = Worker.run(servers, "backfill", "--from=2025-10-13", "--to=2025-10-14", "--worker.reprocess-hours=-1");
        assertThat(badConfig.exitCode()).isEqualTo(2);
        assertThat(badConfig.err().strip()).contains("worker.reprocess-hours").doesNotContain("\n");

        Worker.Result badDuration = Worker.run(servers, "backfill", "--from=2025-10-13", "--to=2025-10-14", "--worker.settle-delay=soon");
        assertThat(badDuration.exitCode()).isEqualTo(2);
        assertThat(badDuration.err()).contains("worker.settle-delay");
    }

    private static List<String> fullView() {
        return db.query("SELECT * FROM k8s_expenses_current ORDER BY cloud_account_id, cluster, namespace, hour")
                .stream().map(Object::toString).toList();
    }
}
