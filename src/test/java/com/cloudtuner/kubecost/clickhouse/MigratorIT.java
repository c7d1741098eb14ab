package com.cloudtuner.kubecost.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.cloudtuner.kubecost.testing.RealServers;
import com.cloudtuner.kubecost.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(RealServers.class)
class MigratorIT {

    private static final List<String> TABLES = List.of("k8s_expenses", "k8s_expenses_current", "k8s_cluster_expenses",
            "k8s_cluster_expenses_current", "k8s_expenses_runs", "k8s_expenses_watermarks");

    private TestDatabase db;
    private final List<ClickHouseGateway> gateways = new ArrayList<>();

    @BeforeEach
    void freshDatabase(TestDatabase db) {
        this.db = db;
        db.recreate();
    }

    @AfterEach
    void closeGateways() {
        gateways.forEach(ClickHouseGateway::close);
    }

    private Migrator migrator(List<Migration> migrations) {
        return migrator(migrations, Duration.ofMinutes(1));
    }

    private Migrator migrator(List<Migration> migrations, Duration lockTimeout) {
        ClickHouseGateway ch = db.newGateway();
        gateways.add(ch);
        return new Migrator(ch, migrations, lockTimeout, Clock.systemUTC());
    }

    @Test
    void aFreshDatabaseGetsEveryMigrationAndASecondRunIsANoOp() {
        List<Migration> all = MigrationSource.classpath();
        assertThat(all).extracting(Migration::script).startsWith("V1__k8s_expenses.sql");

        assertThat(migrator(all).migrate()).isEqualTo(all.stream().map(Migration::script).toList());
        assertThat(tables()).containsAll(TABLES);
        assertThat(history()).isEqualTo(all.stream().map(m -> m.version() + " " + m.checksum()).toList());

        assertThat(migrator(all).migrate()).isEmpty();
        assertThat(history()).hasSize(all.size());
    }

    @Test
    void anAppliedFileThatChangedIsRefusedByName(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("V1__one.sql"), "CREATE TABLE IF NOT EXISTS t1 (x UInt8) ENGINE = MergeTree ORDER BY x;\n");
        Files.writeString(dir.resolve("V2__two.sql"), "CREATE TABLE IF NOT EXISTS t2 (x UInt8) ENGINE = MergeTree ORDER BY x;\n");
        assertThat(migrator(MigrationSource.directory(dir)).migrate()).containsExactly("V1__one.sql", "V2__two.sql");

