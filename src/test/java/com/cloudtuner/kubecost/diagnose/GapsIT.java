package com.cloudtuner.kubecost.diagnose;

import static com.cloudtuner.kubecost.testing.Exporter.MINUTE;
import static org.assertj.core.api.Assertions.assertThat;

import com.cloudtuner.kubecost.cli.ExitCodes;
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
    private static JsonNode onlyGb;

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
                + " version + 1, computed_at, provisional FROM k8s_expenses_current WHERE cloud_account_id = 'ga' AND cluster = 'staging'"
                + " AND namespace = 'web' AND hour = toDateTime('2025-10-14 10:00:00')");
        // after the hourly run's watermark (20:00 on the second day)
        tombstone("cloud_account_id = 'ga' AND cluster = 'prod' AND hour = toDateTime('2025-10-14 22:00:00')");

        before = Worker.run(servers, "gaps", RANGE, RANGE_END);
        beforeJson = json(Worker.run(servers, "gaps", RANGE, RANGE_END, "--json"));
        onlyGb = json(Worker.run(servers, "gaps", RANGE, RANGE_END, "--tenant=gb", "--json"));
    }

    /** A gaps --json document, its exit code the one it states. */
    private static JsonNode json(Worker.Result r) {
        JsonNode doc = JsonMapper.builder().build().readTree(r.out());
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(doc.get("exit_code").asInt());
        return doc;
    }

    private static void tombstone(String where) {
        db.execute("INSERT INTO k8s_expenses SELECT cloud_account_id, cluster, namespace, resource_id, hour, currency, cost, cpu_cost,"
                + " ram_cost, pv_cost, network_cost, lb_cost, cpu_efficiency, ram_efficiency, total_efficiency, coverage, 1,"
                + " version + 1, computed_at, provisional FROM k8s_expenses_current WHERE " + where);
    }

    /** The range of this kind, tenant/cluster and first hour. */
    private static JsonNode range(JsonNode doc, String kind, String tenantCluster, String from) {
        for (JsonNode r : doc.get("ranges")) {
            if (r.get("kind").asString().equals(kind) && (r.get("tenant").asString() + "/" + r.get("cluster").asString()).equals(tenantCluster)
                    && r.get("from").asString().equals(from)) {
                return r;
            }
        }
        throw new AssertionError("no " + kind + " range of " + tenantCluster + " from " + from + " in:\n" + doc);
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asString()));
        return out;
    }

    /** The backfill command a range prints: the jar's path is the running jar's, so only the arguments are fixed. */
    private static String backfill(String from, String to, String tenant) {
        return "java -jar \\S+ backfill --from=" + from + " --to=" + to + " --tenant=" + tenant;
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
        assertThat(beforeJson.get("exit_code").asInt()).isEqualTo(ExitCodes.FAILED);
        assertThat(before.exitCode()).isEqualTo(ExitCodes.FAILED);
    }

    @Test
    void eachRangeSaysWhatIsWrongAndPrintsItsBackfill() {
        // two tenants, three clusters with data in each of the 48 hours
        assertThat(strings(beforeJson.get("tenants"))).containsExactly("ga", "gb");
        assertThat(beforeJson.get("cluster_hours_with_data").asLong()).isEqualTo(3 * 48);
        assertThat(beforeJson.get("min_coverage").asDouble()).isEqualTo(0.9);
        // to backfill: 3 + 1 + 1 cluster-hours in three ranges
        List<JsonNode> toBackfill = new ArrayList<>();
        beforeJson.get("ranges").forEach(r -> {
            if (List.of("missing", "differs", "incomplete-write").contains(r.get("kind").asString())) {
                toBackfill.add(r);
            }
        });
        assertThat(toBackfill).hasSize(3);
        assertThat(toBackfill.stream().mapToLong(r -> r.get("hours").asLong()).sum()).isEqualTo(5);

        // every row of the three hours gone: web, batch and __unallocated__ would be written
        JsonNode missing = range(beforeJson, "missing", "ga/prod", "2025-10-13T05:00:00Z");
        assertThat(missing.get("hours").asInt()).isEqualTo(3);
        assertThat(missing.get("fresh_rows").asInt()).isEqualTo(3);
        assertThat(missing.get("backfill").asString()).matches(backfill("2025-10-13T05:00:00Z", "2025-10-13T08:00:00Z", "ga"));

        // web's cost raised by 1 over its 3 $/h
        JsonNode staging = range(beforeJson, "differs", "ga/staging", "2025-10-14T10:00:00Z");
        assertThat(staging.get("column_differences")).singleElement().satisfies(d -> {
            assertThat(d.get("namespace").asString() + " " + d.get("column").asString()).isEqualTo("web cost");
            assertThat(d.get("stored").asDouble()).isEqualTo(4.0);
            assertThat(d.get("fresh").asDouble()).isEqualTo(3.0);
        });
        assertThat(staging.get("namespaces_not_stored")).isEmpty();
        assertThat(staging.get("backfill").asString()).matches(backfill("2025-10-14T10:00:00Z", "2025-10-14T11:00:00Z", "ga"));

        // batch's row gone, the others intact
        JsonNode gb = range(beforeJson, "differs", "gb/prod", "2025-10-13T20:00:00Z");
        assertThat(strings(gb.get("namespaces_not_stored"))).containsExactly("batch");
        assertThat(gb.get("column_differences")).isEmpty();
        assertThat(gb.get("namespaces_not_in_data")).isEmpty();
        assertThat(gb.get("backfill").asString()).matches(backfill("2025-10-13T20:00:00Z", "2025-10-13T21:00:00Z", "gb"));

        // 30 of the hour's 60 scrapes reached Thanos
        JsonNode low = range(beforeJson, "low-coverage", "gb/prod", "2025-10-14T05:00:00Z");
        assertThat(low.get("lowest_coverage").asDouble()).isEqualTo(0.5);
        assertThat(low.get("backfill").asString()).matches(backfill("2025-10-14T05:00:00Z", "2025-10-14T06:00:00Z", "gb"));

        // missing, but at or after the watermark the hourly run at 20:10 left: no command
        JsonNode pending = range(beforeJson, "pending", "ga/prod", "2025-10-14T22:00:00Z");
        assertThat(pending.get("pending_kind").asString()).isEqualTo("missing");
        assertThat(pending.get("watermark").asString()).isEqualTo("2025-10-14T20:00:00Z");
        assertThat(pending.get("fresh_rows").asInt()).isEqualTo(3);
        assertThat(pending.get("backfill").isNull()).isTrue();
    }

    @Test
    void aTenantSelectionLimitsTheReport() {
        assertThat(strings(onlyGb.get("tenants"))).containsExactly("gb");
        assertThat(onlyGb.get("cluster_hours_with_data").asLong()).isEqualTo(48);
        assertThat(ranges(onlyGb)).containsExactly(
                "differs gb/prod 2025-10-13T20:00:00Z..2025-10-13T21:00:00Z",
                "low-coverage gb/prod 2025-10-14T05:00:00Z..2025-10-14T06:00:00Z");
    }

    @Test
    void thePrintedCommandsAreTheFewestBackfillsAndCloseTheGapsTheyName() {
        // three ranges to backfill, each of one of the two tenants: a backfill each, naming its tenant
        // (the low-coverage hour needs none: a backfill changes it only if the lost samples came back)
        List<String> commands = before.outLines().stream().filter(l -> l.startsWith("  java -jar ")).map(String::strip).toList();
        assertThat(commands).hasSize(3);
        assertThat(commands.get(0)).matches(backfill("2025-10-13T05:00:00Z", "2025-10-13T08:00:00Z", "ga"));
        assertThat(commands.get(1)).matches(backfill("2025-10-13T20:00:00Z", "2025-10-13T21:00:00Z", "gb"));
        assertThat(commands.get(2)).matches(backfill("2025-10-14T10:00:00Z", "2025-10-14T11:00:00Z", "ga"));
        List<String> planned = new ArrayList<>();
        beforeJson.get("backfills").forEach(b -> {
            planned.add(b.get("command").asString());
            // a Job's args: the command's words after the jar, and printed as that JSON array
            String[] words = b.get("command").asString().split(" ");
            assertThat(strings(b.get("args"))).containsExactly(Arrays.copyOfRange(words, 3, words.length));
            assertThat(before.outLines()).contains("  " + b.get("args").toString());
        });
        assertThat(planned).containsExactlyElementsOf(commands);
        for (String command : commands) {
            String[] words = command.split(" ");
            Worker.Result run = Worker.run(servers, Arrays.copyOfRange(words, 3, words.length));
            assertThat(run.exitCode()).as(run.toString()).isZero();
        }
        assertOnlyPendingAndLowCoverageLeft();
    }

    @Test
    void gapsBackfillRunsTheBackfillsItself() {
        // both tenants lose 01:00..03:00 of the second day: most tenants, so one backfill for every tenant
        tombstone("cloud_account_id IN ('ga', 'gb') AND hour >= toDateTime('2025-10-14 01:00:00')"
                + " AND hour < toDateTime('2025-10-14 03:00:00')");
        JsonNode plan = json(Worker.run(servers, "gaps", RANGE, RANGE_END, "--json")).get("backfills");
        assertThat(plan).anySatisfy(b -> {
            assertThat(b.get("from").asString()).isEqualTo("2025-10-14T01:00:00Z");
            assertThat(b.get("to").asString()).isEqualTo("2025-10-14T03:00:00Z");
            assertThat(b.get("tenants")).isEmpty();
        });

        Worker.Result closing = Worker.run(servers, "gaps", RANGE, RANGE_END, "--backfill", "--json");
        assertThat(closing.exitCode()).as(closing.toString()).isZero();
        // stdout is gaps' one document, the backfills' summaries went to stderr
        assertThat(JsonMapper.builder().build().readTree(closing.out()).get("backfills")).hasSize(plan.size());
        assertThat(closing.err().lines().filter(l -> l.startsWith("kubecost-worker: gaps: backfill ")).count()).isEqualTo(plan.size());
        assertOnlyPendingAndLowCoverageLeft();
    }

    private static void assertOnlyPendingAndLowCoverageLeft() {
        Worker.Result after = Worker.run(servers, "gaps", RANGE, RANGE_END, "--json");
        JsonNode doc = json(after);
        assertThat(ranges(doc)).containsExactly(
                "pending ga/prod 2025-10-14T22:00:00Z..2025-10-14T23:00:00Z",
                "low-coverage gb/prod 2025-10-14T05:00:00Z..2025-10-14T06:00:00Z");
        assertThat(doc.get("backfills")).isEmpty();
        assertThat(after.exitCode()).as("nothing left to backfill: low coverage and pending hours do not fail").isEqualTo(ExitCodes.OK);
    }

    @Test
    void badInputIsExitTwo() {
        Worker.Result r = Worker.run(servers, "gaps", RANGE, RANGE_END, "--tenant=a b");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("worker.tenant-pattern");
        assertThat(r.out()).isEmpty();
    }
}
