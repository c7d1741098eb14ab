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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.LongPredicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * The hourly run, evaluated at chosen instants with {@code --now}. Every tenant here reports, for
 * namespace "a", a rate of 1 + 0.25 x (hour mod 5) and for its cluster 0.5 more, every 5 minutes,
 * so the cost of any hour is known without running anything. Each test uses its own tenants.
 */
@ExtendWith(RealServers.class)
class HourlyRunIT {

    private static final Instant T0 = Instant.parse("2025-10-01T00:00:00Z");
    private static final long DAYS = 12;
    private static final Duration SETTLE = Duration.ofMinutes(10);
    private static final List<String> TENANTS = List.of("first", "next", "late", "outage", "longoutage", "flaky", "steady",
            "disc-1", "disc-2", "noreprocess");

    private static TestDatabase db;
    private static PrometheusServer prometheus;
    private static List<String> servers;

    @BeforeAll
    static void load(TestDatabase database, PrometheusServer prom) {
        Exporter e = new Exporter();
        for (String tenant : TENANTS) {
            // "late" has no samples yet for the second half of one hour; the late-data test adds them
            LongPredicate scraped = tenant.equals("late") ? t -> !(t >= LATE_HOUR + 30 * MINUTE && t < LATE_HOUR + HOUR) : t -> true;
            tenant(e, tenant, T0.toEpochMilli() + MINUTE, T0.toEpochMilli() + DAYS * 24 * HOUR, scraped);
        }
        prom.load(e.dataset());
        db = database;
        prometheus = prom;
        servers = Worker.serverArgs(database, prom.url());
    }

    private static void tenant(Exporter e, String tenant, long from, long to, LongPredicate scraped) {
        e.gauge(ExporterMetric.NAMESPACE_TOTAL_COST, Exporter.labels(tenant, "c", "a"), from, to, 5 * MINUTE, scraped, t -> rate(t));
        e.gauge(ExporterMetric.CLUSTER_TOTAL_COST, Exporter.labels(tenant, "c", null), from, to, 5 * MINUTE, scraped, t -> rate(t) + 0.5);
        e.gauge(ExporterMetric.EXPORTER_SCRAPE_SUCCESS, Map.of("tenant_id", tenant, "cluster", "c"), from, to, 5 * MINUTE, scraped, t -> 1);
    }

    private static double rate(long t) {
        return 1 + 0.25 * Math.floorMod(Math.floorDiv(t, HOUR), 5);
    }

    private static final long LATE_HOUR = T0.toEpochMilli() + 47 * HOUR;

    // ---- first run, next run

    @Test
    void aNewTenantGetsExactlyTheLastReprocessHours() {
        Instant end = T0.plus(Duration.ofDays(2));
        Worker.Result run = hourly(end.plus(SETTLE), "first");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(hours("first", "a")).containsExactly(end.minusSeconds(3 * 3600), end.minusSeconds(2 * 3600), end.minusSeconds(3600));
        assertThat(watermark("first")).isEqualTo(end);
        assertLedger(run, "first", end.minusSeconds(3 * 3600), end, "succeeded", 6);
    }

    @Test
    void theNextRunAddsTheNewHourAndRewritesNothingTwice() {
        Instant end = T0.plus(Duration.ofDays(2));
        assertThat(hourly(end.plus(SETTLE), "next").exitCode()).isZero();
        List<String> before = view("next");

        Worker.Result next = hourly(end.plusSeconds(3600).plus(SETTLE).plusSeconds(1), "next");

        assertThat(next.exitCode()).as(next.toString()).isZero();
        assertThat(hours("next", "a")).hasSize(4).last().isEqualTo(end);
        assertThat(view("next")).containsAll(before); // re-processed rows are identical, version included
        assertThat(count("SELECT count() AS n FROM k8s_expenses WHERE cloud_account_id = 'next'")).isEqualTo(8); // 4 hours x 2 rows
        for (JsonNode sum : db.query("SELECT toUnixTimestamp(hour) AS h, sum(cost) AS s FROM k8s_expenses_current"
                + " WHERE cloud_account_id = 'next' GROUP BY hour")) {
            assertThat(sum.get("s").asDouble()).isEqualTo(rate(sum.get("h").asLong() * 1000) + 0.5); // the cluster total, once
        }
        assertThat(watermark("next")).isEqualTo(end.plusSeconds(3600));
        // the next run re-processed hours end-2h..end and added end..end+1h
        assertLedger(next, "next", end.minusSeconds(2 * 3600), end.plusSeconds(3600), "succeeded", 6);
        assertThat(ledger(next, "next").get("rows_changed").asLong()).isEqualTo(2);
    }