        Files.writeString(dir.resolve("V2__two.sql"), "CREATE TABLE IF NOT EXISTS t2 (x UInt16) ENGINE = MergeTree ORDER BY x;\n");
        Files.writeString(dir.resolve("V3__three.sql"), "CREATE TABLE IF NOT EXISTS t3 (x UInt8) ENGINE = MergeTree ORDER BY x;\n");
        assertThatThrownBy(() -> migrator(MigrationSource.directory(dir)).migrate())
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("V2__two.sql")
                .hasMessageContaining("changed after it was applied");
        assertThat(tables()).doesNotContain("t3");
    }

    @Test
    void twoRunnersStartingTogetherApplyEachMigrationOnce(@TempDir Path dir) throws Exception {
        // A slow-ish migration widens the window in which the second runner must wait.
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            many.append("CREATE TABLE IF NOT EXISTS w").append(i).append(" (x UInt8) ENGINE = MergeTree ORDER BY x;\n");
        }
        Files.writeString(dir.resolve("V1__many.sql"), many.toString());
        Files.writeString(dir.resolve("V2__more.sql"), "CREATE TABLE IF NOT EXISTS z (x UInt8) ENGINE = MergeTree ORDER BY x;\n");
        List<Migration> migrations = MigrationSource.directory(dir);
        Migrator first = migrator(migrations);
        Migrator second = migrator(migrations);
        CyclicBarrier start = new CyclicBarrier(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<List<String>> a = pool.submit(() -> {
                start.await();
                return first.migrate();
            });
            Future<List<String>> b = pool.submit(() -> {
                start.await();
                return second.migrate();
            });
            List<String> applied = new ArrayList<>(a.get());
            applied.addAll(b.get());
            assertThat(applied).containsExactlyInAnyOrder("V1__many.sql", "V2__more.sql");
        } finally {
            pool.shutdownNow();
        }
        assertThat(history()).hasSize(2);
        assertThat(tables()).doesNotContain(Migrator.LOCK).contains("w39", "z");
    }

    @Test
    void aLockWhoseHolderStoppedBeatingIsBrokenAfterTheTimeout(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("V1__one.sql"), "CREATE TABLE IF NOT EXISTS one (x UInt8) ENGINE = MergeTree ORDER BY x;\n");
        // a runner killed while migrating: its lock, its last heartbeat a minute ago
        db.execute("CREATE TABLE " + Migrator.LOCK + " (holder String, beat_at DateTime('UTC')) ENGINE = MergeTree ORDER BY holder");
        db.execute("INSERT INTO " + Migrator.LOCK + " VALUES ('killed-runner', now() - 60)");
        long t0 = System.nanoTime();
        assertThat(migrator(MigrationSource.directory(dir), Duration.ofSeconds(30)).migrate()).containsExactly("V1__one.sql");
        // judged by its heartbeat, not by the age of the lock table (created just now): no half-minute wait
        assertThat((System.nanoTime() - t0) / 1_000_000_000).as("seconds until migrated").isLessThan(15);
        assertThat(tables()).doesNotContain(Migrator.LOCK).contains("one");
    }

    @Test
    void heartbeatsCarryTheServersTimeSoThatAWorkersSkewedClockDoesNotAgeThem(@TempDir Path dir) throws Exception {
        // the migration records how old its runner's latest heartbeat looks to the server while it holds the lock
        Files.writeString(dir.resolve("V1__look.sql"), "CREATE TABLE look ENGINE = Memory AS SELECT toUnixTimestamp(now())"
                + " - toUnixTimestamp(max(beat_at)) AS age FROM " + Migrator.LOCK + ";\n");
        ClickHouseGateway ch = db.newGateway();
        gateways.add(ch);
        Clock tenMinutesSlow = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-10));
        new Migrator(ch, MigrationSource.directory(dir), Duration.ofSeconds(30), tenMinutesSlow).migrate();
        // a heartbeat stamped by the worker's clock would look ten minutes old: past the timeout, another runner would break it
        assertThat(db.query("SELECT age FROM look").get(0).get("age").asLong()).isBetween(0L, 5L);
    }

    @Test
    void aLockWithoutAnyHeartbeatIsJudgedByItsAge(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("V1__one.sql"), "CREATE TABLE IF NOT EXISTS one (x UInt8) ENGINE = MergeTree ORDER BY x;\n");
        // a lock of an older build (no heartbeat column), or a runner killed before its first heartbeat
        db.execute("CREATE TABLE " + Migrator.LOCK + " (holder String) ENGINE = MergeTree ORDER BY holder");
        assertThat(migrator(MigrationSource.directory(dir), Duration.ofSeconds(1)).migrate()).containsExactly("V1__one.sql");
        assertThat(tables()).doesNotContain(Migrator.LOCK);
    }

    @Test
    void aHolderWhoseLockWasBrokenStopsBeforeItsNextStatement(@TempDir Path dir) throws Exception {
        // the second statement finds the lock gone (another runner broke it): it must not run
        Files.writeString(dir.resolve("V1__two.sql"), "DROP TABLE " + Migrator.LOCK + ";\n"
                + "CREATE TABLE IF NOT EXISTS never (x UInt8) ENGINE = MergeTree ORDER BY x;\n");
        Migrator migrator = migrator(MigrationSource.directory(dir), Duration.ofSeconds(30));
        assertThatThrownBy(migrator::migrate).isInstanceOf(MigrationException.class).hasMessageContaining("lost the migration lock");
        assertThat(tables()).doesNotContain("never");
        assertThat(history()).isEmpty();
    }

    private List<String> tables() {
        return db.query("SELECT name FROM system.tables WHERE database = currentDatabase() ORDER BY name")
                .stream().map(r -> r.get("name").asString()).toList();
    }

    private List<String> history() {
        return db.query("SELECT version, checksum FROM " + Migrator.HISTORY + " ORDER BY version")
                .stream().map(r -> r.get("version").asLong() + " " + r.get("checksum").asString()).toList();
    }
}
