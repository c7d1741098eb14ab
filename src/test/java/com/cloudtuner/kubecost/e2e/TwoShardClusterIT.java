package com.cloudtuner.kubecost.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.cloudtuner.kubecost.clickhouse.ClickHouseGateway;
import com.cloudtuner.kubecost.testing.ClickHouseCluster;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import com.cloudtuner.kubecost.testing.PrometheusServer;
import com.cloudtuner.kubecost.testing.TestDatabase;
import com.cloudtuner.kubecost.testing.Worker;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@link ClusterContract} on 2 shards x 1 replica: a tenant's rows on exactly one shard. */
class TwoShardClusterIT extends ClusterContract {

    @BeforeAll
    static void startCluster() {
        cluster = ClickHouseCluster.start(2, 1);
    }

    /**
     * A shard's only replica killed once a run has started (its start row is written): the run cannot
     * read or write that shard's tenants; once the node is back, a re-run writes the scenario's rows.
     */
    @Test
    void aShardKilledAfterTheRunStartedAndBackAgainConvergesOnARerun(PrometheusServer prom) throws Exception {
        String database = "kw_shard_down";
        try (ClickHouseCluster own = ClickHouseCluster.start(2, 1)) {
            ClickHouseCluster.Node first = own.nodes().get(0);
            List<String> args = workerArgs(first, database, prom.url());
            assertThat(Worker.run(args, "migrate").exitCode()).isZero();
            try (ClickHouseGateway ch = new ClickHouseGateway(properties(first, database))) {
                Worker.Result interrupted = killedOnceStarted(ch, args, BACKFILL, () -> own.kill(own.nodes().get(1)));
                assertThat(interrupted.exitCode()).as("a run that lost a shard").isNotZero();
                own.restart(own.nodes().get(1));
                Worker.Result again = Worker.run(args, BACKFILL);
                assertThat(again.exitCode()).as(again.toString()).isZero();
                BackfillEndToEndIT.assertTheViewHoldsTheRulesRows(ch::select);
            }
        }
    }

    /**
     * The statements of docs/cluster.md's "Moving from one node to a cluster", as written there (names
     * and addresses replaced): every row a single node holds reaches the cluster, and the next backfill
     * there changes nothing and builds the daily table the single node has.
     */
    @Test
    void theDocumentedMoveFromOneNodeCarriesEveryRowAndTheNextRunChangesNothing(TestDatabase single, PrometheusServer prom)
            throws Exception {
        String source = "kw_move_source";
        String target = "kw_moved";
        List<String> singleArgs = Worker.withOption(Worker.serverArgs(single, prom.url()), "clickhouse.database", source);
        List<String> clusterArgs = workerArgs(cluster.nodes().get(0), target, prom.url());
        assertThat(Worker.run(singleArgs, BACKFILL).exitCode()).isZero();
        assertThat(Worker.run(clusterArgs, "migrate").exitCode()).isZero();
        List<String> moves = documentedMoves(single, source, target);
        assertThat(moves).hasSize(5);
        try (ClickHouseGateway src = new ClickHouseGateway(Worker.properties(single, source));
             ClickHouseGateway dst = new ClickHouseGateway(properties(cluster.nodes().get(1), target))) {
            moves.forEach(dst::execute);
            for (String query : COMPARED) {
                if (!query.contains("k8s_expenses_daily")) {
                    assertThat(lines(dst.select(query))).as(query).containsExactlyElementsOf(lines(src.select(query)));
                }
            }
            Worker.Result next = Worker.run(clusterArgs, BACKFILL);
            assertThat(next.exitCode()).as(next.toString()).isZero();
            assertThat(dst.select("SELECT sum(rows_changed) + sum(rows_tombstoned) AS n FROM k8s_expenses_runs WHERE run_id = '"
                    + next.runId() + "'").get(0).get("n").asLong()).isZero();
            dst.execute("SYSTEM SYNC REPLICA " + target + ".k8s_expenses_daily");
            String daily = COMPARED.stream().filter(q -> q.contains("k8s_expenses_daily")).findFirst().orElseThrow();
            assertThat(lines(dst.select(daily))).isNotEmpty().containsExactlyElementsOf(lines(src.select(daily)));
        } finally {
            single.execute("DROP DATABASE IF EXISTS " + source);
        }
    }

    /** The INSERT statements of docs/cluster.md's move, pointed at these databases and the single node. */
    private static List<String> documentedMoves(TestDatabase single, String source, String target) throws Exception {
        String doc = Files.readString(Path.of("docs/cluster.md"));
        return doc.lines().map(String::strip).filter(l -> l.startsWith("INSERT INTO billing."))
                .map(l -> l.replace("INSERT INTO billing.", "INSERT INTO " + target + ".")
                        .replace("remote('old-node:9000', billing,", "remote('127.0.0.1:" + single.server().nativePort() + "', " + source + ",")
                        .replace("'user', 'password'", "'" + single.server().user() + "', '" + single.server().password() + "'")
                        .replaceAll(";$", ""))
                .toList();
    }

    @Override
    void assertTenantsStayOnOneShard(String database) {
        Set<String> seen = new HashSet<>();
        for (ClickHouseCluster.Node node : cluster.nodes()) {
            try (ClickHouseGateway ch = new ClickHouseGateway(properties(node, database))) {
                for (String table : List.of("k8s_expenses_local", "k8s_cluster_expenses_local", "k8s_expenses_runs_local",
                        "k8s_expenses_watermarks_local")) {
                    List<String> tenants = ch.select("SELECT DISTINCT cloud_account_id AS a FROM " + table).stream()
                            .map(r -> r.get("a").asString()).toList();
                    assertThat(tenants).as(node.name() + " " + table).isNotEmpty();
                    if (table.equals("k8s_expenses_local")) {
                        tenants.forEach(t -> assertThat(seen.add(t)).as(t + " on two shards").isTrue());
                    }
                }
            }
        }
    }
}
