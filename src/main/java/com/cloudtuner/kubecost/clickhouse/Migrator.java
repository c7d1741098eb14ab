package com.cloudtuner.kubecost.clickhouse;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Applies pending migrations in version order and records each in {@value #HISTORY} with its
 * checksum. Refuses to run when an applied file has changed. Concurrent runners serialize on a
 * lock table: {@code CREATE TABLE} (without IF NOT EXISTS) succeeds for exactly one of them on
 * every ClickHouse version, so the others wait, then find nothing pending.
 */
public final class Migrator {

    static final String HISTORY = "k8s_worker_schema_history";
    static final String LOCK = "k8s_worker_migration_lock";

    private static final Logger log = LoggerFactory.getLogger(Migrator.class);

    private final ClickHouseGateway ch;
    private final List<Migration> migrations;
    private final Duration lockTimeout;
    private final Clock clock;

    public Migrator(ClickHouseGateway ch, List<Migration> migrations, Duration lockTimeout, Clock clock) {
        this.ch = ch;
        this.migrations = List.copyOf(migrations);
        this.lockTimeout = lockTimeout;
        this.clock = clock;
    }

    /** Applies what is pending; returns the scripts this call applied (empty when up to date). */
    public List<String> migrate() {
        ch.ensureDatabase();
        ch.execute("CREATE TABLE IF NOT EXISTS " + HISTORY + " (version UInt32, script String, checksum String,"
                + " applied_at DateTime('UTC'), execution_ms UInt64) ENGINE = MergeTree ORDER BY version");
        if (pending(validatedHistory()).isEmpty()) {
            log.info("migrations: database {} is up to date ({} applied)", ch.database(), migrations.size());
            return List.of();
        }
        acquireLock();
        try {
            List<Migration> pending = pending(validatedHistory()); // another runner may have finished meanwhile
            List<String> applied = new ArrayList<>();
            for (Migration m : pending) {
                apply(m);
                applied.add(m.script());
            }
            return applied;
        } finally {
            ch.execute("DROP TABLE IF EXISTS " + LOCK);
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

    private void apply(Migration m) {
        long started = System.nanoTime();
        for (String statement : m.statements()) {
            try {
                ch.execute(statement);
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

    private void acquireLock() {
        Instant deadline = clock.instant().plus(lockTimeout).plus(lockTimeout);
        long pauseMs = 100;
        boolean announced = false;
        while (true) {
            try {
                ch.execute("CREATE TABLE " + LOCK + " (holder String) ENGINE = MergeTree ORDER BY holder");
                return;
            } catch (ClickHouseException e) {
                if (e.code() != ClickHouseException.TABLE_ALREADY_EXISTS) {
                    throw e;
                }
            }
            long heldSeconds = lockAgeSeconds();
            if (heldSeconds > lockTimeout.toSeconds()) {
                log.warn("migrations: lock {} held for {} s, longer than clickhouse.migration-lock-timeout; breaking it", LOCK, heldSeconds);
                ch.execute("DROP TABLE IF EXISTS " + LOCK);
                continue;
            }
            if (!announced) {
                log.info("migrations: another runner is migrating {} (lock held {} s); waiting", ch.database(), heldSeconds);
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

    private long lockAgeSeconds() {
        List<JsonNode> rows = ch.select("SELECT toUnixTimestamp(now()) - toUnixTimestamp(metadata_modification_time) AS age"
                + " FROM system.tables WHERE database = currentDatabase() AND name = '" + LOCK + "'");
        return rows.isEmpty() ? 0 : Math.max(0, ClickHouseGateway.longValue(rows.get(0).get("age")));
    }
}
