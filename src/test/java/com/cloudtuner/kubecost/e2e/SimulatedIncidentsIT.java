package com.cloudtuner.kubecost.e2e;

import static com.cloudtuner.kubecost.testing.CheckRuns.cluster;
import static com.cloudtuner.kubecost.testing.CheckRuns.finding;
import static com.cloudtuner.kubecost.testing.CheckRuns.findings;
import static com.cloudtuner.kubecost.testing.CheckRuns.problemsWhere;
import static org.assertj.core.api.Assertions.assertThat;

import com.cloudtuner.kubecost.cost.Window;
import com.cloudtuner.kubecost.testing.CheckRuns;
import com.cloudtuner.kubecost.testing.PrometheusServer;
import com.cloudtuner.kubecost.testing.RealServers;
import com.cloudtuner.kubecost.testing.TestDatabase;
import com.cloudtuner.kubecost.testing.Worker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The runbook's incidents made with {@code simulate --incident}, the file loaded into Prometheus as
 * the README's walkthrough does (promtool's blocks), then a backfill and {@code check} as an
 * operator would run them. The data end two hours before the clock, so that {@code check} (its last
 * day, and the ledger of runs just made) sees them. Each tenant of the demo's shape has a {@code prod}
 * cluster (5 namespaces) and a {@code staging} one (3): 6 and 4 rows an hour with {@code __unallocated__}.
 */
@ExtendWith(RealServers.class)
class SimulatedIncidentsIT {

    private static final Duration HOUR = Duration.ofHours(1);
    private static final int HOURS = 24;
    private static final int PROD_ROWS = 5 + 1;
    private static final int STAGING_ROWS = 3 + 1;
    private static final Instant FROM = Window.floorHour(Instant.now()).minus(HOUR.multipliedBy(HOURS + 2));
    private static final Instant END = FROM.plus(HOUR.multipliedBy(HOURS));
    private static final Instant HOLE_FROM = FROM.plus(HOUR.multipliedBy(8));
    private static final Instant HOLE_TO = FROM.plus(HOUR.multipliedBy(11));
    private static final Instant RESTART = FROM.plus(HOUR.multipliedBy(10));
    private static final int RESTART_MINUTES = 7;
    private static final Instant CURRENCY_CHANGE = FROM.plus(HOUR.multipliedBy(12)).plus(Duration.ofMinutes(30));
    private static final Instant LATE_START = FROM.plus(HOUR.multipliedBy(5)).plus(Duration.ofMinutes(30));

    @TempDir
    static Path dir;
    private static TestDatabase db;
    private static List<String> servers;
    private static Worker.Result backfill;

    @BeforeAll
    static void simulateLoadAndBackfill(TestDatabase database, PrometheusServer prometheus) throws IOException {
        Path file = dir.resolve("incidents.om");
        Worker.Result simulate = Worker.run(List.of(), "simulate", "--out=" + file, "--from=" + FROM, "--hours=" + HOURS,
                "--tenants=si-holed,si-restarted,si-changed,si-late",
                "--incident=hole:si-holed/prod:" + HOLE_FROM + ".." + HOLE_TO,
                "--incident=restart:si-restarted:" + RESTART + ".." + RESTART.plus(Duration.ofMinutes(RESTART_MINUTES)),
                "--incident=currency:si-changed:" + CURRENCY_CHANGE + ":EUR",
                "--incident=late:si-late:" + LATE_START);
        assertThat(simulate.exitCode()).as(simulate.toString()).isZero();
        prometheus.load(Files.readString(file, StandardCharsets.UTF_8));
        db = database;
        db.recreate();
        servers = Worker.serverArgs(database, prometheus.url());
        backfill = Worker.run(servers, "backfill", "--from=" + FROM, "--to=" + END);
    }

    /** Per hour of the tenant, its rows (every cluster). */
    private static Map<Instant, Integer> rowsPerHour(String tenant, String cluster) {
        Map<Instant, Integer> rows = new TreeMap<>();
        db.query("SELECT toUnixTimestamp(hour) AS h, count() AS n FROM k8s_expenses_current WHERE cloud_account_id = '" + tenant
                        + "'" + (cluster == null ? "" : " AND cluster = '" + cluster + "'") + " GROUP BY h")
                .forEach(r -> rows.put(Instant.ofEpochSecond(r.get("h").asLong()), r.get("n").asInt()));
        return rows;
    }

    private static JsonNode check(String tenant) {
        // no --now: the ledger of the runs this class made is read as of the clock, as they ran
        return CheckRuns.document(Worker.run(servers, "check", "--json", "--tenant=" + tenant, "--stale-after=4h"));
    }

    private static List<String> codes(JsonNode doc) {
        return CheckRuns.problems(doc).stream().map(f -> f.get("code").asString()).toList();
    }

