package com.cloudtuner.kubecost.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.cloudtuner.kubecost.cli.ExitCodes;
import com.cloudtuner.kubecost.simulate.DemoScenario;
import com.cloudtuner.kubecost.testing.CheckRuns;
import com.cloudtuner.kubecost.testing.Exporter;
import com.cloudtuner.kubecost.testing.FaultProxy;
import com.cloudtuner.kubecost.testing.JarProcess;
import com.cloudtuner.kubecost.testing.PrometheusServer;
import com.cloudtuner.kubecost.testing.PushgatewayServer;
import com.cloudtuner.kubecost.testing.RealServers;
import com.cloudtuner.kubecost.testing.TestDatabase;
import com.cloudtuner.kubecost.testing.Worker;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A run's metrics, read back from a real Pushgateway the run pushed them to; the expected values
 * follow from the generated data (two tenants of DemoScenario: 8 namespaces and 2 clusters each,
 * so 10 rows an hour) and from the request formula.
 */
@ExtendWith(RealServers.class)
class PushgatewayIT {

    private static final Instant D0 = Instant.parse("2025-10-13T00:00:00Z");
    private static PushgatewayServer pushgateway;
    private static PrometheusServer prometheus;

    @BeforeAll
    static void start(PrometheusServer prom) {
        prom.load(DemoScenario.generate(Exporter.PREFIX, List.of("acme", "globex"), D0, 8, 9));
        prometheus = prom;
        pushgateway = PushgatewayServer.start();
        assertThat(parse(pushgateway.metrics()).keySet()).as("a new Pushgateway holds nobody's metrics")
                .noneMatch(k -> k.startsWith("kubecost_worker_"));
    }

    @AfterAll
    static void stop() {
        pushgateway.close();
    }

    @Test
    void theTestPushgatewayPersistsToAFileOfItsOwnNotThePackagesDefault() {
        // without its own --persistence.file, Debian's binary loads and rewrites /var/lib/prometheus/pushgateway.data
        JsonNode flags = JsonMapper.builder().build().readTree(pushgateway.status()).get("data").get("flags");
        assertThat(flags.get("persistence.file").asString()).isEqualTo(pushgateway.persistenceFile().toString())
                .doesNotStartWith("/var/lib/");
    }

    @Test
    void anHourlyRunPushesWhatItDidGroupedByJobAndMode(TestDatabase db) {
        db.recreate();
        List<String> args = new ArrayList<>(Worker.serverArgs(db, prometheus.url()));
        assertThat(Worker.run(args, "migrate").exitCode()).isZero();
        args.add("--pushgateway.url=" + pushgateway.url());
        Worker.Result r = Worker.run(args, "hourly", "--now=2025-10-13T05:10:00Z");
        assertThat(r.exitCode()).as(r.toString()).isZero();

        Map<String, Double> m = parse(pushgateway.metrics());
        String group = "job=\"kubecost-worker\",mode=\"hourly\"";
        assertThat(m).containsEntry("kubecost_worker_tenants{" + group + ",outcome=\"succeeded\"}", 2.0)
                .containsEntry("kubecost_worker_tenants{" + group + ",outcome=\"failed\"}", 0.0)
                .containsEntry("kubecost_worker_hours{" + group + "}", 6.0) // 2 tenants x the last 3 complete hours
                .containsEntry(rows(group, "written"), 60.0) // x 10 rows an hour
                .containsEntry(rows(group, "changed"), 60.0)
                .containsEntry(rows(group, "tombstoned"), 0.0)
                .containsEntry("kubecost_worker_run_succeeded{" + group + "}", 1.0)
                // both watermarks at 05:00, the end of the last complete hour as of 05:10
                .containsEntry("kubecost_worker_watermark_lag_seconds{" + group + ",tenant=\"acme\"}", 0.0)
                .containsEntry("kubecost_worker_watermark_lag_seconds{" + group + ",tenant=\"globex\"}", 0.0)
                // the newest rows are of 04:00, complete at 05:00: 10 minutes before the run's instant
                .containsEntry("kubecost_worker_freshness_seconds{" + group + ",stat=\"max\"}", 600.0)
                .containsEntry("kubecost_worker_freshness_seconds{" + group + ",stat=\"p50\"}", 600.0)
                // discovery, census, two probes, one work unit: health + sum, count and min of 10 cost
                // families + sum and count of 6 efficiency families
                .containsEntry("kubecost_worker_thanos_requests{" + group + "}", 1 + 1 + 2 + 1 + 10 * 3 + 6 * 2 + 2 + 2.0)
                .containsEntry("kubecost_worker_thanos_errors{" + group + "}", 0.0)
                .containsEntry("kubecost_worker_thanos_retries{" + group + "}", 0.0)
                .containsEntry("kubecost_worker_tenant_failed{" + group + ",tenant=\"acme\"}", 0.0)
                // the unit's two tables, the ledger, the watermarks, and the run's start and end
                .containsEntry("kubecost_worker_clickhouse_inserts{" + group + "}", 6.0);
        assertThat(m).containsKey("kubecost_worker_last_success_timestamp_seconds{" + group + "}")
                .containsEntry("kubecost_worker_skipped_hours{" + group + "}", 0.0);
        assertThat(m.keySet()).as("Spring Batch's own observations").anyMatch(k -> k.startsWith("spring_batch_item_process_seconds_count{"));
    }

