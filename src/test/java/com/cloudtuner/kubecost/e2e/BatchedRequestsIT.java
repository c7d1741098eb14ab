package com.cloudtuner.kubecost.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.cloudtuner.kubecost.simulate.DemoScenario;
import com.cloudtuner.kubecost.testing.Exporter;
import com.cloudtuner.kubecost.testing.FaultProxy;
import com.cloudtuner.kubecost.testing.PrometheusServer;
import com.cloudtuner.kubecost.testing.RealServers;
import com.cloudtuner.kubecost.testing.TestDatabase;
import com.cloudtuner.kubecost.testing.Worker;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * How many requests a run sends, counted by proxies in front of the real Prometheus and ClickHouse:
 * Thanos requests grow with metrics × work units (tenant batches × window chunks), not with
 * tenants; ClickHouse gets one stored-state read and one insert per table per work unit, and one
 * ledger insert per batch.
 */
@ExtendWith(RealServers.class)
class BatchedRequestsIT {

    private static final Instant D0 = Instant.parse("2025-10-13T00:00:00Z");
    private static final List<String> TENANTS = List.of("t1", "t2", "t3", "t4", "t5", "t6", "t7");
    private static final String[] BACKFILL = {"backfill", "--from=2025-10-13T00:00:00Z", "--to=2025-10-14T06:00:00Z"};
    // per unit: the health series raw, then sum, count and minimum of the 10 cost families and
    // sum and count of the 6 efficiency families, one query_range each; the two total cost families
    // counted once more before their sums, the census of series and the health series counted again
    private static final int RANGE_QUERIES_PER_UNIT = 10 * 3 + 6 * 2 + 2 + 1 + 1;

    private static PrometheusServer prometheus;

    @BeforeAll
    static void load(PrometheusServer prom) {
        prom.load(DemoScenario.generate(Exporter.PREFIX, TENANTS, D0, 30, 7));
        prometheus = prom;
    }

    @BeforeEach
    void emptyDatabase(TestDatabase db) {
        db.recreate();
        assertThat(Worker.run(Worker.serverArgs(db, prometheus.url()), "migrate").exitCode()).isZero();
    }

    @Test
    void thanosRequestsGrowWithBatchesAndChunksNotWithTenants(TestDatabase db) {
        for (int maxTenants : List.of(3, 7)) {
            db.recreate();
            try (FaultProxy thanos = new FaultProxy(prometheus.url())) {
                Worker.Result r = Worker.run(Worker.withOption(Worker.serverArgs(db, prometheus.url()), "thanos.url", thanos.url()),
                        append(BACKFILL, "--worker.batch.max-tenants=" + maxTenants));
                assertThat(r.exitCode()).as(r.toString()).isZero();
                int batches = (TENANTS.size() + maxTenants - 1) / maxTenants;
                int units = batches * 2; // 30 hours: a chunk of 24 and one of 6
                // tenant discovery, the series census, the range probe (2), then per unit the health series
                // raw and the range queries of sums, counts and minimums
                assertThat(thanos.requests()).as("max-tenants=" + maxTenants).hasSize(1 + 1 + 2 + units * (1 + RANGE_QUERIES_PER_UNIT));
                assertThat(count(thanos.requests(), "query_range")).isEqualTo(units * RANGE_QUERIES_PER_UNIT);
            }
        }
    }

    @Test
    void clickHouseGetsOneReadAndOneInsertPerTablePerWorkUnit(TestDatabase db) {
        List<String> statements = backfillThroughProxy(db, "--worker.batch.max-tenants=3");
        int units = 3 * 2;
        assertThat(count(statements, "FROM k8s_expenses FINAL WHERE cloud_account_id IN")).isEqualTo(units);
        assertThat(count(statements, "FROM k8s_cluster_expenses FINAL WHERE cloud_account_id IN")).isEqualTo(units);
        assertThat(inserts(statements, "k8s_expenses")).isEqualTo(units);
        assertThat(inserts(statements, "k8s_cluster_expenses")).isEqualTo(units);
        assertThat(inserts(statements, "k8s_expenses_runs")).isEqualTo(3); // one per batch
        long rows = db.query("SELECT count() AS n FROM k8s_expenses_current").get(0).get("n").asLong();
        assertThat(rows).isEqualTo(TENANTS.size() * (5 + 1 + 3 + 1) * 30L); // DemoScenario: two clusters, 8 namespaces
    }

    @Test
    void insertsAreSplitOnlyAboveMaxInsertRows(TestDatabase db) {
        List<String> statements = backfillThroughProxy(db, "--worker.batch.max-tenants=3", "--clickhouse.max-insert-rows=100");
        // per batch of 3 (3, 3, 1 tenants): 10 rows and 2 cluster rows per tenant and hour
        int expenses = 0;
        int clusters = 0;
        for (int tenants : List.of(3, 3, 1)) {
            for (int hours : List.of(24, 6)) {
                expenses += (tenants * 10 * hours + 99) / 100;
                clusters += (tenants * 2 * hours + 99) / 100;
            }
        }
        assertThat(inserts(statements, "k8s_expenses")).isEqualTo(expenses);
        assertThat(inserts(statements, "k8s_cluster_expenses")).isEqualTo(clusters);
        assertThat(db.query("SELECT count() AS n FROM k8s_expenses_current").get(0).get("n").asLong()).isEqualTo(7 * 10 * 30L);
    }

    private List<String> backfillThroughProxy(TestDatabase db, String... options) {
        try (FaultProxy clickhouse = new FaultProxy(db.workerArgs().get(0).substring("--clickhouse.url=".length()))) {
            List<String> args = new ArrayList<>(Worker.withOption(Worker.serverArgs(db, prometheus.url()), "clickhouse.url", clickhouse.url()));
            args.add("--worker.migrate-on-start=false");
            List<String> all = new ArrayList<>(List.of(BACKFILL));
            all.addAll(List.of(options));
            Worker.Result r = Worker.run(args, all.toArray(String[]::new));
            assertThat(r.exitCode()).as(r.toString()).isZero();
            return clickhouse.requests();
        }
    }

    private static long count(List<String> requests, String text) {
        return requests.stream().filter(r -> r.contains(text)).count();
    }

    private static long inserts(List<String> requests, String table) {
        Pattern insert = Pattern.compile("INSERT INTO [`\"]?" + table + "[`\"]?[ (]");
        return requests.stream().filter(r -> insert.matcher(r).find()).count();
    }

    private static String[] append(String[] args, String more) {
        String[] all = java.util.Arrays.copyOf(args, args.length + 1);
        all[args.length] = more;
        return all;
    }
}
