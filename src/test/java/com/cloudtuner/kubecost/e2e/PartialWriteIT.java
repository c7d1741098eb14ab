package com.cloudtuner.kubecost.e2e;

import static com.cloudtuner.kubecost.testing.Exporter.HOUR;
import static com.cloudtuner.kubecost.testing.Exporter.MINUTE;
import static org.assertj.core.api.Assertions.assertThat;

import com.cloudtuner.kubecost.cost.ExporterMetric;
import com.cloudtuner.kubecost.testing.Exporter;
import com.cloudtuner.kubecost.testing.FaultProxy;
import com.cloudtuner.kubecost.testing.PrometheusServer;
import com.cloudtuner.kubecost.testing.RealServers;
import com.cloudtuner.kubecost.testing.TestDatabase;
import com.cloudtuner.kubecost.testing.Worker;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * A write that fails halfway, through a proxy in front of the real ClickHouse: the second insert
 * into k8s_expenses rejected (code 241), the k8s_cluster_expenses insert rejected, and an insert
 * applied whose answer is lost. Two tenants x two clusters x three namespaces x 24 hours: 4 rows
 * per cluster-hour (3 namespaces and __unallocated__), 192 per tenant, 384 for the one work unit;
 * with {@code clickhouse.max-insert-rows=100} an insert holds 25 whole cluster-hours (100 rows).
 * The refusals persist (every later insert into the table is refused too: the run's own retry of
 * the unit fails as well). Readers never see part of a cluster-hour, the ledger says what was
 * stored, {@code gaps} names the hours to repair, and the next backfill leaves exactly what a clean
 * run leaves.
 */
@ExtendWith(RealServers.class)
class PartialWriteIT {

    private static final Instant D0 = Instant.parse("2025-10-21T00:00:00Z");
    private static final String FROM = "--from=2025-10-21T00:00:00Z";
    private static final String TO = "--to=2025-10-22T00:00:00Z";
    private static final String[] BACKFILL = {"backfill", FROM, TO, "--clickhouse.max-insert-rows=100", "--clickhouse.retries=0"};
    private static final Predicate<String> EXPENSES_INSERT = insertInto("k8s_expenses");
    private static final Predicate<String> CLUSTER_INSERT = insertInto("k8s_cluster_expenses");

    private static PrometheusServer prometheus;
    private static ViewSnapshot clean;

    @BeforeAll
    static void load(PrometheusServer prom, TestDatabase db) {
        Exporter e = new Exporter();
        long start = D0.toEpochMilli();
        for (String tenant : List.of("pw1", "pw2")) {
            for (String cluster : List.of("c1", "c2")) {
                for (int n = 0; n < 3; n++) {
                    double rate = 0.25 + n + (tenant.equals("pw2") ? 0.1 : 0);
                    e.gauge(ExporterMetric.NAMESPACE_TOTAL_COST, Exporter.labels(tenant, cluster, "ns" + n), start + 7_000,
                            start + 24 * HOUR, 5 * MINUTE, Exporter.always(), t -> rate);
                }
                e.gauge(ExporterMetric.CLUSTER_TOTAL_COST, Exporter.labels(tenant, cluster, null), start + 7_000,
                        start + 24 * HOUR, 5 * MINUTE, Exporter.always(), t -> 9.0);
                e.gauge(ExporterMetric.EXPORTER_SCRAPE_SUCCESS, Map.of("tenant_id", tenant, "cluster", cluster), start + 7_000,
                        start + 24 * HOUR, 5 * MINUTE, Exporter.always(), t -> 1);
            }
        }
        prom.load(e.dataset());
        prometheus = prom;
        db.recreate();
        Worker.Result r = Worker.run(Worker.serverArgs(db, prom.url()), BACKFILL);
        assertThat(r.exitCode()).as(r.toString()).isZero();
        clean = ViewSnapshot.of(db);
        assertThat(clean.expenses()).hasSize(384);
        assertThat(clean.clusters()).hasSize(96);
    }

    @BeforeEach
    void emptyDatabase(TestDatabase db) {
        db.recreate();
    }

    @Test
    void aRejectedSecondInsertLeavesWholeClusterHoursAndTheLedgerCountsThem(TestDatabase db) {
        Worker.Result failed = throughClickHouse(db, proxy -> proxy.answerFromNth(EXPENSES_INSERT, 2, 500,
                "Code: 241, e.displayText() = DB::Exception: Memory limit (for query) exceeded"));

        assertThat(failed.exitCode()).as(failed.toString()).isEqualTo(1);
        // the first insert: pw1's c1 (24 cluster-hours) and c2 at 00:00, 4 rows each
        assertThat(rowsPerClusterHour(db)).hasSize(25).allSatisfy((hour, rows) -> assertThat(rows).as(hour).isEqualTo(4));
        assertThat(ledgerChanged(db, failed.runId())).containsEntry("pw1", 100L).containsEntry("pw2", 0L);
        assertThat(statuses(db, failed.runId())).containsOnly("failed");
        // every tenant of the run failed: the repair is the run's own scope again (TENANTS), not a list of them
        assertThat(failed.err()).contains(" backfill --from=2025-10-21T00:00:00Z --to=2025-10-22T00:00:00Z");

        assertThat(gapsKinds(db)).contains("incomplete-write pw1 c1", "missing pw1 c2", "missing pw2 c1", "missing pw2 c2");
        repairAndCompare(db);
    }

