package com.cloudtuner.kubecost.clickhouse;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Applies pending migrations in version order and records each in {@value #HISTORY} with its
 * checksum. Refuses to run when an applied file has changed. Concurrent runners serialize on a
 * lock table: {@code CREATE TABLE} (without IF NOT EXISTS) succeeds for exactly one of them on
 * every ClickHouse version, so the others wait, then find nothing pending. The holder writes its
 * id into the lock and a heartbeat every {@code lockTimeout / 6}; a lock without a heartbeat for
 * {@code lockTimeout} belongs to a runner that is gone (killed, say) and is broken. Before each
 * statement the holder checks that the lock is still its own, and stops if it is not, so a holder
 * that stalled past the timeout never runs a statement beside the runner that broke its lock.
 */
public final class Migrator {

    static final String HISTORY = "k8s_worker_schema_history";
    static final String LOCK = "k8s_worker_migration_lock";

    private static final Logger log = LoggerFactory.getLogger(Migrator.class);
    private static final Pattern ADD_COLUMN = Pattern.compile(
            "^ALTER\\s+TABLE\\s+(?:`?\\w+`?\\.)?`?(\\w+)`?(?:\\s+ON\\s+CLUSTER\\s+\\w+)?\\s+ADD\\s+COLUMN\\s+`?(\\w+)`?",
            Pattern.CASE_INSENSITIVE);

    private final ClickHouseGateway ch;
    private final List<Migration> migrations;
    private final Duration lockTimeout;
    private final Clock clock;
    /** The cluster form of the DDL; null on a single node. */
    private final ClusterDdl cluster;

    public Migrator(ClickHouseGateway ch, List<Migration> migrations, Duration lockTimeout, Clock clock) {
        this.ch = ch;
        this.cluster = ch.cluster().isEmpty() ? null : new ClusterDdl(ch.cluster(), ch.database());
        this.migrations = List.copyOf(migrations);
        this.lockTimeout = lockTimeout;
        this.clock = clock;
    }

    /** Applies what is pending; returns the scripts this call applied (empty when up to date). */
    public List<String> migrate() {
        ch.ensureDatabase();
        if (cluster == null || !ch.tableExists(HISTORY)) { // ON CLUSTER waits for every node: not on every run
            ddl("CREATE TABLE IF NOT EXISTS " + HISTORY + " (version UInt32, script String, checksum String,"
                    + " applied_at DateTime('UTC'), execution_ms UInt64) ENGINE = MergeTree ORDER BY version");
        }
        if (pending(validatedHistory()).isEmpty()) {
            log.info("migrations: database {} is up to date ({} applied)", ch.database(), migrations.size());
            return List.of();
        }
        String holder = acquireLock();
        ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "migration-lock-heartbeat");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(1000, lockTimeout.toMillis() / 6);
        heartbeat.scheduleAtFixedRate(() -> beat(holder), every, every, TimeUnit.MILLISECONDS);
        try {
            syncHistory();
            List<Migration> pending = pending(validatedHistory()); // another runner may have finished meanwhile
            List<String> applied = new ArrayList<>();
            for (Migration m : pending) {
                apply(m, holder);
                applied.add(m.script());
            }
            return applied;
        } finally {
            heartbeat.shutdownNow();
            if (stillHeldBy(holder)) {
                dropLock();
            }
        }
    }

    /**
     * Every migration's state in the database, read without creating or applying anything (a
     * database or history table that does not exist means everything is pending).
     */
    public List<MigrationState> status() {
        return MigrationStatus.read(ch, migrations, HISTORY);
    }

    private Map<Integer, JsonNode> validatedHistory() {
        Map<Integer, JsonNode> applied = new HashMap<>();
        for (JsonNode row : ch.select("SELECT version, script, checksum FROM " + HISTORY + " ORDER BY version")) {
            applied.put((int) ClickHouseGateway.longValue(row.get("version")), row);
        }
        Map<Integer, Migration> known = new HashMap<>();
        migrations.forEach(m -> known.put(m.version(), m));
        for (Map.Entry<Integer, JsonNode> e : applied.entrySet()) {
            Migration m = known.get(e.getKey());
            String recordedScript = e.getValue().get("script").asString();
            if (m == null) {
                log.warn("migrations: {} was applied to {} but this build does not have it (a newer build migrated this database)",
                        recordedScript, ch.database());
                continue;
            }
            String recorded = e.getValue().get("checksum").asString();
            if (!recorded.equals(m.checksum())) {
                throw new MigrationException("migration db/migration/" + m.script() + " was changed after it was applied to "
                        + ch.database() + " (applied as " + recordedScript + ", checksum " + recorded.substring(0, 12)
                        + ", file now " + m.checksum().substring(0, 12) + "); restore the file and put the change in a new migration");
            }
        }
        return applied;
    }

    private List<Migration> pending(Map<Integer, JsonNode> applied) {
        return migrations.stream().filter(m -> !applied.containsKey(m.version())).toList();
    }

    private void apply(Migration m, String holder) {
        long started = System.nanoTime();
        for (String statement : m.statements()) {
            if (!stillHeldBy(holder)) {
                throw new MigrationException("lost the migration lock " + LOCK + " while applying " + m.script()
                        + " (no heartbeat reached ClickHouse for clickhouse.migration-lock-timeout); the next run applies it again");
            }
            try {
                ddl(statement);
            } catch (ClickHouseException e) {
                throw new MigrationException("migration " + m.script() + " failed: " + e.getMessage(), e);
            }
        }
        long ms = (System.nanoTime() - started) / 1_000_000;
        ObjectNode row = ClickHouseGateway.json().createObjectNode()
                .put("version", m.version())
                .put("script", m.script())
                .put("checksum", m.checksum())
                .put("applied_at", clock.instant().getEpochSecond())
                .put("execution_ms", ms);
        ch.insertJsonEachRow(HISTORY, (row + "\n").getBytes(StandardCharsets.UTF_8));
        log.info("migrations: applied {} to {} in {} ms", m.script(), ch.database(), ms);
    }

    /**
     * Runs one statement of a migration file (or of the history table) as this database needs it: as
     * written on a single node, in its cluster form ({@link ClusterDdl}) on a cluster. An ADD COLUMN
     * whose column exists already is skipped.
     */
    private void ddl(String statement) {
        for (String s : cluster == null ? List.of(statement) : cluster.statements(statement)) {
            if (columnAlreadyAdded(s)) {
                log.info("migrations: skipping an ADD COLUMN whose column exists (an earlier run applied it): {}",
                        ClickHouseGateway.firstLine(s));
                continue;
            }
            ch.execute(s);
        }
    }

    private void dropLock() {
        ch.execute("DROP TABLE IF EXISTS " + (cluster == null ? LOCK : cluster.dropLock()));
    }

    /**
     * On a cluster the history this node holds may lag behind a runner that migrated through another
     * node: wait until its replica has every insert the cluster has, before deciding what is pending.
     */
    private void syncHistory() {
        if (cluster != null) {
            ch.execute("SYSTEM SYNC REPLICA " + ch.database() + "." + HISTORY);
        }
    }

    /** ClickHouse 18.16 has no ADD COLUMN IF NOT EXISTS: an ALTER that adds a column present already is skipped. */
    private boolean columnAlreadyAdded(String statement) {
        Matcher m = ADD_COLUMN.matcher(statement);
        if (!m.find()) {
            return false;
        }
        return !ch.select("SELECT name FROM system.columns WHERE database = currentDatabase() AND table = "
                + ClickHouseGateway.quote(m.group(1)) + " AND name = " + ClickHouseGateway.quote(m.group(2))).isEmpty();
    }

    /** Takes the lock; returns this runner's id in it. */
    private String acquireLock() {
        String holder = UUID.randomUUID().toString();
        Instant deadline = clock.instant().plus(lockTimeout).plus(lockTimeout).plus(lockTimeout);
        long pauseMs = 100;
        boolean announced = false;
        while (true) {
            try {
                ch.execute(cluster == null
                        ? "CREATE TABLE " + LOCK + " (holder String, beat_at DateTime('UTC')) ENGINE = MergeTree ORDER BY holder"
                        : cluster.lockTable(holder));
                beat(holder);
                return holder;
            } catch (ClickHouseException e) {
                if (e.code() != ClickHouseException.TABLE_ALREADY_EXISTS) {
                    throw e;
                }
            }
            long silentSeconds = secondsSinceLastSignOfLife();
            // asked again just before breaking it: another waiter may have broken it and taken a fresh one meanwhile.
            // This narrows the race, it does not close it; a holder whose lock was broken finds it out before its
            // next statement (stillHeldBy) and stops, so two runners never both run statements past that check.
            if (silentSeconds > lockTimeout.toSeconds() && secondsSinceLastSignOfLife() > lockTimeout.toSeconds()) {
                log.warn("migrations: lock {} has had no heartbeat for {} s, longer than clickhouse.migration-lock-timeout"
                        + " ({}): its holder is gone; breaking it", LOCK, silentSeconds, lockTimeout);
                dropLock();
                continue;
            }
            if (!announced) {
                log.info("migrations: another runner is migrating {} (last heartbeat {} s ago); waiting", ch.database(), silentSeconds);
                announced = true;
            }
            if (clock.instant().isAfter(deadline)) {
                throw new MigrationException("gave up waiting for the migration lock " + LOCK + " in " + ch.database());
            }
            try {
                Thread.sleep(pauseMs);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                throw new MigrationException("interrupted while waiting for the migration lock", ie);
            }
            pauseMs = Math.min(pauseMs * 2, 2_000);
        }
    }

    private void beat(String holder) {
        try {
            // the server's clock, the one the age of a heartbeat is judged by: a worker's skewed clock must not age it
            ch.execute("INSERT INTO " + LOCK + " SELECT " + ClickHouseGateway.quote(holder) + ", now()");
        } catch (ClickHouseException e) {
            log.warn("migrations: heartbeat on {} failed: {}", LOCK, e.getMessage()); // the next one may get through
        }
    }

    /** Whether the lock table exists and holds this runner's id (a runner that broke the lock made a new one). */
    private boolean stillHeldBy(String holder) {
        try {
            List<JsonNode> rows = ch.select("SELECT DISTINCT holder FROM " + LOCK);
            return rows.size() == 1 && rows.get(0).get("holder").asString().equals(holder);
        } catch (ClickHouseException e) {
            return false;
        }
    }

    /**
     * Seconds since the lock's holder last showed it is alive: its latest heartbeat, or, before the
     * first one, the lock table's creation.
     */
    private long secondsSinceLastSignOfLife() {
        try {
            List<JsonNode> beats = ch.select("SELECT toUnixTimestamp(now()) - toUnixTimestamp(max(beat_at)) AS age, count() AS n FROM " + LOCK);
            if (!beats.isEmpty() && ClickHouseGateway.longValue(beats.get(0).get("n")) > 0) {
                return Math.max(0, ClickHouseGateway.longValue(beats.get(0).get("age")));
            }
        } catch (ClickHouseException e) {
            // a lock table of an older build (no beat_at column), or gone: judge by its age
        }
        return lockAgeSeconds();
    }

    private long lockAgeSeconds() {
        List<JsonNode> rows = ch.select("SELECT toUnixTimestamp(now()) - toUnixTimestamp(metadata_modification_time) AS age"
                + " FROM system.tables WHERE database = currentDatabase() AND name = '" + LOCK + "'");
        return rows.isEmpty() ? 0 : Math.max(0, ClickHouseGateway.longValue(rows.get(0).get("age")));
    }
}
