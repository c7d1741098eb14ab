package com.cloudtuner.kubecost.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.cloudtuner.kubecost.clickhouse.ClickHouseGateway;
import com.cloudtuner.kubecost.clickhouse.MigrationSource;
import com.cloudtuner.kubecost.clickhouse.Migrator;
import com.cloudtuner.kubecost.config.ClickHouseProperties;
import com.cloudtuner.kubecost.testing.ClickHouseCluster;
import com.cloudtuner.kubecost.testing.ClickHouseServer;
import com.cloudtuner.kubecost.testing.PrometheusServer;
import com.cloudtuner.kubecost.testing.ReaderDriver;
import com.cloudtuner.kubecost.testing.TestDatabase;
import com.cloudtuner.kubecost.testing.Worker;
import com.cloudtuner.kubecost.queries.ReaderQueryFile;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.time.Instant;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import com.cloudtuner.kubecost.testing.RealServers;
import tools.jackson.databind.JsonNode;

/**
 * What a ClickHouse cluster (clickhouse.cluster) must give, whatever its layout: each migration
 * applied once by runners racing through different nodes, and, for the backfill and the hourly run of
 * {@link TwoDayScenario}, exactly the rows, daily totals, ledger and reader answers of a single node.
 * Subclasses start the cluster (2 shards x 1 replica, 1 shard x 2 replicas).
 */
@ExtendWith(RealServers.class)
abstract class ClusterContract {

    static final String[] BACKFILL = {"backfill", "--from=2025-10-13", "--to=2025-10-15"};
    static final String[] HOURLY = {"hourly", "--now=2025-10-14T18:15:00Z"};

    static ClickHouseCluster cluster;

