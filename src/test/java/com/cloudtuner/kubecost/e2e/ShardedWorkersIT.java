package com.cloudtuner.kubecost.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.cloudtuner.kubecost.simulate.DemoScenario;
import com.cloudtuner.kubecost.testing.Exporter;
import com.cloudtuner.kubecost.testing.JarProcess;
import com.cloudtuner.kubecost.testing.PrometheusServer;
import com.cloudtuner.kubecost.testing.RealServers;
import com.cloudtuner.kubecost.testing.TestDatabase;
import com.cloudtuner.kubecost.testing.Worker;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * Three worker shards as three processes of the packaged jar, run at once against one ClickHouse
 * database (WORKER_SHARD_INDEX 0, 1, 2 of WORKER_SHARD_COUNT 3, as the pods of an Indexed Job), and one
 * unsharded worker against a second database, over the same 12 tenants in one Prometheus: a backfill,
 * then an hourly run. Together the shards write exactly the unsharded worker's rows; each tenant is
 * processed by one shard, the one its id's SHA-256 names; the ledger's rows name their shard.
 */
@ExtendWith(RealServers.class)
class ShardedWorkersIT {

    private static final Instant D0 = Instant.parse("2025-10-13T00:00:00Z");
    private static final List<String> TENANTS = IntStream.rangeClosed(1, 12).mapToObj(i -> String.format("tenant-%02d", i)).toList();
    private static final int SHARDS = 3;
    private static final String[] BACKFILL = {"backfill", "--from=2025-10-13T00:00:00Z", "--to=2025-10-13T06:00:00Z"};
    private static final String[] HOURLY = {"hourly", "--now=2025-10-13T08:10:00Z"};
    /** Every column of the views but version and computed_at, which say when a row was written, not what it holds. */
    private static final String VALUES = "resource_id, currency, cost, cpu_cost, ram_cost, pv_cost, network_cost, lb_cost,"
            + " cpu_efficiency, ram_efficiency, total_efficiency, coverage, deleted, provisional";

    private static TestDatabase db;
    private static String unshardedDatabase;
    /** Per command (backfill, hourly), the three shards' results, by shard index. */
    private static final Map<String, List<JarProcess.Result>> sharded = new HashMap<>();
    private static final Map<String, JarProcess.Result> unsharded = new HashMap<>();

    @BeforeAll
    static void runShardedAndUnsharded(TestDatabase database, PrometheusServer prometheus) throws Exception {
        prometheus.load(DemoScenario.generate(Exporter.PREFIX, TENANTS, D0, 8, 17));
        db = database;
        db.recreate();
        unshardedDatabase = db.name() + "_unsharded";
        Map<String, String> env = Worker.environment(Worker.serverArgs(db, prometheus.url()));
        Map<String, String> unshardedEnv = new HashMap<>(env);
        unshardedEnv.put("CLICKHOUSE_DATABASE", unshardedDatabase);
        for (String[] command : List.of(BACKFILL, HOURLY)) {
            unsharded.put(command[0], JarProcess.run(unshardedEnv, command));
            sharded.put(command[0], runShards(env, command));
        }
    }

    @AfterAll
    static void dropTheUnshardedDatabase() {
        db.execute("DROP DATABASE IF EXISTS `" + unshardedDatabase + "`");
    }

    /** The three shards' processes at once, as an Indexed Job's pods start; each result once its process has ended. */
    private static List<JarProcess.Result> runShards(Map<String, String> env, String[] command) throws Exception {
        ExecutorService pods = Executors.newFixedThreadPool(SHARDS);
        try {
            List<Future<JarProcess.Result>> running = new ArrayList<>();
            for (int index = 0; index < SHARDS; index++) {
                Map<String, String> pod = new HashMap<>(env);
                pod.put("WORKER_SHARD_INDEX", String.valueOf(index));
                pod.put("WORKER_SHARD_COUNT", String.valueOf(SHARDS));
                running.add(pods.submit(() -> JarProcess.run(pod, command)));
            }
            List<JarProcess.Result> results = new ArrayList<>();
            for (Future<JarProcess.Result> r : running) {
                results.add(r.get());
            }
            return results;
        } finally {
            pods.shutdownNow();
        }
    }

    @Test
    void everyRunEndsWithExitZero() {
        unsharded.forEach((command, r) -> assertThat(r.exitCode()).as("unsharded " + command + "\n" + r).isZero());
        sharded.forEach((command, results) -> results.forEach(r -> assertThat(r.exitCode()).as(command + "\n" + r).isZero()));
    }

    @Test
    void theShardsTogetherWriteExactlyTheRowsOfOneUnshardedWorker() {
        for (String view : List.of("k8s_expenses_current", "k8s_cluster_expenses_current")) {
            Map<String, String> together = rows(db.name(), view);
            assertThat(together).as(view + " of the shards").hasSizeGreaterThan(TENANTS.size() * 8);
            assertThat(together).as(view + ": the shards' rows against the unsharded worker's").isEqualTo(rows(unshardedDatabase, view));
        }
        assertThat(watermarks(db.name())).as("watermarks").isEqualTo(watermarks(unshardedDatabase)).hasSize(TENANTS.size());
        assertThat(daily(db.name())).as("k8s_expenses_daily").isNotEmpty().isEqualTo(daily(unshardedDatabase));
    }

