package com.cloudtuner.kubecost.diagnose;

import static com.cloudtuner.kubecost.testing.Exporter.MINUTE;
import static org.assertj.core.api.Assertions.assertThat;

import com.cloudtuner.kubecost.testing.Exporter;
import com.cloudtuner.kubecost.testing.PrometheusServer;
import com.cloudtuner.kubecost.testing.RealServers;
import com.cloudtuner.kubecost.testing.TestDatabase;
import com.cloudtuner.kubecost.testing.Worker;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code gaps} over two backfilled days after a test removed and corrupted stored rows: it finds
 * exactly those hours (and one of low coverage the data itself has), and the commands it prints
 * close them. The hourly run has written up to 20:00 on the second day; a row removed after that
 * is left to the next hourly run.
 */
@ExtendWith(RealServers.class)
class GapsIT {

    private static final long D0 = Instant.parse("2025-10-13T00:00:00Z").toEpochMilli();
    private static final long END = D0 + 48 * 3_600_000L;
    private static final long HALF_HOUR_LOST = Instant.parse("2025-10-14T05:30:00Z").toEpochMilli();
    private static final String RANGE = "--from=2025-10-13";
    private static final String RANGE_END = "--to=2025-10-15";

    private static TestDatabase db;
    private static List<String> servers;
    private static Worker.Result before;
    private static JsonNode beforeJson;
    private static Worker.Result onlyGb;

    @BeforeAll
    static void loadBackfillAndBreak(TestDatabase database, PrometheusServer prometheus) {
        Exporter e = new Exporter();
        new GeneratedTenant("ga", "prod", D0, END).writeTo(e);
        new GeneratedTenant("ga", "staging", D0, END).writeTo(e);
        // half of 05:00 on the second day never reached Thanos: coverage 0.5 however often it is recomputed
        new GeneratedTenant("gb", "prod", D0, END).notScrapedWhen(t -> t >= HALF_HOUR_LOST && t < HALF_HOUR_LOST + 30 * MINUTE).writeTo(e);
        prometheus.load(e.dataset());
        db = database;
        servers = Worker.serverArgs(database, prometheus.url());
        Worker.Result backfill = Worker.run(servers, "backfill", RANGE, RANGE_END);
        assertThat(backfill.exitCode()).as(backfill.toString()).isZero();
        Worker.Result hourly = Worker.run(servers, "hourly", "--now=2025-10-14T20:10:00Z");
        assertThat(hourly.exitCode()).as(hourly.toString()).isZero();

        // every row of ga/prod from 05:00 to 08:00 on the first day gone
        tombstone("cloud_account_id = 'ga' AND cluster = 'prod' AND hour >= toDateTime('2025-10-13 05:00:00')"
                + " AND hour < toDateTime('2025-10-13 08:00:00')");
        // one namespace of gb/prod at 20:00 on the first day gone
        tombstone("cloud_account_id = 'gb' AND namespace = 'batch' AND hour = toDateTime('2025-10-13 20:00:00')");
        // a wrong cost for ga/staging web at 10:00 on the second day
        db.execute("INSERT INTO k8s_expenses SELECT cloud_account_id, cluster, namespace, resource_id, hour, currency, cost + 1,"
                + " cpu_cost, ram_cost, pv_cost, network_cost, lb_cost, cpu_efficiency, ram_efficiency, total_efficiency, coverage, 0,"
                + " version + 1, computed_at FROM k8s_expenses_current WHERE cloud_account_id = 'ga' AND cluster = 'staging'"
                + " AND namespace = 'web' AND hour = toDateTime('2025-10-14 10:00:00')");
        // after the hourly run's watermark (20:00 on the second day)
        tombstone("cloud_account_id = 'ga' AND cluster = 'prod' AND hour = toDateTime('2025-10-14 22:00:00')");

        before = Worker.run(servers, "gaps", RANGE, RANGE_END);
        beforeJson = JsonMapper.builder().build().readTree(Worker.run(servers, "gaps", RANGE, RANGE_END, "--json").out());
        onlyGb = Worker.run(servers, "gaps", RANGE, RANGE_END, "--tenant=gb");
    }

    private static void tombstone(String where) {
        db.execute("INSERT INTO k8s_expenses SELECT cloud_account_id, cluster, namespace, resource_id, hour, currency, cost, cpu_cost,"
                + " ram_cost, pv_cost, network_cost, lb_cost, cpu_efficiency, ram_efficiency, total_efficiency, coverage, 1,"
                + " version + 1, computed_at FROM k8s_expenses_current WHERE " + where);
    }

