package com.cloudtuner.kubecost.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The cluster form of single-node DDL, written out by hand for each kind of statement the migration files hold. */
class ClusterDdlTest {

    private final ClusterDdl ddl = new ClusterDdl("kw", "billing");

    @Test
    void aTenantsTableBecomesAReplicatedLocalTableAndADistributedOneShardedByTenant() {
        assertThat(ddl.statements("CREATE TABLE IF NOT EXISTS k8s_expenses\n(\n    cloud_account_id String,\n    hour DateTime('UTC'),\n"
                + "    cpu_efficiency Nullable(Float64),\n    version UInt64\n)\nENGINE = ReplacingMergeTree(version)\n"
                + "PARTITION BY toYYYYMM(hour)\nORDER BY (cloud_account_id, hour)")).containsExactly(
                "CREATE TABLE IF NOT EXISTS billing.k8s_expenses_local ON CLUSTER kw (\n    cloud_account_id String,\n    hour DateTime('UTC'),\n"
                        + "    cpu_efficiency Nullable(Float64),\n    version UInt64\n) ENGINE = ReplicatedReplacingMergeTree("
                        + "'/clickhouse/tables/kw/{shard}/billing/k8s_expenses_local', '{replica}', version)\n"
                        + "PARTITION BY toYYYYMM(hour)\nORDER BY (cloud_account_id, hour)",
                "CREATE TABLE IF NOT EXISTS billing.k8s_expenses ON CLUSTER kw AS billing.k8s_expenses_local"
                        + " ENGINE = Distributed(kw, billing, k8s_expenses_local, cityHash64(cloud_account_id))");
    }

    @Test
    void aBookkeepingTableIsReplicatedToEveryNodeUnderOneZooKeeperPath() {
        assertThat(ddl.statements("CREATE TABLE IF NOT EXISTS k8s_worker_runs (run_id String) ENGINE = MergeTree ORDER BY run_id"))
                .containsExactly("CREATE TABLE IF NOT EXISTS billing.k8s_worker_runs ON CLUSTER kw (run_id String) ENGINE = ReplicatedMergeTree("
                        + "'/clickhouse/tables/kw/all/billing/k8s_worker_runs', '{shard}-{replica}') ORDER BY run_id");
    }

    @Test
    void aViewReadsTheQualifiedDistributedTable() {
        assertThat(ddl.statements("CREATE VIEW IF NOT EXISTS k8s_expenses_current AS\nSELECT a, b\nFROM k8s_expenses FINAL\nWHERE deleted = 0"))
                .containsExactly("CREATE VIEW IF NOT EXISTS billing.k8s_expenses_current ON CLUSTER kw AS SELECT a, b\n"
                        + "FROM billing.k8s_expenses FINAL\nWHERE deleted = 0");
        assertThat(ddl.statements("DROP TABLE IF EXISTS k8s_expenses_current"))
                .containsExactly("DROP TABLE IF EXISTS billing.k8s_expenses_current ON CLUSTER kw");
    }

    @Test
    void anAddedColumnReachesEveryShardsLocalTableAndANewDistributedTableIsSwappedIn() {
        assertThat(ddl.statements("ALTER TABLE k8s_expenses_runs\n    ADD COLUMN a UInt64 DEFAULT 0,\n    ADD COLUMN b UInt64 DEFAULT 0"))
                .containsExactly("ALTER TABLE billing.k8s_expenses_runs_local ON CLUSTER kw ADD COLUMN a UInt64 DEFAULT 0,\n"
                                + "    ADD COLUMN b UInt64 DEFAULT 0",
                        "DROP TABLE IF EXISTS billing.k8s_expenses_runs_altered ON CLUSTER kw",
                        "DROP TABLE IF EXISTS billing.k8s_expenses_runs_replaced ON CLUSTER kw",
                        "CREATE TABLE IF NOT EXISTS billing.k8s_expenses_runs_altered ON CLUSTER kw AS billing.k8s_expenses_runs_local"
                                + " ENGINE = Distributed(kw, billing, k8s_expenses_runs_local, cityHash64(cloud_account_id))",
                        "RENAME TABLE billing.k8s_expenses_runs TO billing.k8s_expenses_runs_replaced,"
                                + " billing.k8s_expenses_runs_altered TO billing.k8s_expenses_runs ON CLUSTER kw",
                        "DROP TABLE IF EXISTS billing.k8s_expenses_runs_replaced ON CLUSTER kw");
        // a replicated table's ALTER is replicated by ClickHouse: once, on this node
        assertThat(ddl.statements("ALTER TABLE k8s_worker_runs ADD COLUMN c String DEFAULT ''"))
                .containsExactly("ALTER TABLE billing.k8s_worker_runs ADD COLUMN c String DEFAULT ''");
    }

    @Test
    void everyTableOfTheMigrationFilesHasAClusterForm() {
        for (Migration m : MigrationSource.classpath()) {
            for (String statement : m.statements()) {
                assertThat(ddl.statements(statement)).as(m.script()).isNotEmpty();
            }
        }
    }

    @Test
    void aTableNeitherShardedNorOnEveryNodeIsRefusedRatherThanGuessed() {
        assertThatThrownBy(() -> ddl.statements("CREATE TABLE IF NOT EXISTS new_table (x String) ENGINE = MergeTree ORDER BY x"))
                .isInstanceOf(MigrationException.class);
        assertThatThrownBy(() -> ddl.statements("OPTIMIZE TABLE k8s_expenses FINAL")).isInstanceOf(MigrationException.class);
    }

    @Test
    void theLockHasAZooKeeperPathOfItsOwnPerHolder() {
        assertThat(ddl.lockTable("h1")).contains("ON CLUSTER kw").contains("'/clickhouse/tables/kw/all/billing/k8s_worker_migration_lock/h1'");
        assertThat(ddl.lockTable("h1")).isNotEqualTo(ddl.lockTable("h2"));
        assertThat(List.of(ddl.dropLock())).containsExactly("billing.k8s_worker_migration_lock ON CLUSTER kw");
    }
}