    @Test
    void eachTenantIsProcessedByExactlyOneShardTheOneItsIdHashesTo() {
        for (String command : sharded.keySet()) {
            Map<String, List<String>> shardsOfTenant = new TreeMap<>();
            for (JsonNode row : ledgerRows(db.name(), runIds(sharded.get(command)))) {
                shardsOfTenant.computeIfAbsent(row.get("cloud_account_id").asString(), t -> new ArrayList<>())
                        .add(row.get("shard").asString());
            }
            Map<String, List<String>> expected = new TreeMap<>();
            TENANTS.forEach(t -> expected.put(t, List.of(expectedShard(t) + "/" + SHARDS)));
            assertThat(shardsOfTenant).as(command + ": the shard of each tenant's k8s_expenses_runs row").isEqualTo(expected);
        }
        assertThat(TENANTS.stream().map(ShardedWorkersIT::expectedShard).distinct()).as("the tenants fall in all three shards")
                .hasSize(SHARDS);
    }

    @Test
    void theLedgerRowsNameTheirShardAndTheUnshardedWorkersNone() {
        for (List<JarProcess.Result> results : sharded.values()) {
            for (int index = 0; index < SHARDS; index++) {
                String runId = runId(results.get(index));
                List<JsonNode> runs = db.query("SELECT status, shard FROM k8s_worker_runs WHERE run_id = '" + runId + "'");
                assertThat(runs).as("k8s_worker_runs of shard " + index).extracting(r -> r.get("status").asString() + " " + r.get("shard")
                        .asString()).containsExactlyInAnyOrder("running " + index + "/3", "succeeded " + index + "/3");
                assertThat(ledgerRows(db.name(), List.of(runId))).as("k8s_expenses_runs of shard " + index)
                        .extracting(r -> r.get("shard").asString()).isNotEmpty().containsOnly(index + "/3");
            }
        }
        List<String> unshardedRuns = unsharded.values().stream().map(ShardedWorkersIT::runId).toList();
        assertThat(ledgerRows(unshardedDatabase, unshardedRuns)).hasSize(2 * TENANTS.size())
                .extracting(r -> r.get("shard").asString()).containsOnly("");
        assertThat(db.query("SELECT DISTINCT shard FROM `" + unshardedDatabase + "`.k8s_worker_runs")).extracting(r -> r.get("shard")
                .asString()).containsExactly("");
    }

    /** The shard of a tenant among three, computed here: the first 8 bytes of SHA-256 of its id, unsigned, mod 3. */
    private static int expectedShard(String tenant) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(tenant.getBytes(StandardCharsets.UTF_8));
            return new BigInteger(1, Arrays.copyOf(digest, 8)).mod(BigInteger.valueOf(SHARDS)).intValueExact();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A view's rows, "tenant|cluster|namespace|hour" to every value column, as ClickHouse prints them. */
    private static Map<String, String> rows(String database, String view) {
        boolean namespaces = view.equals("k8s_expenses_current");
        String values = namespaces ? VALUES : VALUES.replace("resource_id, ", "");
        Map<String, String> rows = new TreeMap<>();
        for (JsonNode r : db.query("SELECT cloud_account_id, cluster, " + (namespaces ? "namespace" : "'' AS namespace")
                + ", toUnixTimestamp(hour) AS h, " + values + " FROM `" + database + "`." + view)) {
            String key = r.get("cloud_account_id").asString() + "|" + r.get("cluster").asString() + "|" + r.get("namespace").asString()
                    + "|" + r.get("h").asLong();
            StringBuilder row = new StringBuilder();
            for (String column : values.split(", ")) {
                row.append(column).append('=').append(r.get(column)).append(' ');
            }
            assertThat(rows.put(key, row.toString())).as(database + "." + view + " holds one row of " + key).isNull();
        }
        return rows;
    }

    private static Map<String, Long> watermarks(String database) {
        Map<String, Long> marks = new TreeMap<>();
        db.query("SELECT cloud_account_id, toUnixTimestamp(max(watermark)) AS w FROM `" + database + "`.k8s_expenses_watermarks"
                + " GROUP BY cloud_account_id").forEach(r -> marks.put(r.get("cloud_account_id").asString(), r.get("w").asLong()));
        return marks;
    }

    /** k8s_expenses_daily as the REST API sums it: per tenant, resource and day, cost and rows. */
    private static Map<String, String> daily(String database) {
        Map<String, String> days = new TreeMap<>();
        db.query("SELECT cloud_account_id, resource_id, toUnixTimestamp(date) AS d, sum(cost * sign) AS c, sum(sign) AS n FROM `"
                        + database + "`.k8s_expenses_daily GROUP BY cloud_account_id, resource_id, d")
                .forEach(r -> days.put(r.get("cloud_account_id").asString() + "|" + r.get("resource_id").asString() + "|"
                        + r.get("d").asLong(), r.get("c") + " " + r.get("n")));
        return days;
    }

    private static List<JsonNode> ledgerRows(String database, List<String> runIds) {
        return db.query("SELECT cloud_account_id, shard FROM `" + database + "`.k8s_expenses_runs WHERE run_id IN ('"
                + String.join("', '", runIds) + "')");
    }

    private static List<String> runIds(List<JarProcess.Result> results) {
        return results.stream().map(ShardedWorkersIT::runId).toList();
    }

    /** The run id from the summary's first line on stdout, "run ID ...". */
    private static String runId(JarProcess.Result r) {
        String first = r.out().lines().findFirst().orElse("");
        assertThat(first).as("a run summary\n" + r).startsWith("run ");
        return first.split(" ")[1];
    }
}
