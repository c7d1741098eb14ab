package com.cloudtuner.kubecost.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.cloudtuner.kubecost.clickhouse.ClickHouseGateway;
import com.cloudtuner.kubecost.testing.ClickHouseCluster;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;

/** {@link ClusterContract} on 2 shards x 1 replica: a tenant's rows on exactly one shard. */
class TwoShardClusterIT extends ClusterContract {

    @BeforeAll
    static void startCluster() {
        cluster = ClickHouseCluster.start(2, 1);
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