    @Test
    void withoutReprocessHoursANewTenantStartsAtItsFirstRun() {
        Instant end = T0.plus(Duration.ofDays(5));
        Worker.Result first = hourly(end.plus(SETTLE), "noreprocess", "--worker.reprocess-hours=0");
        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(hours("noreprocess", "a")).isEmpty();
        assertThat(watermark("noreprocess")).isEqualTo(end);

        Worker.Result next = hourly(end.plusSeconds(3600).plus(SETTLE), "noreprocess", "--worker.reprocess-hours=0");
        assertThat(next.exitCode()).as(next.toString()).isZero();
        assertThat(hours("noreprocess", "a")).containsExactly(end);
        assertThat(watermark("noreprocess")).isEqualTo(end.plusSeconds(3600));
    }

    // ---- late data

    @Test
    void samplesThatArriveLateAreTakenByTheNextRun() {
        Instant lateHour = Instant.ofEpochMilli(LATE_HOUR);
        Instant end = lateHour.plusSeconds(3600);
        assertThat(hourly(end.plus(SETTLE), "late").exitCode()).isZero();
        JsonNode early = row("late", "a", lateHour);
        assertThat(early.get("coverage").asDouble()).isEqualTo(0.5); // 6 of 12 five-minute scrapes so far
        assertThat(early.get("cost").asDouble()).isEqualTo(rate(LATE_HOUR));

        // remote_write catches up: the second half of the hour arrives, at a different rate
        Exporter late = new Exporter();
        late.gauge(ExporterMetric.NAMESPACE_TOTAL_COST, Exporter.labels("late", "c", "a"), LATE_HOUR + 31 * MINUTE, LATE_HOUR + HOUR,
                5 * MINUTE, t -> true, t -> rate(t) + 2);
        late.gauge(ExporterMetric.EXPORTER_SCRAPE_SUCCESS, Map.of("tenant_id", "late", "cluster", "c"), LATE_HOUR + 31 * MINUTE,
                LATE_HOUR + HOUR, 5 * MINUTE, t -> true, t -> 1);
        prometheus.load(late.dataset());
        servers = Worker.serverArgs(db, prometheus.url());

        Worker.Result next = hourly(end.plusSeconds(3600).plus(SETTLE), "late");
        assertThat(next.exitCode()).as(next.toString()).isZero();
        JsonNode updated = row("late", "a", lateHour);
        assertThat(updated.get("coverage").asDouble()).isEqualTo(1.0);
        assertThat(updated.get("cost").asDouble()).isEqualTo(rate(LATE_HOUR) + 1); // half the hour at +2
    }

    // ---- outages

    @Test
    void aRunThirtyHoursAfterTheLastFillsAllThirtyHours() {
        Instant end = T0.plus(Duration.ofDays(2));
        assertThat(hourly(end.plus(SETTLE), "outage").exitCode()).isZero();

        Instant later = end.plus(Duration.ofHours(30));
        Worker.Result run = hourly(later.plus(SETTLE), "outage");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        List<Instant> hours = hours("outage", "a");
        assertThat(hours).hasSize(33).contains(end, later.minusSeconds(3600));
        for (int i = 1; i < hours.size(); i++) {
            assertThat(hours.get(i)).isEqualTo(hours.get(i - 1).plusSeconds(3600)); // no hour left out
        }
        assertLedger(run, "outage", end, later, "succeeded", 60);
        assertThat(watermark("outage")).isEqualTo(later);
    }

    @Test
    void aRunTenDaysLaterProcessesSevenDaysAndNamesTheBackfillForTheRest() {
        Instant end = T0.plus(Duration.ofDays(1));
        assertThat(hourly(end.plus(SETTLE), "longoutage").exitCode()).isZero();

        Instant later = end.plus(Duration.ofDays(10));
        Worker.Result run = hourly(later.plus(SETTLE), "longoutage");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        Instant oldest = later.minus(Duration.ofDays(7));
        String command = "backfill --from=" + end + " --to=" + oldest + " --tenant=longoutage";
        assertThat(run.out()).contains("hours " + end + ".." + oldest + " are older than worker.max-catch-up").contains(command);
        assertThat(hours("longoutage", "a")).hasSize(3 + 7 * 24).doesNotContain(end, oldest.minusSeconds(3600)).contains(oldest);
        assertLedger(run, "longoutage", oldest, later, "succeeded", 7 * 24 * 2);

        // the command it names fills the gap
        String printed = run.outLines().stream().filter(l -> l.contains(command)).findFirst().orElseThrow();
        String[] args = printed.substring(printed.indexOf("backfill")).split(" ");
        Worker.Result backfill = Worker.run(servers, args);
        assertThat(backfill.exitCode()).as(backfill.toString()).isZero();
        assertThat(hours("longoutage", "a")).hasSize(3 + 10 * 24);
    }

    // ---- failures

