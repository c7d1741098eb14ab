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
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * Whatever happens before, one clean run makes the view what one clean backfill makes it: random
 * sequences (seeded, the seed named on failure) of hourly runs and backfills, in both read modes,
 * with injected faults (Thanos 503 for one tenant, a malformed answer, ClickHouse failing an insert
 * mid-write), over random generated data. After every step no watermark is ahead of the hours
 * actually written: every hour before it holds the rows the clean backfill gives it.
 */
@ExtendWith(RealServers.class)
class IdempotencyPropertyIT {

    private static final Instant D0 = Instant.parse("2025-10-13T00:00:00Z");
    private static final int HOURS = 14;
    private static final List<String> TENANTS = List.of("alpha", "beta", "gamma");
    private static final String FULL_RANGE_FROM = "--from=2025-10-13T00:00:00Z";
    private static final String FULL_RANGE_TO = "--to=2025-10-13T14:00:00Z";
    private static final int SEQUENCES = 3;
    private static final int STEPS = 7;

    private static PrometheusServer prometheus;

    @BeforeAll
    static void load(PrometheusServer prom) {
        prom.load(data(new Random(42)).dataset());
        prometheus = prom;
    }

    /** Per tenant a cluster of random namespaces with random rates, a restart, NaN samples and a gap. */
    private static Exporter data(Random random) {
        Exporter e = new Exporter();
        long d0 = D0.toEpochMilli();
        long end = d0 + HOURS * HOUR;
        for (String tenant : TENANTS) {
            long offset = 1_000L * random.nextInt(60);
            int restartHour = 1 + random.nextInt(HOURS - 2);
            int gapHour = 1 + random.nextInt(HOURS - 2);
            e.gauge(ExporterMetric.EXPORTER_SCRAPE_SUCCESS, Map.of("tenant_id", tenant, "cluster", "c"), d0 + offset, end, MINUTE,
                    t -> hour(t) != gapHour, t -> hour(t) == restartHour && minute(t) < 12 ? 0 : 1);
            double clusterRate = 5 + random.nextDouble();
            e.gauge(ExporterMetric.CLUSTER_TOTAL_COST, Exporter.labels(tenant, "c", null), d0 + offset, end, MINUTE,
                    t -> hour(t) != gapHour, t -> clusterRate + hour(t) / 10.0);
            int namespaces = 1 + random.nextInt(3);
            for (int n = 0; n < namespaces; n++) {
                double rate = random.nextDouble();
                int nanHour = random.nextInt(HOURS);
                int firstHour = n == namespaces - 1 ? random.nextInt(HOURS / 2) : 0;
                e.gauge(ExporterMetric.NAMESPACE_TOTAL_COST, Exporter.labels(tenant, "c", "ns" + n), d0 + offset + firstHour * HOUR,
                        end, MINUTE, t -> hour(t) != gapHour, t -> hour(t) == nanHour && minute(t) == 30 ? Double.NaN : rate * (1 + hour(t) % 3));
            }
        }
        return e;
    }

    @Test
    void anyHistoryOfRunsAndFailuresEndsAsOneCleanBackfillAfterOneCleanRun(TestDatabase db) {
        db.recreate();
        List<String> direct = Worker.serverArgs(db, prometheus.url());
        Worker.Result clean = Worker.run(direct, "backfill", FULL_RANGE_FROM, FULL_RANGE_TO);
        assertThat(clean.exitCode()).as(clean.toString()).isZero();
        Map<String, JsonNode> reference = view(db);
        assertThat(reference).isNotEmpty();

        for (int seed = 1; seed <= SEQUENCES; seed++) {
            Random random = new Random(seed);
            db.recreate();
            List<String> history = new ArrayList<>();
            int clockHour = 3 + random.nextInt(3);
            for (int step = 0; step < STEPS; step++) {
                clockHour = Math.min(HOURS, clockHour + random.nextInt(3));
                history.add(randomRun(db, random, clockHour));
                assertNoWatermarkAheadOfTheRowsWritten(db, reference, "seed " + seed + " after " + history);
            }
            Worker.Result last = Worker.run(direct, "backfill", FULL_RANGE_FROM, FULL_RANGE_TO);
            assertThat(last.exitCode()).as("seed " + seed + " " + history + "\n" + last).isZero();
            assertSameView(view(db), reference, "seed " + seed + " after " + history + " and one clean backfill");
        }
    }

