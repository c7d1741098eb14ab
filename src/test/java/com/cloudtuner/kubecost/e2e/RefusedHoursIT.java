package com.cloudtuner.kubecost.e2e;

import static com.cloudtuner.kubecost.testing.Exporter.HOUR;
import static com.cloudtuner.kubecost.testing.Exporter.MINUTE;
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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Contradictory data fail the cluster-hour, not the tenant: cluster c1 of tenant "money2" changes
 * its currency label from USD to EUR at 12:30, so hour 12 of c1 has both; its cluster c2 stays in
 * USD. The hourly runs write every other hour and move the watermark on; the refused hour is in
 * the ledger with its reason, and {@code check}, {@code gaps} and {@code explain} show it.
 */
@ExtendWith(RealServers.class)
class RefusedHoursIT {

    private static final long D0 = Instant.parse("2025-10-22T00:00:00Z").toEpochMilli();
    private static final long CHANGE = D0 + 12 * HOUR + 30 * MINUTE;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static TestDatabase db;
    private static List<String> servers;

    @BeforeAll
    static void load(TestDatabase database, PrometheusServer prometheus) {
        Exporter e = new Exporter();
        long from = D0 + 9 * HOUR + 3_000;
        long to = D0 + 17 * HOUR;
        for (String cluster : List.of("c1", "c2")) {
            boolean changes = cluster.equals("c1");
            for (String currency : changes ? List.of("USD", "EUR") : List.of("USD")) {
                java.util.function.LongPredicate when = !changes ? Exporter.always()
                        : currency.equals("USD") ? t -> t < CHANGE : t -> t >= CHANGE;
                e.gauge(ExporterMetric.NAMESPACE_TOTAL_COST, withCurrency(Exporter.labels("money2", cluster, "web"), currency),
                        from, to, MINUTE, when, t -> 1.5);
                e.gauge(ExporterMetric.CLUSTER_TOTAL_COST, withCurrency(Exporter.labels("money2", cluster, null), currency),
                        from, to, MINUTE, when, t -> 4.0);
            }
            e.gauge(ExporterMetric.EXPORTER_SCRAPE_SUCCESS, Map.of("tenant_id", "money2", "cluster", cluster), from, to, MINUTE,
                    Exporter.always(), t -> 1);
        }
        prometheus.load(e.dataset());
        db = database;
        servers = Worker.serverArgs(database, prometheus.url());
    }

    private static Map<String, String> withCurrency(Map<String, String> labels, String currency) {
        Map<String, String> out = new java.util.HashMap<>(labels);
        out.put("currency", currency);
        return out;
    }

    @Test
    void theRefusedHourIsLeftOutReportedAndDoesNotHoldTheTenantBack() {
        Worker.Result first = hourly("2025-10-22T14:10:00Z");
        assertThat(first.exitCode()).as(first.toString()).isEqualTo(1);
        // hours 11..13 of both clusters, but for hour 12 of c1
        assertThat(hours("c1")).containsExactly(11L, 13L);
        assertThat(hours("c2")).containsExactly(11L, 12L, 13L);
        assertThat(currencyOf("c1", 13)).isEqualTo("EUR");
        JsonNode ledger = db.query("SELECT status, refused_cluster_hours, error, rows_written FROM k8s_expenses_runs WHERE run_id = '"
                + first.runId() + "'").get(0);
        assertThat(ledger.get("status").asString()).isEqualTo("partial");
        assertThat(ledger.get("refused_cluster_hours").asLong()).isEqualTo(1);
        assertThat(ledger.get("error").asString()).startsWith("refused money2/c1@2025-10-22T12:00:00Z").contains("USD", "EUR");
        assertThat(ledger.get("rows_written").asLong()).isEqualTo(5 * 2); // web and __unallocated__ in 5 cluster-hours
        assertThat(watermark()).isEqualTo("2025-10-22T14:00:00Z");

        // the refused hour is still in the next run's window: reported again, and the watermark moves on
        Worker.Result second = hourly("2025-10-22T15:10:00Z");
        assertThat(second.exitCode()).as(second.toString()).isEqualTo(1);
        assertThat(watermark()).isEqualTo("2025-10-22T15:00:00Z");
        // once it has left the re-processed hours the runs succeed again
        Worker.Result third = hourly("2025-10-22T16:10:00Z");
        assertThat(third.exitCode()).as(third.toString()).isZero();
        assertThat(hours("c1")).containsExactly(11L, 13L, 14L, 15L);

        // check looks at the runs of the last day by the clock they ran at
        List<String> problems = CheckRuns.problems(Worker.run(servers, "check", "--tenant=money2", "--json")).stream()
                .map(f -> f.get("code").asString()).toList();
        assertThat(problems).contains("refused_hours");

        Worker.Result gaps = Worker.run(servers, "gaps", "--from=2025-10-22T11:00:00Z", "--to=2025-10-22T16:00:00Z", "--json");
        assertThat(gaps.exitCode()).as(gaps.toString()).isEqualTo(1);
        JsonNode ranges = JSON.readTree(gaps.out()).get("ranges");
        assertThat(ranges).singleElement().satisfies(r -> {
            assertThat(r.get("kind").asString()).isEqualTo("refused");
            assertThat(r.get("cluster").asString()).isEqualTo("c1");
            assertThat(r.get("from").asString()).isEqualTo("2025-10-22T12:00:00Z");
            assertThat(r.get("hours").asInt()).isEqualTo(1);
        });

        Worker.Result explain = Worker.run(servers, "explain", "--tenant=money2", "--cluster=c1", "--namespace=web",
                "--hour=2025-10-22T12:00:00Z", "--json");
        assertThat(explain.exitCode()).as(explain.toString()).isZero();
        JsonNode doc = JSON.readTree(explain.out());
        assertThat(doc.get("verdict").asString()).isEqualTo("refused");
        assertThat(doc.get("compute_error").asString()).contains("USD", "EUR");
    }

    private static Worker.Result hourly(String now) {
        return Worker.run(servers, "hourly", "--now=" + now, "--tenant=money2");
    }

    private static List<Long> hours(String cluster) {
        return db.query("SELECT DISTINCT toHour(hour) AS h FROM k8s_expenses_current WHERE cloud_account_id = 'money2' AND cluster = '"
                + cluster + "' ORDER BY h").stream().map(r -> r.get("h").asLong()).toList();
    }

    private static String currencyOf(String cluster, int hour) {
        return db.query("SELECT currency FROM k8s_expenses_current WHERE cloud_account_id = 'money2' AND cluster = '" + cluster
                + "' AND toHour(hour) = " + hour + " LIMIT 1").get(0).get("currency").asString();
    }

    private static String watermark() {
        return db.query("SELECT toUnixTimestamp(max(watermark)) AS w FROM k8s_expenses_watermarks WHERE cloud_account_id = 'money2'")
                .stream().map(r -> Instant.ofEpochSecond(r.get("w").asLong()).toString()).findFirst().orElseThrow();
    }
}