    @Test
    void aTenantWhoseQueriesFailKeepsItsWatermarkAndCatchesUpNextRun() {
        Instant e1 = T0.plus(Duration.ofDays(3));
        assertThat(hourly(e1.plus(SETTLE), "flaky", "steady").exitCode()).isZero();

        Instant e2 = e1.plus(Duration.ofHours(5));
        Worker.Result failing;
        try (FaultProxy proxy = new FaultProxy(prometheus.url())) {
            proxy.failRequestsContaining("flaky"); // every request that asks for flaky, alone or in a batch
            failing = Worker.run(Worker.withOption(servers, "thanos.url", proxy.url()), "hourly", "--now=" + e2.plus(SETTLE), "--tenant=flaky", "--tenant=steady");
        }
        assertThat(failing.exitCode()).as(failing.toString()).isEqualTo(1);
        assertThat(failing.err()).contains("tenant flaky failed");
        assertThat(watermark("flaky")).isEqualTo(e1);
        assertThat(watermark("steady")).isEqualTo(e2);
        assertThat(hours("steady", "a")).contains(e2.minusSeconds(3600));
        assertThat(hours("flaky", "a")).doesNotContain(e1);
        assertLedger(failing, "flaky", e1, e2, "failed", 0);
        assertThat(ledger(failing, "flaky").get("error").asString()).contains("injected fault");
        assertLedger(failing, "steady", e1, e2, "succeeded", 10);

        Instant e3 = e2.plus(Duration.ofHours(1));
        Worker.Result healthy = hourly(e3.plus(SETTLE), "flaky", "steady");
        assertThat(healthy.exitCode()).as(healthy.toString()).isZero();
        List<Instant> flakyHours = hours("flaky", "a");
        assertThat(flakyHours).hasSize(3 + 6).last().isEqualTo(e3.minusSeconds(3600));
        assertThat(watermark("flaky")).isEqualTo(e3);
        assertLedger(healthy, "flaky", e1, e3, "succeeded", 12);
    }

    // ---- discovery

    @Test
    void withoutExplicitTenantsTheRunDiscoversThem() {
        Instant end = T0.plus(Duration.ofDays(4));
        Worker.Result run = Worker.run(servers, "--now=" + end.plus(SETTLE), "--worker.tenant-pattern=disc-.*");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("2 tenants succeeded, 0 failed, " + (TENANTS.size() - 2) + " skipped");
        assertThat(hours("disc-1", "a")).hasSize(3);
        assertThat(hours("disc-2", "a")).hasSize(3);
    }

    // ---- helpers

    /** @param tenantsAndOptions tenant ids, and options starting with "--" */
    private static Worker.Result hourly(Instant now, String... tenantsAndOptions) {
        List<String> args = new ArrayList<>(List.of("hourly", "--now=" + now));
        Arrays.stream(tenantsAndOptions).forEach(t -> args.add(t.startsWith("--") ? t : "--tenant=" + t));
        return Worker.run(servers, args.toArray(String[]::new));
    }

    private static List<Instant> hours(String tenant, String namespace) {
        return db.query("SELECT toUnixTimestamp(hour) AS h FROM k8s_expenses_current WHERE cloud_account_id = '" + tenant
                        + "' AND namespace = '" + namespace + "' ORDER BY hour")
                .stream().map(r -> Instant.ofEpochSecond(r.get("h").asLong())).toList();
    }

    private static JsonNode row(String tenant, String namespace, Instant hour) {
        return db.query("SELECT cost, coverage FROM k8s_expenses_current WHERE cloud_account_id = '" + tenant + "' AND namespace = '"
                + namespace + "' AND hour = toDateTime(" + hour.getEpochSecond() + ")").get(0);
    }

    private static List<String> view(String tenant) {
        return db.query("SELECT * FROM k8s_expenses_current WHERE cloud_account_id = '" + tenant + "' ORDER BY namespace, hour")
                .stream().map(Object::toString).toList();
    }

    private static long count(String sql) {
        return db.query(sql).get(0).get("n").asLong();
    }

    private static Instant watermark(String tenant) {
        List<JsonNode> rows = db.query("SELECT toUnixTimestamp(watermark) AS w FROM k8s_expenses_watermarks FINAL WHERE cloud_account_id = '"
                + tenant + "'");
        return rows.isEmpty() ? null : Instant.ofEpochSecond(rows.get(0).get("w").asLong());
    }

    private static JsonNode ledger(Worker.Result run, String tenant) {
        String runId = run.runId();
        List<JsonNode> rows = db.query("SELECT *, toUnixTimestamp(window_start) AS ws, toUnixTimestamp(window_end) AS we"
                + " FROM k8s_expenses_runs WHERE run_id = '" + runId + "' AND cloud_account_id = '" + tenant + "'");
        assertThat(rows).as("one ledger row for " + tenant + " in run " + runId).hasSize(1);
        return rows.get(0);
    }

    private static void assertLedger(Worker.Result run, String tenant, Instant start, Instant end, String status, long rows) {
        JsonNode r = ledger(run, tenant);
        assertThat(r.get("mode").asString()).isEqualTo("hourly");
        assertThat(Instant.ofEpochSecond(r.get("ws").asLong())).isEqualTo(start);
        assertThat(Instant.ofEpochSecond(r.get("we").asLong())).isEqualTo(end);
        assertThat(r.get("status").asString()).isEqualTo(status);
        assertThat(r.get("rows_written").asLong()).isEqualTo(rows);
    }
}