    private static List<String> ranges(JsonNode doc) {
        List<String> out = new ArrayList<>();
        for (JsonNode r : doc.get("ranges")) {
            out.add(r.get("kind").asString() + " " + r.get("tenant").asString() + "/" + r.get("cluster").asString() + " "
                    + r.get("from").asString() + ".." + r.get("to").asString());
        }
        return out;
    }

    @Test
    void findsExactlyTheHoursThatWereRemovedOrCorruptedAndTheOneOfLowCoverage() {
        assertThat(ranges(beforeJson)).containsExactly(
                "missing ga/prod 2025-10-13T05:00:00Z..2025-10-13T08:00:00Z",
                "pending ga/prod 2025-10-14T22:00:00Z..2025-10-14T23:00:00Z",
                "differs ga/staging 2025-10-14T10:00:00Z..2025-10-14T11:00:00Z",
                "differs gb/prod 2025-10-13T20:00:00Z..2025-10-13T21:00:00Z",
                "low-coverage gb/prod 2025-10-14T05:00:00Z..2025-10-14T06:00:00Z");
        assertThat(beforeJson.get("exit_code").asInt()).isEqualTo(1);
        assertThat(before.exitCode()).isEqualTo(1);
    }

    @Test
    void eachRangeSaysWhatIsWrongAndPrintsItsBackfill() {
        List<String> lines = before.outLines();
        assertThat(lines.get(0)).isEqualTo("gaps 2025-10-13T00:00:00Z..2025-10-15T00:00:00Z: 2 tenants, 144 cluster-hours with exporter"
                + " data; 3 ranges to backfill (5 cluster-hours), 1 range of coverage below 0.9");
        int missing = lines.indexOf("missing tenant ga cluster prod 2025-10-13T05:00:00Z..2025-10-13T08:00:00Z (3 h): exporter data in"
                + " Thanos (3 rows), no rows in k8s_expenses_current");
        assertThat(missing).as(before.out()).isPositive();
        assertThat(lines.get(missing + 1)).matches("  java -jar \\S+ backfill --from=2025-10-13T05:00:00Z --to=2025-10-13T08:00:00Z --tenant=ga");
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("differs tenant ga cluster staging 2025-10-14T10:00:00Z..2025-10-14T11:00:00Z"
                + " (1 h): stored rows differ from a fresh computation: web cost stored 4 vs fresh 3"));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("differs tenant gb cluster prod 2025-10-13T20:00:00Z..2025-10-13T21:00:00Z"
                + " (1 h): stored rows differ from a fresh computation: batch not stored"));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("low-coverage tenant gb cluster prod 2025-10-14T05:00:00Z..2025-10-14T06:00:00Z"
                + " (1 h): coverage down to 0.5"));
        int pending = lines.indexOf("pending tenant ga cluster prod 2025-10-14T22:00:00Z..2025-10-14T23:00:00Z (1 h): at or after the"
                + " watermark 2025-10-14T20:00:00Z, so the next hourly run writes them (missing: exporter data in Thanos (3 rows), no rows"
                + " in k8s_expenses_current)");
        assertThat(pending).as(before.out()).isPositive();
        assertThat(lines.get(pending + 1)).doesNotContain("backfill");
    }

    @Test
    void aTenantSelectionLimitsTheReport() {
        assertThat(onlyGb.outLines()).filteredOn(l -> !l.startsWith("  ") && !l.startsWith("gaps ")).allSatisfy(l -> assertThat(l).contains("tenant gb "))
                .hasSize(2);
    }

    @Test
    void thePrintedCommandsCloseTheGapsTheyName() {
        List<String> commands = before.outLines().stream().filter(l -> l.startsWith("  java -jar ")).toList();
        assertThat(commands).hasSize(4); // three to backfill, and the low-coverage hour's (which changes nothing)
        for (String command : commands) {
            String[] words = command.strip().split(" ");
            Worker.Result run = Worker.run(servers, Arrays.copyOfRange(words, 3, words.length));
            assertThat(run.exitCode()).as(run.toString()).isZero();
        }
        Worker.Result after = Worker.run(servers, "gaps", RANGE, RANGE_END, "--json");
        JsonNode doc = JsonMapper.builder().build().readTree(after.out());
        assertThat(ranges(doc)).containsExactly(
                "pending ga/prod 2025-10-14T22:00:00Z..2025-10-14T23:00:00Z",
                "low-coverage gb/prod 2025-10-14T05:00:00Z..2025-10-14T06:00:00Z");
        assertThat(after.exitCode()).as("nothing left to backfill: low coverage and pending hours do not fail").isZero();
    }

    @Test
    void badInputIsExitTwo() {
        Worker.Result r = Worker.run(servers, "gaps", RANGE, RANGE_END, "--tenant=a b");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("no tenant id given matches worker.tenant-pattern");
    }
}
