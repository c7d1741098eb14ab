package com.cloudtuner.kubecost.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.cloudtuner.kubecost.clickhouse.ClickHouseGateway;
import com.cloudtuner.kubecost.testing.ClickHouseCluster;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import com.cloudtuner.kubecost.testing.PrometheusServer;
import com.cloudtuner.kubecost.testing.Worker;
import java.util.ArrayList;
import java.util.List;

/** {@link ClusterContract} on 1 shard x 2 replicas: both replicas hold every row. */
class TwoReplicaClusterIT extends ClusterContract {

    @BeforeAll
    static void startCluster() {
        cluster = ClickHouseCluster.start(1, 2);
    }

    /**
     * The worker writes through the first replica, with the second as its fallback; the first is killed
     * once the run has started (its start row has reached the second). The run goes on through the
     * second replica and writes the scenario's rows; a re-run through the second alone changes nothing.
     */
    @Test
    void aReplicaKilledAfterTheRunStartedLeavesTheOtherToFinishAndARerunConverges(PrometheusServer prom) throws Exception {
        String database = "kw_failover";
        try (ClickHouseCluster own = ClickHouseCluster.start(1, 2)) {
            ClickHouseCluster.Node first = own.nodes().get(0);
            ClickHouseCluster.Node second = own.nodes().get(1);
            List<String> args = new ArrayList<>(workerArgs(first, database, prom.url()));
            args.add("--clickhouse.fallback-urls=" + second.url());
            assertThat(Worker.run(args, "migrate").exitCode()).isZero();
            try (ClickHouseGateway survivor = new ClickHouseGateway(properties(second, database))) {
                Worker.Result result = killedOnceStarted(survivor, args, BACKFILL, () -> own.kill(first));
                assertThat(result.exitCode()).as(result.toString()).isZero();
                BackfillEndToEndIT.assertTheViewHoldsTheRulesRows(survivor::select);

                Worker.Result again = Worker.run(workerArgs(second, database, prom.url()), BACKFILL);
                assertThat(again.exitCode()).as(again.toString()).isZero();
                assertThat(survivor.select("SELECT sum(rows_changed) + sum(rows_tombstoned) AS n FROM k8s_expenses_runs"
                        + " WHERE run_id = '" + again.runId() + "'").get(0).get("n").asLong()).isZero();
                BackfillEndToEndIT.assertTheViewHoldsTheRulesRows(survivor::select);
            }
        }
    }

    /**
     * Two pods talking to different replicas, the second of which lags (its fetches stopped): what the
     * first pod wrote, the second pod reads, because both go to the shard's first healthy replica. Its
     * re-run finds every row stored and changes none (reading its own node's copy, it would find none).
     */
    @Test
    void aPodOnALaggingReplicaReadsWhatAPodOnTheOtherWrote(PrometheusServer prom) {
        String database = "kw_lagging";
        ClickHouseCluster.Node first = cluster.nodes().get(0);
        ClickHouseCluster.Node lagging = cluster.nodes().get(1);
        assertThat(Worker.run(workerArgs(first, database, prom.url()), "migrate").exitCode()).isZero();
        try (ClickHouseGateway ch = new ClickHouseGateway(properties(lagging, database))) {
            ch.execute("SYSTEM STOP FETCHES " + database + ".k8s_expenses_local");
            try {
                Worker.Result written = Worker.run(workerArgs(first, database, prom.url()), BACKFILL);
                assertThat(written.exitCode()).as(written.toString()).isZero();
                Worker.Result again = Worker.run(workerArgs(lagging, database, prom.url()), BACKFILL);
                assertThat(again.exitCode()).as(again.toString()).isZero();
                assertThat(ch.select("SELECT count() AS n FROM k8s_expenses_local").get(0).get("n").asLong())
                        .as("the lagging replica's own copy").isZero();
                assertThat(ch.select("SELECT sum(rows_changed) + sum(rows_tombstoned) AS n FROM k8s_expenses_runs WHERE run_id = '"
                        + again.runId() + "'").get(0).get("n").asLong()).isZero();
                BackfillEndToEndIT.assertTheViewHoldsTheRulesRows(ch::select);
            } finally {
                ch.execute("SYSTEM START FETCHES " + database + ".k8s_expenses_local");
            }
        }
    }

    @Override
    void assertTenantsStayOnOneShard(String database) {
        Long rows = null;
        for (ClickHouseCluster.Node node : cluster.nodes()) {
            try (ClickHouseGateway ch = new ClickHouseGateway(properties(node, database))) {
                ch.execute("SYSTEM SYNC REPLICA " + database + ".k8s_expenses_local");
                long here = ClickHouseGateway.longValue(ch.select("SELECT count() AS n FROM k8s_expenses_local").get(0).get("n"));
                assertThat(here).as(node.name()).isPositive();
                if (rows != null) {
                    assertThat(here).as(node.name()).isEqualTo(rows);
                }
                rows = here;
            }
        }
    }
}