    @Test
    void aRejectedClusterInsertLeavesTheHoursUnmarkedUntilTheNextRun(TestDatabase db) {
        Worker.Result failed = throughClickHouse(db, proxy -> proxy.answerFromNth(CLUSTER_INSERT, 1, 500,
                "Code: 241, e.displayText() = DB::Exception: Memory limit (for query) exceeded"));

        assertThat(failed.exitCode()).as(failed.toString()).isEqualTo(1);
        assertThat(rowsPerClusterHour(db)).hasSize(96);
        assertThat(db.query("SELECT count() AS n FROM k8s_cluster_expenses").get(0).get("n").asLong()).isZero();
        assertThat(ledgerChanged(db, failed.runId())).containsEntry("pw1", 192L).containsEntry("pw2", 192L);
        assertThat(gapsKinds(db)).containsExactlyInAnyOrder("incomplete-write pw1 c1", "incomplete-write pw1 c2",
                "incomplete-write pw2 c1", "incomplete-write pw2 c2");
        repairAndCompare(db);
    }

    @Test
    void anInsertAppliedWhoseAnswerWasLostIsCountedOnceAsWritten(TestDatabase db) {
        // the unit's write is tried again (Spring Batch scans a failed chunk item by item) and completes
        Worker.Result run = throughClickHouse(db, proxy -> proxy.loseAnswerOfNth(EXPENSES_INSERT, 1));

        assertThat(run.exitCode()).as(run.toString()).isZero();
        ViewSnapshot.of(db).assertSameRowsAs(clean, "after a lost answer");
        // every row once: the 100 of the insert whose answer was lost, read back, and the 284 of the second try
        assertThat(ledgerChanged(db, run.runId())).containsEntry("pw1", 192L).containsEntry("pw2", 192L);
        assertThat(gapsKinds(db)).isEmpty();
    }

    /** The repairing run: a plain backfill, after which both views are exactly the clean run's. */
    private static void repairAndCompare(TestDatabase db) {
        Worker.Result repair = Worker.run(Worker.serverArgs(db, prometheus.url()), BACKFILL);
        assertThat(repair.exitCode()).as(repair.toString()).isZero();
        ViewSnapshot.of(db).assertSameRowsAs(clean, "after the repairing run");
        assertThat(gapsKinds(db)).isEmpty();
    }

    private static Worker.Result throughClickHouse(TestDatabase db, java.util.function.Consumer<FaultProxy> fault) {
        assertThat(Worker.run(Worker.serverArgs(db, prometheus.url()), "migrate").exitCode()).isZero();
        String url = db.workerArgs().get(0).substring("--clickhouse.url=".length());
        try (FaultProxy proxy = new FaultProxy(url)) {
            fault.accept(proxy);
            List<String> args = new ArrayList<>(Worker.withOption(Worker.serverArgs(db, prometheus.url()), "clickhouse.url", proxy.url()));
            args.add("--worker.migrate-on-start=false");
            return Worker.run(args, BACKFILL);
        }
    }

    /** "kind tenant cluster" of every range gaps reports for the day. */
    private static List<String> gapsKinds(TestDatabase db) {
        Worker.Result gaps = Worker.run(Worker.serverArgs(db, prometheus.url()), "gaps", FROM, TO, "--json");
        JsonNode doc = tools.jackson.databind.json.JsonMapper.builder().build().readTree(gaps.out());
        List<String> kinds = new ArrayList<>();
        for (JsonNode r : doc.get("ranges")) {
            kinds.add(r.get("kind").asString() + " " + r.get("tenant").asString() + " " + r.get("cluster").asString());
        }
        assertThat(gaps.exitCode()).as(gaps.toString()).isEqualTo(kinds.isEmpty() ? 0 : 1);
        return kinds;
    }

    /** Per "tenant cluster hour" of k8s_expenses_current, its rows. */
    private static Map<String, Long> rowsPerClusterHour(TestDatabase db) {
        Map<String, Long> out = new TreeMap<>();
        for (JsonNode r : db.query("SELECT cloud_account_id AS t, cluster AS c, toUnixTimestamp(hour) AS h, count() AS n"
                + " FROM k8s_expenses_current GROUP BY t, c, h")) {
            out.put(r.get("t").asString() + " " + r.get("c").asString() + " " + r.get("h").asLong(), r.get("n").asLong());
        }
        return out;
    }

    private static Map<String, Long> ledgerChanged(TestDatabase db, String runId) {
        Map<String, Long> out = new TreeMap<>();
        for (JsonNode r : db.query("SELECT cloud_account_id AS t, rows_changed AS n FROM k8s_expenses_runs WHERE run_id = '"
                + runId + "'")) {
            out.put(r.get("t").asString(), r.get("n").asLong());
        }
        return out;
    }

    private static List<String> statuses(TestDatabase db, String runId) {
        return db.query("SELECT status FROM k8s_expenses_runs WHERE run_id = '" + runId + "'").stream()
                .map(r -> r.get("status").asString()).toList();
    }

    private static Predicate<String> insertInto(String table) {
        Pattern insert = Pattern.compile("INSERT INTO [`\"]?" + table + "[`\"]?[ (]");
        return r -> insert.matcher(r).find();
    }
}
