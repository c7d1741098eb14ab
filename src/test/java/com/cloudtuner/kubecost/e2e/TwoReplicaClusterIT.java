package com.cloudtuner.kubecost.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.cloudtuner.kubecost.clickhouse.ClickHouseGateway;
import com.cloudtuner.kubecost.testing.ClickHouseCluster;
import org.junit.jupiter.api.BeforeAll;

/** {@link ClusterContract} on 1 shard x 2 replicas: both replicas hold every row. */
class TwoReplicaClusterIT extends ClusterContract {

    @BeforeAll
    static void startCluster() {
        cluster = ClickHouseCluster.start(1, 2);
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