    @Test
    void everyPushedFamilyHasHelpAndNoneIsMeaninglessAfterTheRun(TestDatabase db) {
        List<String> args = pushingInGroup(db, "help");
        Worker.Result r = Worker.run(args, "hourly", "--now=2025-10-13T05:10:00Z");
        assertThat(r.exitCode()).as(r.toString()).isZero();

        String exposition = pushgateway.metrics();
        List<String> families = families(exposition, "job=\"help\"");
        assertThat(families).as("the group's families").contains("kubecost_worker_tenants", "kubecost_worker_skipped_hours",
                "spring_batch_job_seconds", "spring_batch_step_seconds", "spring_batch_chunk_write_seconds");
        Set<String> help = exposition.lines().filter(l -> l.startsWith("# HELP ")).map(l -> l.split(" ", 4))
                .filter(h -> h.length == 4 && !h[3].isBlank()).map(h -> h[2]).collect(Collectors.toSet());
        assertThat(families).as("families without a HELP line").allMatch(help::contains);
        // long task timers count what runs at the moment of the push: nothing, after the run
        assertThat(families).noneMatch(f -> f.contains("_active_seconds")).doesNotContain("spring_batch_job_launch_count_seconds");
        assertThat(exposition).doesNotContain("spring_batch_step_type=");
    }

    @Test
    void aFailedRunKeepsTheLastSuccessAndSaysItFailed(TestDatabase db) {
        db.recreate();
        List<String> args = new ArrayList<>(Worker.serverArgs(db, prometheus.url()));
        args.add("--pushgateway.url=" + pushgateway.url());
        assertThat(Worker.run(args, "backfill", "--from=2025-10-13T00:00:00Z", "--to=2025-10-13T02:00:00Z").exitCode()).isZero();
        String group = "job=\"kubecost-worker\",mode=\"backfill\"";
        Double lastSuccess = parse(pushgateway.metrics()).get("kubecost_worker_last_success_timestamp_seconds{" + group + "}");
        assertThat(lastSuccess).isNotNull();

        try (FaultProxy proxy = new FaultProxy(prometheus.url())) {
            proxy.failRequestsContaining("globex");
            Worker.Result r = Worker.run(Worker.withOption(args, "thanos.url", proxy.url()), "backfill",
                    "--from=2025-10-13T02:00:00Z", "--to=2025-10-13T04:00:00Z");
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        }
        Map<String, Double> m = parse(pushgateway.metrics());
        assertThat(m).containsEntry("kubecost_worker_run_succeeded{" + group + "}", 0.0)
                .containsEntry("kubecost_worker_tenants{" + group + ",outcome=\"failed\"}", 1.0)
                .containsEntry("kubecost_worker_tenant_failed{" + group + ",tenant=\"globex\"}", 1.0)
                .containsEntry("kubecost_worker_tenant_failed{" + group + ",tenant=\"acme\"}", 0.0)
                .containsEntry("kubecost_worker_last_success_timestamp_seconds{" + group + "}", lastSuccess);
        assertThat(m.get("kubecost_worker_thanos_errors{" + group + "}")).isPositive();
    }