    /** One run with a random mode, read mode and fault; returns what it was, for the failure message. */
    private static String randomRun(TestDatabase db, Random random, int clockHour) {
        String readMode = random.nextBoolean() ? "aggregated" : "raw";
        int fault = random.nextInt(4);
        List<String> args = new ArrayList<>();
        String what;
        if (random.nextInt(3) == 0) {
            int from = random.nextInt(clockHour);
            int to = from + 1 + random.nextInt(clockHour - from);
            args.addAll(List.of("backfill", "--from=" + D0.plusSeconds(from * 3600L), "--to=" + D0.plusSeconds(to * 3600L)));
            what = "backfill " + from + ".." + to;
        } else {
            args.addAll(List.of("hourly", "--now=" + D0.plusSeconds(clockHour * 3600L + 600)));
            what = "hourly@" + clockHour;
        }
        args.add("--worker.read-mode=" + readMode);
        args.add("--worker.chunk-hours=" + (random.nextBoolean() ? 24 : 1 + random.nextInt(4)));
        args.add("--thanos.retries=0");
        String victim = TENANTS.get(random.nextInt(TENANTS.size()));
        try (FaultProxy thanos = new FaultProxy(prometheus.url());
             FaultProxy clickhouse = new FaultProxy(db.workerArgs().get(0).substring("--clickhouse.url=".length()))) {
            switch (fault) {
                case 1 -> thanos.failRequestsContaining(victim);
                case 2 -> thanos.answerRequestsContaining("namespace_total_cost{",
                        "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1,\"1\"]}}");
                case 3 -> clickhouse.failRequestsContaining("INSERT INTO k8s_cluster_expenses");
                default -> { }
            }
            List<String> servers = Worker.withOption(Worker.withOption(Worker.serverArgs(db, prometheus.url()),
                    "thanos.url", thanos.url()), "clickhouse.url", clickhouse.url());
            Worker.Result r = Worker.run(servers, args.toArray(String[]::new));
            String[] faults = {"no fault", "503 for " + victim, "scalar answers", "ClickHouse refusing cluster inserts"};
            return what + " " + readMode + " " + faults[fault] + " -> exit " + r.exitCode();
        }
    }

    /** For each tenant, every hour before its watermark holds the reference's rows. */
    private static void assertNoWatermarkAheadOfTheRowsWritten(TestDatabase db, Map<String, JsonNode> reference, String what) {
        Map<String, JsonNode> view = view(db);
        for (JsonNode w : db.query("SELECT cloud_account_id, toUnixTimestamp(watermark) AS w FROM k8s_expenses_watermarks FINAL")) {
            String tenant = w.get("cloud_account_id").asString();
            long watermark = w.get("w").asLong();
            long firstHour = db.query("SELECT toUnixTimestamp(min(window_start)) AS s FROM k8s_expenses_runs WHERE mode = 'hourly'"
                    + " AND cloud_account_id = '" + tenant + "'").get(0).get("s").asLong();
            reference.forEach((key, row) -> {
                long hour = row.get("h").asLong();
                if (key.startsWith(tenant + "|") && hour >= firstHour && hour < watermark) {
                    assertThat(view).as(what + ": " + key + " is before " + tenant + "'s watermark").containsKey(key);
                }
            });
        }
    }

    private static void assertSameView(Map<String, JsonNode> got, Map<String, JsonNode> want, String what) {
        assertThat(got.keySet()).as(what).containsExactlyElementsOf(want.keySet());
        want.forEach((key, row) -> {
            for (String column : List.of("cost", "cpu_cost", "network_cost", "coverage")) {
                assertThat(got.get(key).get(column).asDouble()).as(what + " " + key + " " + column)
                        .isCloseTo(row.get(column).asDouble(), org.assertj.core.api.Assertions.within(column.equals("coverage") ? 0.01 : 1e-9));
            }
        });
    }

    private static Map<String, JsonNode> view(TestDatabase db) {
        Map<String, JsonNode> rows = new TreeMap<>();
        for (JsonNode r : db.query("SELECT *, toUnixTimestamp(hour) AS h FROM k8s_expenses_current")) {
            rows.put(r.get("cloud_account_id").asString() + "|" + r.get("namespace").asString() + "|" + r.get("h").asLong(), r);
        }
        return rows;
    }

    private static int hour(long t) {
        return (int) Math.floorDiv(t - D0.toEpochMilli(), HOUR);
    }

    private static int minute(long t) {
        return (int) (Math.floorMod(t - D0.toEpochMilli(), HOUR) / MINUTE);
    }
}
