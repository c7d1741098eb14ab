package com.cloudtuner.kubecost.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import com.cloudtuner.kubecost.config.ClickHouseProperties;
import com.cloudtuner.kubecost.testing.FaultProxy;
import com.cloudtuner.kubecost.testing.RealServers;
import com.cloudtuner.kubecost.testing.TestDatabase;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * k8s_expenses_daily on a real ClickHouse: days never built are built, and writers that rewrite
 * the same hour while they rebuild its day, at once, never leave a day doubled, cancelled twice or
 * stale. Expected sums are worked out here from the costs the test writes (powers of two, so every
 * sum is exact and a double-counted one cannot equal a right one).
 */
@ExtendWith(RealServers.class)
class DailyExpensesIT {

    private static final LocalDate DAY = LocalDate.parse("2025-10-14");
    private static final Instant DAY_START = Instant.parse("2025-10-14T00:00:00Z");
    private static final String RESOURCE = "r-web";

    private TestDatabase db;

    @BeforeEach
    void migrate(TestDatabase db) {
        this.db = db;
        db.recreate();
        try (ClickHouseGateway ch = db.newGateway()) {
            new Migrator(ch, MigrationSource.classpath(), Duration.ofMinutes(1), Clock.systemUTC()).migrate();
        }
    }

    private void write(ClickHouseGateway ch, String namespace, String resource, Instant hour, double cost, long version, boolean deleted) {
        ch.execute("INSERT INTO k8s_expenses (cloud_account_id, cluster, namespace, resource_id, hour, currency, cost, coverage,"
                + " deleted, version, computed_at) VALUES ('acme', 'prod', '" + namespace + "', '" + resource + "', toDateTime("
                + hour.getEpochSecond() + "), 'USD', " + cost + ", 1, " + (deleted ? 1 : 0) + ", " + version + ", now())");
    }

    private double dailyCost(String resource, LocalDate day) {
        return db.query("SELECT sum(cost * sign) AS c FROM k8s_expenses_daily WHERE cloud_account_id = 'acme' AND resource_id = '"
                + resource + "' AND date = toDateTime(" + day.atStartOfDay().toEpochSecond(java.time.ZoneOffset.UTC) + ")")
                .get(0).get("c").asDouble();
    }

    @Test
    void daysWrittenBeforeTheRelationExistedAreBuiltOnceThenLeftAlone() {
        try (ClickHouseGateway ch = db.newGateway()) {
            for (int d = 0; d < 3; d++) {
                for (int h = 0; h < 24; h += 6) {
                    write(ch, "web", RESOURCE, DAY_START.plus(Duration.ofHours(24L * d + h)), 1 << d, 1, false);
                }
            }
            write(ch, "web", RESOURCE, DAY_START.plus(Duration.ofHours(30)), 8, 2, true); // a tombstone: day 2 loses 2

            ClickHouseDailyExpenses daily = new ClickHouseDailyExpenses(ch);
            assertThat(daily.rebuild(List.of(), "first")).containsExactly(DAY, DAY.plusDays(1), DAY.plusDays(2));
            assertThat(daily.rebuild(List.of(), "second")).isEmpty();
        }
        assertThat(dailyCost(RESOURCE, DAY)).isEqualTo(4 * 1.0);
        assertThat(dailyCost(RESOURCE, DAY.plusDays(1))).isEqualTo(3 * 2.0);
        assertThat(dailyCost(RESOURCE, DAY.plusDays(2))).isEqualTo(4 * 4.0);

        try (ClickHouseGateway ch = db.newGateway()) { // every hour of the last day tombstoned: the day empties
            for (int h = 0; h < 24; h += 6) {
                write(ch, "web", RESOURCE, DAY_START.plus(Duration.ofHours(48 + h)), 4, 3, true);
            }
            new ClickHouseDailyExpenses(ch).rebuild(List.of(DAY.plusDays(2)), "third");
        }
        assertThat(db.query("SELECT count() AS n FROM k8s_expenses_daily WHERE date = toDateTime("
                + DAY_START.plus(Duration.ofDays(2)).getEpochSecond() + ")").get(0).get("n").asLong()).isZero();
        assertThat(dailyCost(RESOURCE, DAY)).isEqualTo(4 * 1.0);
    }