    @Test
    void aRunThatCannotMigrateItsDatabasePushesThatItFailed(TestDatabase db) throws IOException {
        int closed = Worker.closedPort();
        List<String> args = new ArrayList<>(Worker.serverArgs(db, prometheus.url()));
        args.add("--pushgateway.url=" + pushgateway.url());
        args.add("--pushgateway.job=cannot-migrate"); // a group of its own: the other tests push too
        Worker.Result r = Worker.run(Worker.withOption(args, "clickhouse.url", "http://127.0.0.1:" + closed), "hourly",
                "--now=2025-10-13T05:10:00Z");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).contains("cannot bring the ClickHouse schema up to date");

        String group = "job=\"cannot-migrate\",mode=\"hourly\"";
        Map<String, Double> m = parse(pushgateway.metrics());
        assertThat(m).containsEntry("kubecost_worker_run_succeeded{" + group + "}", 0.0)
                .containsEntry("kubecost_worker_tenants{" + group + ",outcome=\"succeeded\"}", 0.0)
                .containsEntry("kubecost_worker_hours{" + group + "}", 0.0)
                .doesNotContainKey("kubecost_worker_last_success_timestamp_seconds{" + group + "}");
    }

    @Test
    void aPushgatewayThatCannotBeReachedIsLoggedOnceAndTheRunStillSucceeds(TestDatabase db) throws IOException {
        int closed = Worker.closedPort();
        Map<String, String> env = Worker.environment(Worker.serverArgs(db, prometheus.url()));
        env.put("PUSHGATEWAY_URL", "http://127.0.0.1:" + closed);
        JarProcess.Result r = JarProcess.run(env, "backfill", "--from=2025-10-13T00:00:00Z", "--to=2025-10-13T01:00:00Z");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.err().lines().filter(l -> l.contains("could not push to the Pushgateway"))).hasSize(1);
    }

    @Test
    void aRunOverOtherTenantsLeavesAFailedTenantsFailureAndLagStanding(TestDatabase db) {
        List<String> args = pushingInGroup(db, "two-runs");
        try (FaultProxy proxy = new FaultProxy(prometheus.url())) {
            proxy.failRequestsContaining("globex");
            Worker.Result r = Worker.run(Worker.withOption(args, "thanos.url", proxy.url()), "hourly",
                    "--now=2025-10-13T05:10:00Z", "--tenant=acme", "--tenant=globex");
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        }
        // both tenants are new: their watermarks start 3 hours back, at 02:00; acme's moves to 05:00,
        // the end of the last complete hour, and globex's stays where it started
        assertThat(tenantSeries("two-runs")).isEqualTo(Map.of(
                "failed acme", 0.0, "lag acme", 0.0,
                "failed globex", 1.0, "lag globex", 3 * 3600.0));

        Worker.Result r = Worker.run(args, "hourly", "--now=2025-10-13T06:10:00Z", "--tenant=acme");
        assertThat(r.exitCode()).as(r.toString()).isZero();

        assertThat(tenantSeries("two-runs")).isEqualTo(Map.of(
                "failed acme", 0.0, "lag acme", 0.0,
                "failed globex", 1.0, // its last run failed
                "lag globex", 4 * 3600.0)); // still at 02:00, now behind 06:00
        String group = "job=\"two-runs\",mode=\"hourly\"";
        assertThat(parse(pushgateway.metrics())).as("the run-level series are the second run's own")
                .containsEntry("kubecost_worker_tenants{" + group + ",outcome=\"succeeded\"}", 1.0)
                .containsEntry("kubecost_worker_tenants{" + group + ",outcome=\"failed\"}", 0.0)
                .containsEntry("kubecost_worker_run_succeeded{" + group + "}", 1.0);
    }

    @Test
    void twoShardsPushIntoGroupsOfTheirOwnEachWithItsOwnTenantsOnly(TestDatabase db) {
        List<String> args = pushingInGroup(db, "shards");
        args.add("--worker.shard.count=2");
        // of 2 shards, acme is shard 0 and globex shard 1 (printf %s ID | sha256sum: 822b... is even, 5bc1... odd);
        // shard 0 runs again after shard 1, when the ledger holds globex's row too
        for (int index : List.of(0, 1, 0)) {
            Worker.Result r = Worker.run(args, "hourly", "--now=2025-10-13T05:10:00Z", "--worker.shard.index=" + index);
            assertThat(r.exitCode()).as(r.toString()).isZero();
        }

        Map<String, Double> m = parse(pushgateway.metrics());
        for (String shard : List.of("0", "1")) {
            String group = "job=\"shards\",mode=\"hourly\"";
            assertThat(m).as("shard " + shard).containsEntry("kubecost_worker_run_succeeded{" + group + ",shard=\"" + shard + "\"}", 1.0)
                    .containsEntry("kubecost_worker_tenants{" + group + ",outcome=\"succeeded\",shard=\"" + shard + "\"}", 1.0)
                    .containsEntry("kubecost_worker_hours{" + group + ",shard=\"" + shard + "\"}", 3.0); // its tenant's last 3 hours
        }
        assertThat(m.keySet()).as("no group of the job without a shard").noneMatch(k -> k.contains("job=\"shards\"") && !k.contains("shard="));
        Pattern key = Pattern.compile("kubecost_worker_(tenant_failed|watermark_lag_seconds)\\{job=\"shards\",mode=\"hourly\","
                + "shard=\"(\\d)\",tenant=\"([^\"]*)\"}");
        Map<String, String> shardOfTenantSeries = new HashMap<>();
        m.keySet().forEach(k -> {
            Matcher match = key.matcher(k);
            if (match.matches()) {
                shardOfTenantSeries.merge(match.group(1) + " " + match.group(3), match.group(2), (a, b) -> a + "," + b);
            }
        });
        assertThat(shardOfTenantSeries).isEqualTo(Map.of("tenant_failed acme", "0", "watermark_lag_seconds acme", "0",
                "tenant_failed globex", "1", "watermark_lag_seconds globex", "1"));
    }

    @Test
    void aTenantNoRunHasProcessedWithinMaxCatchUpLeavesTheGroup(TestDatabase db) {
        db.recreate();
        List<String> args = new ArrayList<>(Worker.serverArgs(db, prometheus.url()));
        assertThat(Worker.run(args, "migrate").exitCode()).isZero();
        // two tenants only the ledger knows: gone's last hourly run ended two days ago, quiet's an hour
        // ago; both failed, both watermarks at 01:00
        long now = Instant.now().getEpochSecond();
        long mark = D0.getEpochSecond() + 3600;
        for (Map.Entry<String, Long> t : Map.of("gone", now - 2 * 86400, "quiet", now - 3600).entrySet()) {
            db.execute("INSERT INTO k8s_expenses_runs (run_id, mode, cloud_account_id, window_start, window_end, status,"
                    + " started_at, finished_at, error) VALUES ('r-" + t.getKey() + "', 'hourly', '" + t.getKey() + "', "
                    + D0.getEpochSecond() + ", " + mark + ", 'failed', " + (t.getValue() - 60) + ", " + t.getValue() + ", 'x')");
            db.execute("INSERT INTO k8s_expenses_watermarks (cloud_account_id, watermark, run_id, updated_at) VALUES ('"
                    + t.getKey() + "', " + mark + ", 'r-" + t.getKey() + "', " + t.getValue() + ")");
        }
        args.add("--pushgateway.url=" + pushgateway.url());
        args.add("--pushgateway.job=forget"); // a group of its own: the other tests push too

        Worker.Result r = Worker.run(args, "hourly", "--now=2025-10-13T05:10:00Z", "--tenant=acme");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        // within worker.max-catch-up (7 days) both stay, 05:00 - 01:00 behind
        assertThat(tenantSeries("forget")).isEqualTo(Map.of(
                "failed acme", 0.0, "lag acme", 0.0,
                "failed gone", 1.0, "lag gone", 4 * 3600.0,
                "failed quiet", 1.0, "lag quiet", 4 * 3600.0));

        r = Worker.run(args, "hourly", "--now=2025-10-13T05:10:00Z", "--tenant=acme", "--worker.max-catch-up=1d");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(tenantSeries("forget")).isEqualTo(Map.of(
                "failed acme", 0.0, "lag acme", 0.0,
                "failed quiet", 1.0, "lag quiet", 4 * 3600.0));
    }

    @Test
    void aTenantWhoseLedgerRowsCannotBeWrittenIsStillPushedAsFailed(TestDatabase db) {
        db.recreate();
        List<String> args = new ArrayList<>(Worker.serverArgs(db, prometheus.url()));
        assertThat(Worker.run(args, "migrate").exitCode()).isZero();
        args.add("--pushgateway.url=" + pushgateway.url());
        args.add("--pushgateway.job=no-ledger"); // a group of its own: the other tests push too
        try (FaultProxy proxy = new FaultProxy(db.properties().url().toString())) {
            proxy.failRequestsContaining("INSERT INTO k8s_expenses_runs");
            Worker.Result r = Worker.run(Worker.withOption(args, "clickhouse.url", proxy.url()), "hourly",
                    "--now=2025-10-13T05:10:00Z", "--tenant=acme", "--tenant=globex");
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        }
        // the ledger has no row of the run: its own outcomes count; the watermarks were written (05:00)
        assertThat(tenantSeries("no-ledger")).isEqualTo(Map.of(
                "failed acme", 1.0, "lag acme", 0.0,
                "failed globex", 1.0, "lag globex", 0.0));
    }

    @Test
    void hoursPastMaxCatchUpArePushedAsSkippedAndCheckReportsThemUntilABackfill(TestDatabase db) {
        List<String> args = pushingInGroup(db, "skipped");
        String group = "job=\"skipped\",mode=\"hourly\"";
        // new tenants: their watermarks land at 01:00, the end of the last complete hour as of 01:10
        Worker.Result r = Worker.run(args, "hourly", "--now=2025-10-13T01:10:00Z", "--tenant=acme", "--tenant=globex");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(parse(pushgateway.metrics())).containsEntry("kubecost_worker_skipped_hours{" + group + "}", 0.0);

        // as of 08:10 the last complete hour ends at 08:00; 3 hours of catch-up reach back to 05:00, so
        // 01:00..05:00 are left behind: 4 hours for each of the 2 tenants
        r = Worker.run(args, "hourly", "--now=2025-10-13T08:10:00Z", "--tenant=acme", "--tenant=globex", "--worker.max-catch-up=3h");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(parse(pushgateway.metrics())).containsEntry("kubecost_worker_skipped_hours{" + group + "}", 2 * 4.0)
                .containsEntry("kubecost_worker_hours{" + group + "}", 2 * 3.0);

        // the ledger's started_at is the clock's, so check looks back from the clock too
        Worker.Result check = CheckRuns.check(args, Instant.now(), "--tenant=acme", "--tenant=globex", "--json");
        assertThat(check.exitCode()).as(check.toString()).isEqualTo(ExitCodes.FAILED);
        JsonNode doc = CheckRuns.document(check);
        assertThat(CheckRuns.problemsWhere(doc)).contains("skipped_hours tenant acme", "skipped_hours tenant globex");
        assertThat(skippedFacts(doc)).containsExactly("acme 2025-10-13T01:00:00Z 2025-10-13T05:00:00Z 4",
                "globex 2025-10-13T01:00:00Z 2025-10-13T05:00:00Z 4");

        // a backfill of acme's hours makes them good; globex's stay a problem
        r = Worker.run(args, "backfill", "--from=2025-10-13T01:00:00Z", "--to=2025-10-13T05:00:00Z", "--tenant=acme");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        doc = CheckRuns.document(CheckRuns.check(args, Instant.now(), "--tenant=acme", "--tenant=globex", "--json"));
        assertThat(CheckRuns.problemsWhere(doc)).contains("skipped_hours tenant globex").doesNotContain("skipped_hours tenant acme");
        assertThat(skippedFacts(doc)).containsExactly("globex 2025-10-13T01:00:00Z 2025-10-13T05:00:00Z 4");
    }

    /** A fresh database, and the worker's arguments pushing into a group of its own {@code job} (the other tests push too). */
    private static List<String> pushingInGroup(TestDatabase db, String job) {
        db.recreate();
        List<String> args = new ArrayList<>(Worker.serverArgs(db, prometheus.url()));
        args.add("--pushgateway.url=" + pushgateway.url());
        args.add("--pushgateway.job=" + job);
        return args;
    }

    /** check --json's clickhouse.skipped_hours as "tenant from to hours". */
    private static List<String> skippedFacts(JsonNode doc) {
        List<String> facts = new ArrayList<>();
        doc.get("clickhouse").get("skipped_hours").forEach(s -> facts.add(s.get("tenant").asString() + " " + s.get("from").asString()
                + " " + s.get("to").asString() + " " + s.get("hours").asLong()));
        return facts;
    }

    /** The per-tenant series of group job/hourly, as "failed TENANT" and "lag TENANT" -> value. */
    private static Map<String, Double> tenantSeries(String job) {
        Pattern key = Pattern.compile("kubecost_worker_(tenant_failed|watermark_lag_seconds)\\{job=\"" + Pattern.quote(job)
                + "\",mode=\"hourly\",tenant=\"([^\"]*)\"}");
        Map<String, Double> series = new HashMap<>();
        parse(pushgateway.metrics()).forEach((k, v) -> {
            Matcher m = key.matcher(k);
            if (m.matches()) {
                series.put((m.group(1).equals("tenant_failed") ? "failed " : "lag ") + m.group(2), v);
            }
        });
        return series;
    }

    /**
     * The metric families of the samples carrying {@code label}: a sample's family is its name, or for
     * a summary's {@code _sum} and {@code _count} the summary's (as its # TYPE line names it).
     */
    private static List<String> families(String exposition, String label) {
        Set<String> summaries = exposition.lines().filter(l -> l.startsWith("# TYPE ") && l.endsWith(" summary"))
                .map(l -> l.split(" ")[2]).collect(Collectors.toSet());
        return exposition.lines().filter(l -> !l.startsWith("#") && l.contains(label)).map(l -> l.substring(0, l.indexOf('{')))
                .map(n -> summaries.contains(n.replaceAll("_(sum|count)$", "")) ? n.replaceAll("_(sum|count)$", "") : n)
                .distinct().sorted().toList();
    }

    /** The key of a rows gauge: labels in alphabetical order, kind between job and mode. */
    private static String rows(String group, String kind) {
        return "kubecost_worker_rows{" + group.replace(",mode=", ",kind=\"" + kind + "\",mode=") + "}";
    }

    /** The text exposition as "name{labels in order}" -> value; labels sorted so keys are stable. */
    static Map<String, Double> parse(String exposition) {
        Map<String, Double> values = new HashMap<>();
        Pattern line = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})? (\\S+)$");
        Pattern label = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");
        for (String l : exposition.lines().toList()) {
            Matcher m = line.matcher(l);
            if (l.startsWith("#") || !m.matches()) {
                continue;
            }
            List<String> labels = new ArrayList<>();
            if (m.group(3) != null) {
                Matcher lm = label.matcher(m.group(3));
                while (lm.find()) {
                    if (!lm.group(1).equals("instance")) {
                        labels.add(lm.group(1) + "=\"" + lm.group(2) + "\"");
                    }
                }
            }
            labels.sort(null);
            values.put(m.group(1) + (labels.isEmpty() ? "" : "{" + String.join(",", labels) + "}"), Double.parseDouble(m.group(4)));
        }
        return values;
    }
}