    @BeforeAll
    static void loadScenario(PrometheusServer prom) {
        prom.load(TwoDayScenario.generate().dataset());
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    static ClickHouseProperties properties(ClickHouseCluster.Node node, String database) {
        return new ClickHouseProperties(URI.create(node.url()), "default", "", database, Duration.ofSeconds(60), Duration.ofMinutes(2),
                100_000, 2, Duration.ofMillis(10), ClickHouseCluster.NAME, List.of());
    }

    static List<String> workerArgs(ClickHouseCluster.Node node, String database, String thanosUrl) {
        return List.of("--clickhouse.url=" + node.url(), "--clickhouse.database=" + database, "--clickhouse.cluster=" + ClickHouseCluster.NAME,
                "--clickhouse.retry-backoff=10ms", "--thanos.url=" + thanosUrl, "--thanos.retry-backoff=10ms", "--worker.tenants=");
    }

    @Test
    void runnersMigratingAFreshClusterAtOnceThroughTwoNodesApplyEachMigrationOnce() {
        String database = "kw_race";
        List<ClickHouseCluster.Node> nodes = cluster.nodes();
        List<CompletableFuture<List<String>>> runners = new ArrayList<>();
        CyclicBarrier start = new CyclicBarrier(2); // both runners begin together, each on a thread of its own
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            for (ClickHouseCluster.Node node : List.of(nodes.get(0), nodes.get(nodes.size() - 1))) {
                runners.add(CompletableFuture.supplyAsync(() -> {
                    try (ClickHouseGateway ch = new ClickHouseGateway(properties(node, database))) {
                        Migrator migrator = new Migrator(ch, MigrationSource.classpath(), Duration.ofMinutes(2), Clock.systemUTC());
                        start.await(1, TimeUnit.MINUTES);
                        return migrator.migrate();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, threads));
            }
        } finally {
            threads.shutdown();
        }
        List<String> applied = runners.stream().flatMap(r -> r.join().stream()).toList();
        List<String> every = MigrationSource.classpath().stream().map(m -> m.script()).toList();
        assertThat(applied).containsExactlyInAnyOrderElementsOf(every);

        for (ClickHouseCluster.Node node : nodes) {
            try (ClickHouseGateway ch = new ClickHouseGateway(properties(node, database))) {
                ch.execute("SYSTEM SYNC REPLICA " + database + ".k8s_worker_schema_history");
                assertThat(ch.select("SELECT script FROM k8s_worker_schema_history ORDER BY version").stream()
                        .map(r -> r.get("script").asString())).as(node.name()).containsExactlyElementsOf(every);
                Map<String, String> engines = new TreeMap<>();
                ch.select("SELECT name, engine FROM system.tables WHERE database = '" + database + "'")
                        .forEach(r -> engines.put(r.get("name").asString(), r.get("engine").asString()));
                assertThat(engines).as(node.name())
                        .containsEntry("k8s_expenses_local", "ReplicatedReplacingMergeTree")
                        .containsEntry("k8s_expenses", "Distributed")
                        .containsEntry("k8s_expenses_runs_local", "ReplicatedMergeTree")
                        .containsEntry("k8s_expenses_watermarks", "Distributed")
                        .containsEntry("k8s_worker_runs", "ReplicatedMergeTree")
                        .containsEntry("k8s_expenses_daily", "ReplicatedMergeTree")
                        .containsEntry("k8s_expenses_current", "View")
                        .doesNotContainKey("k8s_worker_migration_lock").doesNotContainKey("k8s_expenses_altered")
                        .doesNotContainKey("k8s_expenses_replaced");
                assertThat(ch.select("SELECT name FROM system.columns WHERE database = '" + database
                        + "' AND table = 'k8s_expenses' AND name = 'provisional'")).as("an ALTER reached the Distributed table").hasSize(1);
            }
        }
    }

    @Test
    void backfillAndHourlyRunsGiveTheSingleNodesRowsDailyTotalsLedgerAndReaderAnswers(TestDatabase single, PrometheusServer prom) {
        String database = "kw_runs";
        runBoth(single, prom, database, BACKFILL, HOURLY);

        // read through the last node, not the one the worker wrote through
        ClickHouseCluster.Node reader = cluster.nodes().get(cluster.nodes().size() - 1);
        try (ClickHouseGateway ch = new ClickHouseGateway(properties(reader, database))) {
            for (String everyNode : List.of("k8s_expenses_daily", "k8s_worker_runs")) {
                ch.execute("SYSTEM SYNC REPLICA " + database + "." + everyNode);
            }
            for (String query : COMPARED) {
                List<String> expected = lines(single.query(query));
                assertThat(expected).as(query).isNotEmpty();
                assertThat(lines(ch.select(query))).as(query).containsExactlyElementsOf(expected);
            }
            assertTenantsStayOnOneShard(database);
        }
        List<String> accounts = single.query("SELECT DISTINCT cloud_account_id AS a FROM k8s_expenses").stream()
                .map(r -> r.get("a").asString()).sorted().toList();
        for (String file : List.of("k8s_costs.sql", "k8s_costs_by_cluster.sql", "daily_costs.sql")) {
            ReaderDriver.Result want = new ReaderDriver(single).run(readerCall(file, accounts));
            ReaderDriver.Result got = readerOn(reader, database).run(readerCall(file, accounts));
            assertThat(want.error()).as(file).isNull();
            assertThat(got.error()).as(file).isNull();
            assertThat(rounded(got.rows())).as(file).containsExactlyInAnyOrderElementsOf(rounded(want.rows()));
        }
    }

    /** Every row of a tenant lives on one shard, and each node holds its shard's rows. */
    abstract void assertTenantsStayOnOneShard(String database);

    /** Rows of every table a run writes, without what differs by nature between two runs (run ids, clocks, versions). */
    static final List<String> COMPARED = List.of(
            "SELECT cloud_account_id, cluster, namespace, resource_id, toUnixTimestamp(hour) AS h, currency, round(cost, 9) AS c,"
                    + " round(cpu_cost, 9) AS cpu, round(ram_cost, 9) AS ram, round(pv_cost, 9) AS pv, round(network_cost, 9) AS net,"
                    + " round(lb_cost, 9) AS lb, cpu_efficiency, ram_efficiency, total_efficiency, coverage, provisional"
                    + " FROM k8s_expenses_current",
            "SELECT cloud_account_id, cluster, toUnixTimestamp(hour) AS h, currency, round(cost, 9) AS c, coverage, provisional"
                    + " FROM k8s_cluster_expenses_current",
            "SELECT cloud_account_id, toUnixTimestamp(hour) AS h, count() AS versions, sum(deleted) AS tombstones"
                    + " FROM k8s_expenses GROUP BY cloud_account_id, h",
            "SELECT cloud_account_id, resource_id, toUnixTimestamp(date) AS d, round(cost, 9) AS c, sign, currency, hours"
                    + " FROM k8s_expenses_daily",
            "SELECT cloud_account_id, toUnixTimestamp(watermark) AS w FROM k8s_expenses_watermarks FINAL",
            "SELECT cloud_account_id, mode, status, toUnixTimestamp(window_start) AS s, toUnixTimestamp(window_end) AS e,"
                    + " rows_written, rows_changed, rows_tombstoned, refused_cluster_hours FROM k8s_expenses_runs",
            "SELECT mode, status, tenants, failed_tenants FROM k8s_worker_runs");

    static List<String> rounded(List<JsonNode> rows) {
        return rows.stream().map(r -> {
            StringBuilder line = new StringBuilder();
            r.properties().forEach(e -> line.append(e.getKey()).append('=')
                    .append(e.getValue().isNumber() ? String.format("%.9f", e.getValue().asDouble()) : e.getValue().toString()).append(' '));
            return line.toString();
        }).sorted().toList();
    }

    static List<String> lines(List<JsonNode> rows) {
        return rows.stream().map(JsonNode::toString).sorted().collect(Collectors.toList());
    }

    static void runBoth(TestDatabase single, PrometheusServer prom, String clusterDb, String[]... commands) {
        List<String> singleArgs = Worker.serverArgs(single, prom.url());
        List<String> clusterArgs = workerArgs(cluster.nodes().get(0), clusterDb, prom.url());
        for (String[] command : commands) {
            Worker.Result one = Worker.run(singleArgs, command);
            assertThat(one.exitCode()).as(one.toString()).isZero();
            Worker.Result spread = Worker.run(clusterArgs, command);
            assertThat(spread.exitCode()).as(spread.toString()).isZero();
        }
    }

    /**
     * Starts {@code command} in the background, waits until its run's start row shows through
     * {@code watch}, calls {@code kill}, and returns the run's result.
     */
    static Worker.Result killedOnceStarted(ClickHouseGateway watch, List<String> args, String[] command, Runnable kill) throws Exception {
        CompletableFuture<Worker.Result> run = CompletableFuture.supplyAsync(() -> Worker.run(args, command));
        awaitRow(watch, run, "SELECT run_id FROM k8s_worker_runs WHERE status = 'running'");
        kill.run();
        return run.get(5, TimeUnit.MINUTES);
    }

    /** Polls until the query returns a row (replication brings it), failing early if the run ends first. */
    static void awaitRow(ClickHouseGateway ch, CompletableFuture<Worker.Result> run, String sql) {
        Instant deadline = Instant.now().plusSeconds(60);
        while (ch.select(sql).isEmpty()) {
            assertThat(run).as("the run ended before its start row reached the second replica").isNotDone();
            assertThat(Instant.now()).as("the start row never reached the second replica").isBefore(deadline);
            LockSupport.parkNanos(20_000_000L);
        }
    }

    static ReaderDriver readerOn(ClickHouseCluster.Node node, String database) {
        return new ReaderDriver(ClickHouseServer.running(node.url(), node.nativePort()), database);
    }

    static ReaderDriver.Call readerCall(String file, List<String> accounts) {
        return new ReaderDriver.Call(ReaderQueryFile.named(file).statement()).tuple("cloud_account_ids", accounts)
                .param("start_date", TwoDayScenario.START.getEpochSecond())
                .param("end_date", TwoDayScenario.START.getEpochSecond() + 3 * 86_400 - 1);
    }
}