    @Test
    void writersRebuildingTheSameDayAtOnceNeverDoubleItAndTheLastWriteWins() throws Exception {
        double rest = 0;
        try (ClickHouseGateway ch = db.newGateway()) {
            for (int h = 1; h < 24; h++) {
                write(ch, "web", RESOURCE, DAY_START.plus(Duration.ofHours(h)), 1.0 / 64, 1, false);
                rest += 1.0 / 64;
            }
            write(ch, "web", RESOURCE, DAY_START, 1 << 20, 1, false); // the hour the writers rewrite
            new ClickHouseDailyExpenses(ch).rebuild(List.of(DAY), "setup");
        }
        Set<Double> valid = new HashSet<>(List.of(rest + (1 << 20)));
        int writers = 2;
        int rewrites = 12;
        for (int w = 0; w < writers; w++) {
            for (int i = 0; i < rewrites; i++) {
                valid.add(rest + cost(w, i));
            }
        }

        AtomicLong versions = new AtomicLong(10);
        AtomicLong newestVersion = new AtomicLong();
        java.util.Map<Long, Double> costOfVersion = new java.util.concurrent.ConcurrentHashMap<>();
        AtomicBoolean writing = new AtomicBoolean(true);
        ConcurrentLinkedQueue<Double> seen = new ConcurrentLinkedQueue<>();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(writers + 1);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                done.add(pool.submit(() -> {
                    try (ClickHouseGateway ch = db.newGateway()) {
                        ClickHouseDailyExpenses daily = new ClickHouseDailyExpenses(ch);
                        start.await();
                        for (int i = 0; i < rewrites; i++) {
                            long version = versions.incrementAndGet();
                            costOfVersion.put(version, cost(writer, i));
                            write(ch, "web", RESOURCE, DAY_START, cost(writer, i), version, false);
                            newestVersion.accumulateAndGet(version, Math::max);
                            daily.rebuild(List.of(DAY), "writer-" + writer); // as the job's daily step does after its writes
                        }
                    }
                    return null;
                }));
            }
            Future<?> reader = pool.submit(() -> {
                start.await();
                while (writing.get()) {
                    seen.add(dailyCost(RESOURCE, DAY));
                }
                return null;
            });
            start.countDown();
            for (Future<?> f : done) {
                f.get(2, TimeUnit.MINUTES);
            }
            writing.set(false);
            reader.get(1, TimeUnit.MINUTES);
        } finally {
            pool.shutdownNow();
        }

        assertThat(seen).isNotEmpty();
        assertThat(seen).as("every total a reader saw is the day with one version of the hour").allMatch(valid::contains);
        assertThat(dailyCost(RESOURCE, DAY)).as("the newest version, once the writers are done")
                .isEqualTo(rest + costOfVersion.get(newestVersion.get()));
    }

    /**
     * The write a swap could lose: another writer's hour lands, and its rebuild swaps, after this
     * rebuild computed the day and before it swaps its own copy in. This rebuild must see the newer
     * insert and compute the day again, or the day would stay without the newer write.
     */
    @Test
    void aRebuildThatComputedTheDayBeforeAnotherWriteLandedComputesItAgain() {
        ClickHouseProperties direct = db.properties();
        try (ClickHouseGateway other = db.newGateway();
             FaultProxy proxy = new FaultProxy(direct.url().toString());
             ClickHouseGateway slow = new ClickHouseGateway(new ClickHouseProperties(URI.create(proxy.url()), direct.user(),
                     direct.password(), direct.database(), direct.socketTimeout(), direct.migrationLockTimeout(), direct.maxInsertRows(),
                     direct.retries(), direct.retryBackoff()))) {
            for (int h = 1; h < 24; h++) {
                write(other, "web", RESOURCE, DAY_START.plus(Duration.ofHours(h)), 1, 1, false);
            }
            write(slow, "web", RESOURCE, DAY_START, 64, 50, false);
            proxy.afterForwardingNth(r -> r.contains("INSERT INTO k8s_expenses_daily_build_"), 1, () -> {
                write(other, "web", RESOURCE, DAY_START, 1024, 100, false);
                new ClickHouseDailyExpenses(other).rebuild(List.of(DAY), "the other writer");
            });

            new ClickHouseDailyExpenses(slow).rebuild(List.of(DAY), "the slow writer");
        }
        assertThat(dailyCost(RESOURCE, DAY)).isEqualTo(23 + 1024);
    }

    /** Distinct powers of two, none equal to the sum of two others. */
    private static double cost(int writer, int rewrite) {
        return 1L << (2 * rewrite + writer);
    }
}
