package com.cloudtuner.kubecost.clickhouse;

import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The single-node DDL of the migration files, as a ClickHouse cluster (clickhouse.cluster) runs it.
 * One set of migration files serves both: their checksums stay those of the files, and a rule here,
 * not a second copy of the schema, says what each statement becomes on a cluster.
 *
 * <ul>
 *   <li>A tenant's table ({@link #SHARDED}) becomes a {@code Replicated*MergeTree} table
 *       {@code <name>_local} on every node ({@code {shard}}/{@code {replica}} macros) and a
 *       {@code Distributed} table under its own name, sharded by {@code cityHash64(cloud_account_id)}:
 *       every version and tombstone of a tenant's key lives on one shard, so {@code FINAL}, which
 *       merges per shard, stays exact.</li>
 *   <li>Every other table ({@link #EVERY_NODE}) is replicated to every node of the cluster (one
 *       ZooKeeper path for all shards). {@code k8s_expenses_daily} is among them although it holds
 *       tenants' rows: its day is swapped in with {@code REPLACE PARTITION}, which ClickHouse 18.16
 *       does not run {@code ON CLUSTER}; on a table every node replicates, one node's swap reaches all.</li>
 *   <li>Names are written with their database: a node running an {@code ON CLUSTER} statement
 *       resolves a bare name in its own default database, not the initiator's.</li>
 *   <li>{@code ALTER TABLE ... ADD COLUMN} runs on the local tables of every shard; an every-node
 *       table's ALTER is replicated by ClickHouse itself, so it runs once. A {@code Distributed}
 *       table is made again instead (18.16 refuses {@code ALTER ... ON CLUSTER} on it when shards
 *       replicate internally) and swapped in by {@code RENAME}; it holds no data, so nothing is lost,
 *       and every statement may run again after a runner died half-way.</li>
 * </ul>
 */
public final class ClusterDdl {

    /** Tables whose rows belong to one tenant each and are sharded by it. */
    static final Set<String> SHARDED = Set.of("k8s_expenses", "k8s_cluster_expenses", "k8s_expenses_runs", "k8s_expenses_watermarks");
    /** Tables every node holds whole: the job's own bookkeeping, and the daily table (see above). */
    static final Set<String> EVERY_NODE = Set.of("k8s_worker_runs", "k8s_expenses_daily", "k8s_expenses_daily_builds",
            Migrator.HISTORY);
    static final String LOCAL_SUFFIX = "_local";
    static final String SHARDING_KEY = "cityHash64(cloud_account_id)";
    /** Under it, the cluster's name: two clusters sharing one ZooKeeper never share a table's path. */
    static final String ZOOKEEPER_ROOT = "/clickhouse/tables/";

    private static final Pattern CREATE_TABLE = Pattern.compile(
            "(?s)^CREATE\\s+TABLE\\s+(IF\\s+NOT\\s+EXISTS\\s+)?`?(\\w+)`?\\s*(\\(.*\\))\\s*ENGINE\\s*=\\s*(\\w+)(?:\\(([^)]*)\\))?(.*)$",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern CREATE_VIEW = Pattern.compile(
            "(?s)^CREATE\\s+VIEW\\s+(IF\\s+NOT\\s+EXISTS\\s+)?`?(\\w+)`?\\s+AS\\s+(.*)$", Pattern.CASE_INSENSITIVE);
    private static final Pattern DROP_TABLE = Pattern.compile(
            "(?s)^DROP\\s+TABLE\\s+(IF\\s+EXISTS\\s+)?`?(\\w+)`?\\s*$", Pattern.CASE_INSENSITIVE);
    private static final Pattern ALTER_TABLE = Pattern.compile(
            "(?s)^ALTER\\s+TABLE\\s+`?(\\w+)`?\\s+(ADD\\s+COLUMN\\s+.*)$", Pattern.CASE_INSENSITIVE);
    private static final Pattern FROM_TABLE = Pattern.compile("(?i)\\bFROM\\s+`?(\\w+)`?");

    private final String cluster;
    private final String database;

    public ClusterDdl(String cluster, String database) {
        this.cluster = cluster;
        this.database = database;
    }

    /** The statements a cluster runs for one single-node statement, in order. */
    public List<String> statements(String statement) {
        String sql = statement.strip();
        Matcher m;
        if ((m = CREATE_TABLE.matcher(sql)).matches()) {
            return createTable(m.group(1) != null, m.group(2), m.group(3), m.group(4), m.group(5), m.group(6));
        }
        if ((m = CREATE_VIEW.matcher(sql)).matches()) {
            return List.of("CREATE VIEW " + ifNotExists(m.group(1) != null) + qualified(m.group(2)) + onCluster() + " AS "
                    + qualifyFromClauses(m.group(3)));
        }
        if ((m = DROP_TABLE.matcher(sql)).matches()) {
            return List.of("DROP TABLE " + (m.group(1) != null ? "IF EXISTS " : "") + qualified(m.group(2)) + onCluster());
        }
        if ((m = ALTER_TABLE.matcher(sql)).matches()) {
            return alterTable(m.group(1), m.group(2));
        }
        throw new MigrationException("clickhouse.cluster: no cluster form for this statement (CREATE TABLE, CREATE VIEW, DROP TABLE"
                + " and ALTER TABLE ... ADD COLUMN have one): " + ClickHouseGateway.firstLine(sql));
    }

    /**
     * The migration lock on a cluster. The cluster's DDL queue decides who holds it: every node runs
     * the queue's {@code CREATE TABLE ... ON CLUSTER} statements in one order, so of two runners
     * creating it at once exactly one succeeds and the other gets "already exists" (57), as on a single
     * node. It is replicated to every node so that a runner waiting through another node sees the
     * holder's heartbeats. Each lock gets a ZooKeeper path of its own: a lock made again after one was
     * dropped must not fetch the old holder's rows from a node that has not dropped it yet.
     */
    public String lockTable(String holder) {
        return "CREATE TABLE " + qualified(Migrator.LOCK) + onCluster() + " (holder String, beat_at DateTime('UTC'))"
                + " ENGINE = ReplicatedMergeTree('" + everyNodePath(Migrator.LOCK) + "/" + holder
                + "', '{shard}-{replica}') ORDER BY holder";
    }

    /** What follows {@code DROP TABLE IF EXISTS} to drop the lock on every node. */
    public String dropLock() {
        return qualified(Migrator.LOCK) + onCluster();
    }

    /** The table whose columns an ALTER of {@code table} changes: the local table of a sharded one. */
    public static String columnsHolder(String table) {
        return SHARDED.contains(table) ? table + LOCAL_SUFFIX : table;
    }

    private List<String> createTable(boolean ifNotExists, String table, String columns, String engine, String engineArgs, String rest) {
        String args = engineArgs == null || engineArgs.isBlank() ? "" : ", " + engineArgs.strip();
        String create = "CREATE TABLE " + ifNotExists(ifNotExists);
        if (SHARDED.contains(table)) {
            String local = table + LOCAL_SUFFIX;
            return List.of(
                    create + qualified(local) + onCluster() + " " + columns + " ENGINE = Replicated" + engine + "('"
                            + ZOOKEEPER_ROOT + cluster + "/{shard}/" + database + "/" + local + "', '{replica}'" + args + ")" + rest,
                    distributed(table, ifNotExists));
        }
        if (EVERY_NODE.contains(table)) {
            return List.of(create + qualified(table) + onCluster() + " " + columns + " ENGINE = Replicated" + engine
                    + "('" + everyNodePath(table) + "', '{shard}-{replica}'" + args + ")" + rest);
        }
        throw new MigrationException("clickhouse.cluster: table " + table + " is neither sharded by tenant nor kept on every node;"
                + " add it to ClusterDdl.SHARDED or ClusterDdl.EVERY_NODE");
    }

    private List<String> alterTable(String table, String change) {
        if (SHARDED.contains(table)) {
            // the new Distributed table is swapped in by RENAME, so readers never find the table missing
            String replacement = table + "_altered";
            String replaced = table + "_replaced";
            return List.of("ALTER TABLE " + qualified(table + LOCAL_SUFFIX) + onCluster() + " " + change,
                    "DROP TABLE IF EXISTS " + qualified(replacement) + onCluster(),
                    "DROP TABLE IF EXISTS " + qualified(replaced) + onCluster(),
                    distributed(replacement, table, true),
                    "RENAME TABLE " + qualified(table) + " TO " + qualified(replaced) + ", " + qualified(replacement) + " TO "
                            + qualified(table) + onCluster(),
                    "DROP TABLE IF EXISTS " + qualified(replaced) + onCluster());
        }
        if (EVERY_NODE.contains(table)) {
            return List.of("ALTER TABLE " + qualified(table) + " " + change);
        }
        throw new MigrationException("clickhouse.cluster: ALTER of table " + table + ", which is neither sharded by tenant nor kept on"
                + " every node; add it to ClusterDdl.SHARDED or ClusterDdl.EVERY_NODE");
    }

    private String distributed(String table, boolean ifNotExists) {
        return distributed(table, table, ifNotExists);
    }

    /** A Distributed table named {@code name} over the local tables of {@code table}. */
    private String distributed(String name, String table, boolean ifNotExists) {
        return "CREATE TABLE " + ifNotExists(ifNotExists) + qualified(name) + onCluster() + " AS " + qualified(table + LOCAL_SUFFIX)
                + " ENGINE = Distributed(" + cluster + ", " + database + ", " + table + LOCAL_SUFFIX + ", " + SHARDING_KEY + ")";
    }

    private String qualifyFromClauses(String query) {
        return FROM_TABLE.matcher(query).replaceAll(r -> "FROM " + Matcher.quoteReplacement(qualified(r.group(1))));
    }

    /** One ZooKeeper path for a table every node holds: all shards' nodes are replicas of it. */
    private String everyNodePath(String table) {
        return ZOOKEEPER_ROOT + cluster + "/all/" + database + "/" + table;
    }

    private String qualified(String table) {
        return database + "." + table;
    }

    private String onCluster() {
        return " ON CLUSTER " + cluster;
    }

    private static String ifNotExists(boolean yes) {
        return yes ? "IF NOT EXISTS " : "";
    }

}
