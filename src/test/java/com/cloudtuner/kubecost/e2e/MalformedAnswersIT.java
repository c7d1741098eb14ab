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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An upstream answering HTTP 200 with something other than data (a proxy, a gateway, a broken
 * Thanos) in front of the real Prometheus: the window fails, nothing is written or tombstoned, no
 * watermark moves, and the reason is in the ledger.
 */
@ExtendWith(RealServers.class)
class MalformedAnswersIT {

    private static final Instant D0 = Instant.parse("2025-10-13T00:00:00Z");
    private static final String SCALAR = "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1760320800,\"1\"]}}";
    private static final String BAD_ELEMENT = "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":["
            + "{\"metric\":{\"tenant_id\":\"acme\",\"cluster\":\"prod\",\"namespace\":\"web\",\"currency\":\"USD\"},"
            + "\"values\":[[1760317199.999,\"60\"]]},\"oops\",{\"metric\":{},\"values\":[]}]}}";

    private static PrometheusServer prometheus;

    @BeforeAll
    static void load(PrometheusServer prom) {
        prom.load(DemoScenario.generate(Exporter.PREFIX, List.of("acme", "globex"), D0, 8, 3));
        prometheus = prom;
    }

    private TestDatabase db;
    private List<String> direct;

    @BeforeEach
    void backfillTheFirstHours(TestDatabase database) {
        db = database;
        db.recreate();
        direct = Worker.serverArgs(db, prometheus.url());
        Worker.Result r = Worker.run(direct, "backfill", "--from=2025-10-13T00:00:00Z", "--to=2025-10-13T08:00:00Z");
        assertThat(r.exitCode()).as(r.toString()).isZero();
    }

    @Test
    void anHourlyRunAnsweredWithAScalarFailsAndKeepsTheWatermark() {
        Worker.Result first = Worker.run(direct, "hourly", "--now=2025-10-13T05:10:00Z");
        assertThat(first.exitCode()).as(first.toString()).isZero();
        List<String> before = view();
        try (FaultProxy proxy = new FaultProxy(prometheus.url())) {
            proxy.answerRequestsContaining("query_range", SCALAR);
            Worker.Result r = Worker.run(Worker.withOption(direct, "thanos.url", proxy.url()), "hourly", "--now=2025-10-13T07:10:00Z");
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
            // both tenants failed alike: one line names them, the cause first
            assertThat(r.err().lines().filter(l -> l.contains(" failed: "))).singleElement().satisfies(l -> assertThat(l)
                    .contains("acme", "globex").contains("failed: unreadable response: resultType is scalar, expected matrix"));
        }
        assertThat(watermarks()).containsExactly("acme 2025-10-13 05:00:00", "globex 2025-10-13 05:00:00");
        assertThat(view()).isEqualTo(before);
        assertThat(db.query("SELECT error FROM k8s_expenses_runs WHERE status = 'failed'"))
                .extracting(row -> row.get("error").asString()).hasSize(2).allMatch(e -> e.contains("resultType is scalar"));
    }

    @Test
    void anErasingBackfillAnsweredWithABadElementTombstonesNothing() {
        List<String> before = view();
        try (FaultProxy proxy = new FaultProxy(prometheus.url())) {
            proxy.answerRequestsContaining("namespace_total_cost{", BAD_ELEMENT); // the reads, not the census
            Worker.Result r = Worker.run(Worker.withOption(direct, "thanos.url", proxy.url()), "backfill",
                    "--from=2025-10-13T00:00:00Z", "--to=2025-10-13T08:00:00Z", "--erase-missing");
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
            assertThat(r.err()).contains("result element 1 is a string, not a series object");
        }
        assertThat(view()).isEqualTo(before);
        assertThat(db.query("SELECT count() AS n FROM k8s_expenses WHERE deleted = 1").get(0).get("n").asLong()).isZero();
    }

    @Test
    void aBadElementAmongTheSeriesNeverLetsTheOtherNamespacesBeTombstoned() {
        List<String> before = view();
        for (String mode : List.of("aggregated", "raw")) {
            try (FaultProxy proxy = new FaultProxy(prometheus.url())) {
                proxy.answerRequestsContaining("namespace_total_cost{", BAD_ELEMENT); // the reads, not the census
                List<String> args = new ArrayList<>(Worker.withOption(direct, "thanos.url", proxy.url()));
                args.add("--worker.read-mode=" + mode);
                Worker.Result r = Worker.run(args, "backfill", "--from=2025-10-13T00:00:00Z", "--to=2025-10-13T08:00:00Z");
                assertThat(r.exitCode()).as(mode + " " + r).isEqualTo(1);
                assertThat(r.out()).contains("0 tenants succeeded, 2 failed");
            }
            assertThat(view()).as(mode).isEqualTo(before);
        }
    }

    private List<String> view() {
        return db.query("SELECT * FROM k8s_expenses_current ORDER BY cloud_account_id, cluster, namespace, hour").stream()
                .map(Object::toString).toList();
    }

    private List<String> watermarks() {
        return db.query("SELECT cloud_account_id, toString(watermark) AS w FROM k8s_expenses_watermarks FINAL ORDER BY cloud_account_id")
                .stream().map(r -> r.get("cloud_account_id").asString() + " " + r.get("w").asString()).toList();
    }
}