    @Test
    void aHoleInOneClusterLeavesItsHoursWithoutRowsAndCheckNamesItWithItsBackfill() {
        Map<Instant, Integer> prod = rowsPerHour("si-holed", "prod");
        assertThat(prod).hasSize(HOURS - 3).doesNotContainKeys(HOLE_FROM, HOLE_FROM.plus(HOUR), HOLE_FROM.plus(HOUR.multipliedBy(2)))
                .allSatisfy((h, n) -> assertThat(n).isEqualTo(PROD_ROWS));
        assertThat(rowsPerHour("si-holed", "staging")).hasSize(HOURS);

        JsonNode doc = check("si-holed");
        assertThat(findings(doc)).contains("note exporter_hole tenant si-holed cluster prod")
                .doesNotContain("note exporter_hole tenant si-holed cluster staging");
        assertThat(finding(doc, "exporter_hole", "tenant si-holed cluster prod").get("what").asString())
                .endsWith(" backfill --from=" + HOLE_FROM + " --to=" + HOLE_TO + " --tenant=si-holed");
        assertThat(codes(doc)).doesNotContain("restart_zeros", "refused_hours");
    }

    @Test
    void aRestartsCountedZerosAreRestartZerosInEveryClusterOfTheTenant() {
        JsonNode doc = check("si-restarted");
        assertThat(problemsWhere(doc)).contains("restart_zeros tenant si-restarted cluster prod",
                "restart_zeros tenant si-restarted cluster staging");
        for (String c : List.of("prod", "staging")) {
            JsonNode runs = cluster(doc, "si-restarted", c).get("zero_runs");
            assertThat(runs).hasSize(1);
            assertThat(runs.get(0).get("samples").asInt()).isEqualTo(RESTART_MINUTES); // one scrape a minute
            Instant first = Instant.parse(runs.get(0).get("first").asString());
            assertThat(first).isBetween(RESTART, RESTART.plusSeconds(59));
        }
        assertThat(codes(doc)).doesNotContain("exporter_hole", "refused_hours");
        // the zeros are counted: every hour has its rows
        assertThat(rowsPerHour("si-restarted", null)).hasSize(HOURS).containsEntry(RESTART, PROD_ROWS + STAGING_ROWS);
    }

    @Test
    void aCurrencyChangeRefusesTheHourOfTheChangeInEveryClusterAndTheRunExitsOne() {
        assertThat(backfill.exitCode()).as(backfill.toString()).isEqualTo(1);
        Instant refusedHour = Window.floorHour(CURRENCY_CHANGE);
        JsonNode ledger = db.query("SELECT status, refused_cluster_hours FROM k8s_expenses_runs WHERE cloud_account_id = 'si-changed'"
                + " AND run_id = '" + backfill.runId() + "'").get(0);
        assertThat(ledger.get("status").asString()).isEqualTo("partial");
        assertThat(ledger.get("refused_cluster_hours").asLong()).isEqualTo(2); // prod and staging
        for (String other : List.of("si-holed", "si-restarted", "si-late")) {
            assertThat(db.query("SELECT status FROM k8s_expenses_runs WHERE cloud_account_id = '" + other + "' AND run_id = '"
                    + backfill.runId() + "'").get(0).get("status").asString()).as(other).isEqualTo("succeeded");
        }

        Map<Instant, Integer> rows = rowsPerHour("si-changed", null);
        assertThat(rows).hasSize(HOURS - 1).doesNotContainKey(refusedHour);
        long hoursBefore = Duration.between(FROM, refusedHour).toHours();
        long hoursAfter = Duration.between(refusedHour.plus(HOUR), END).toHours();
        Map<String, Long> byCurrency = new TreeMap<>();
        db.query("SELECT currency, count() AS n FROM k8s_expenses_current WHERE cloud_account_id = 'si-changed' GROUP BY currency")
                .forEach(r -> byCurrency.put(r.get("currency").asString(), r.get("n").asLong()));
        assertThat(byCurrency).containsExactly(Map.entry("EUR", hoursAfter * (PROD_ROWS + STAGING_ROWS)),
                Map.entry("USD", hoursBefore * (PROD_ROWS + STAGING_ROWS)));

        JsonNode doc = check("si-changed");
        assertThat(problemsWhere(doc)).contains("refused_hours tenant si-changed");
        assertThat(codes(doc)).doesNotContain("exporter_hole", "restart_zeros");
    }

    @Test
    void aLateTenantsRowsStartAtItsFirstHour() {
        Map<Instant, Integer> rows = rowsPerHour("si-late", null);
        Instant firstHour = Window.floorHour(LATE_START);
        assertThat(rows.keySet().iterator().next()).isEqualTo(firstHour);
        assertThat(rows).hasSize((int) Duration.between(firstHour, END).toHours())
                .allSatisfy((h, n) -> assertThat(n).isEqualTo(PROD_ROWS + STAGING_ROWS));
        assertThat(codes(check("si-late"))).doesNotContain("exporter_hole", "restart_zeros", "refused_hours");
    }

    @Test
    void anIncidentOnAClusterTheSimulationLacksExitsTwoWithOneLine() {
        Worker.Result r = Worker.run(List.of(), "simulate", "--out=" + dir.resolve("none.om"), "--from=" + FROM, "--hours=2",
                "--tenants=a", "--incident=hole:a/c9:" + FROM + ".." + FROM.plus(HOUR));
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.err().lines().toList()).as(r.toString()).hasSize(1).allMatch(l -> l.startsWith("kubecost-worker: "));
        assertThat(dir.resolve("none.om")).doesNotExist();
        Worker.Result malformed = Worker.run(List.of(), "simulate", "--out=" + dir.resolve("none.om"), "--from=" + FROM, "--hours=2",
                "--tenants=a", "--incident=hole:a:" + FROM);
        assertThat(malformed.exitCode()).as(malformed.toString()).isEqualTo(2);
    }
}
