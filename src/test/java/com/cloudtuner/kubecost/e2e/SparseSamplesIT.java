package com.cloudtuner.kubecost.e2e;

import static com.cloudtuner.kubecost.testing.Exporter.HOUR;
import static com.cloudtuner.kubecost.testing.Exporter.always;
import static com.cloudtuner.kubecost.testing.Exporter.labels;
import static org.assertj.core.api.Assertions.assertThat;

import com.cloudtuner.kubecost.cost.ExporterMetric;
import com.cloudtuner.kubecost.testing.CheckRuns;
import com.cloudtuner.kubecost.testing.Exporter;
import com.cloudtuner.kubecost.testing.PrometheusServer;
import com.cloudtuner.kubecost.testing.RealServers;
import com.cloudtuner.kubecost.testing.TestDatabase;
import com.cloudtuner.kubecost.testing.Worker;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An exporter scraped once an hour, read one hour at a time: each series has one sample in the
 * window, which is every series' first, so the server's range semantics cannot be probed on it.
 * The window is then read raw rather than taken as empty.
 */
@ExtendWith(RealServers.class)
class SparseSamplesIT {

    private static final long D0 = Instant.parse("2025-10-13T00:00:00Z").toEpochMilli();
    private static final long HALF_PAST = 30 * 60_000L;

    @Test
    void aWindowWithOnlyFirstSamplesIsReadRawNotTakenAsEmpty(TestDatabase db, PrometheusServer prometheus) {
        Exporter e = new Exporter();
        // samples at 00:30, 01:30, 02:30; the window 01:00-02:00 holds one of each
        e.gauge(ExporterMetric.EXPORTER_SCRAPE_SUCCESS, Map.of("tenant_id", "sparse", "cluster", "c"), D0 + HALF_PAST, D0 + 3 * HOUR,
                HOUR, always(), t -> 1);
        e.gauge(ExporterMetric.CLUSTER_TOTAL_COST, labels("sparse", "c", null), D0 + HALF_PAST, D0 + 3 * HOUR, HOUR, always(), t -> 5);
        e.gauge(ExporterMetric.NAMESPACE_TOTAL_COST, labels("sparse", "c", "a"), D0 + HALF_PAST, D0 + 3 * HOUR, HOUR, always(), t -> 2);
        prometheus.load(e.dataset());

        Worker.Result r = Worker.run(Worker.serverArgs(db, prometheus.url()), "backfill", "--from=2025-10-13T01:00:00Z",
                "--to=2025-10-13T02:00:00Z", "--tenant=sparse", "--worker.exporter.min-scrape-interval=1h",
                "--worker.exporter.health-lookback=5m"); // shorter than the half hour to the sample before the window
        assertThat(r.exitCode()).as(r.toString()).isZero();
        // one sample of 2 $/h for the hour, one of 5 $/h for the cluster: 2 for "a", 5 - 2 for the rest;
        // the one sample stands for the configured hour, so the hour is covered
        assertThat(db.query("SELECT namespace, cost, coverage, toString(hour) AS h FROM k8s_expenses_current ORDER BY namespace"))
                .extracting(row -> row.get("namespace").asString() + " " + row.get("cost").asDouble() + " "
                        + row.get("coverage").asDouble() + " " + row.get("h").asString())
                .containsExactly("__unallocated__ 3.0 1.0 2025-10-13 01:00:00", "a 2.0 1.0 2025-10-13 01:00:00");
    }

    @Test
    void checkReadsAnExporterScrapedOnTheHourRawAndSeesItFailing(TestDatabase db, PrometheusServer prometheus) {
        Exporter e = new Exporter();
        // scraped exactly on the hour, 00:00 to 23:00: no sample to probe the range semantics on;
        // the exporter reports failure from 22:00 on
        e.gauge(ExporterMetric.EXPORTER_SCRAPE_SUCCESS, Map.of("tenant_id", "onthehour", "cluster", "c"), D0, D0 + 24 * HOUR,
                HOUR, always(), t -> t >= D0 + 22 * HOUR ? 0 : 1);
        e.gauge(ExporterMetric.CLUSTER_TOTAL_COST, labels("onthehour", "c", null), D0, D0 + 24 * HOUR, HOUR, always(), t -> 5);
        for (String namespace : List.of("a", "b")) {
            e.gauge(ExporterMetric.NAMESPACE_TOTAL_COST, labels("onthehour", "c", namespace), D0, D0 + 24 * HOUR, HOUR, always(), t -> 2);
        }
        prometheus.load(e.dataset());

        Worker.Result r = CheckRuns.check(Worker.serverArgs(db, prometheus.url()), Instant.parse("2025-10-13T23:10:00Z"),
                "--tenant=onthehour", "--json");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        List<String> problems = CheckRuns.problems(r).stream()
                .map(f -> f.get("code").asString() + " " + f.get("where").asString()).toList();
        JsonNode report = JsonMapper.builder().build().readTree(r.out());
        assertThat(problems).contains("exporter_failing tenant onthehour cluster c", "unhealthy_hours tenant onthehour cluster c");
        // failing since its 22:00 sample; of the last 24 hours, 22:00 and 23:00 unhealthy
        JsonNode cluster = report.get("tenants").get(0).get("clusters").get(0);
        assertThat(cluster.get("failing_since").asString()).isEqualTo("2025-10-13T22:00:00Z");
        assertThat(cluster.get("unhealthy_hours")).extracting(JsonNode::asString)
                .containsExactly("2025-10-13T22:00:00Z", "2025-10-13T23:00:00Z");
        // the cluster's two namespaces, as the raw samples show them
        JsonNode tenant = report.get("tenants").get(0);
        assertThat(tenant.get("tenant").asString()).isEqualTo("onthehour");
        assertThat(tenant.get("clusters").get(0).get("namespaces").asInt()).isEqualTo(2);
    }
}
