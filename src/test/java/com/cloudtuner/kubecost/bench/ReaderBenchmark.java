package com.cloudtuner.kubecost.bench;

import com.cloudtuner.kubecost.clickhouse.ClickHouseDailyExpenses;
import com.cloudtuner.kubecost.clickhouse.ClickHouseGateway;
import com.cloudtuner.kubecost.clickhouse.MigrationSource;
import com.cloudtuner.kubecost.clickhouse.Migrator;
import com.cloudtuner.kubecost.config.ClickHouseProperties;
import com.cloudtuner.kubecost.queries.ReaderQueryFile;
import com.cloudtuner.kubecost.testing.ClickHouseServer;
import com.cloudtuner.kubecost.testing.ReaderDriver;
import com.cloudtuner.kubecost.testing.ReaderDriver.Call;
import com.cloudtuner.kubecost.testing.ReaderDriver.Result;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What the REST API's reads cost (bench/reader.sh): on a private ClickHouse 18.16 holding 23.76 M
 * hourly rows (1,000 accounts x 11 namespaces x 90 days x 24 hours), each db/queries file for 2
 * accounts over 30 days, and the REST API's own clean_expenses query over k8s_expenses_daily, each
 * through python3-clickhouse-driver (median of 20 calls after a warm-up), beside, in the same
 * invocation, the old query through the view k8s_expenses_current (the baseline) and a plain read of
 * the same accounts' rows without FINAL (the floor). Also the time to build the daily relation.
 */
public final class ReaderBenchmark {

    private static final int ACCOUNTS = 1000;
    private static final int NAMESPACES = 11;
    private static final int DAYS = 90;
    private static final long FIRST_HOUR = 1752537600L; // 2025-07-15T00:00Z
    private static final List<String> ASKED = List.of("acct-17", "acct-512");
    private static final long START = FIRST_HOUR + 60L * 86_400; // the last 30 days
    private static final long END = FIRST_HOUR + 90L * 86_400 - 1;

    public static void main(String[] args) throws Exception {
        try (ClickHouseServer server = ClickHouseServer.startLocal()) {
            ClickHouseProperties props = new ClickHouseProperties(URI.create(server.url()), server.user(), server.password(),
                    "reader_bench", Duration.ofMinutes(10), Duration.ofMinutes(1), 100_000, 2, Duration.ofSeconds(1));
            try (ClickHouseGateway ch = new ClickHouseGateway(props)) {
                ch.ensureDatabase();
                new Migrator(ch, MigrationSource.classpath(), Duration.ofMinutes(1), Clock.systemUTC()).migrate();
                long t0 = System.nanoTime();
                ch.execute("INSERT INTO k8s_expenses (cloud_account_id, cluster, namespace, resource_id, hour, currency, cost, cpu_cost,"
                        + " ram_cost, pv_cost, network_cost, lb_cost, coverage, deleted, version, computed_at) SELECT"
                        + " concat('acct-', toString(intDiv(number, " + NAMESPACES * DAYS * 24 + "))), 'prod',"
                        + " concat('ns-', toString(number % " + NAMESPACES + ")), concat('r-', toString(intDiv(number, " + NAMESPACES * DAYS * 24
                        + ")), '-', toString(number % " + NAMESPACES + ")), toDateTime(" + FIRST_HOUR + " + 3600 * (intDiv(number, " + NAMESPACES + ") % " + DAYS * 24
                        + ")), 'USD', 0.5, 0.2, 0.2, 0.05, 0.03, 0.02, 1, 0, 1, now() FROM system.numbers LIMIT "
                        + (long) ACCOUNTS * NAMESPACES * DAYS * 24);
                System.out.printf(Locale.ROOT, "loaded %,d hourly rows in %.1f s%n", (long) ACCOUNTS * NAMESPACES * DAYS * 24,
                        (System.nanoTime() - t0) / 1e9);
                t0 = System.nanoTime();
                int built = new ClickHouseDailyExpenses(ch).rebuild(List.of(), "bench").size();
                System.out.printf(Locale.ROOT, "built k8s_expenses_daily: %d days in %.1f s (%.2f s a day, every account)%n", built,
                        (System.nanoTime() - t0) / 1e9, (System.nanoTime() - t0) / 1e9 / built);
            }
            ReaderDriver driver = new ReaderDriver(server, "reader_bench");
            String quoted = "('" + String.join("', '", ASKED) + "')";
            List<String[]> rows = new ArrayList<>();
            rows.add(measure(driver, "floor: the accounts' rows, no FINAL", new Call("SELECT cloud_account_id, sum(cost) FROM k8s_expenses"
                    + " WHERE cloud_account_id IN " + quoted + " AND hour >= toDateTime(" + START + ") AND hour <= toDateTime(" + END
                    + ") GROUP BY cloud_account_id"), 20));
            rows.add(measure(driver, "baseline: the old query through the view", new Call("SELECT cloud_account_id, resource_id,"
                    + " sum(cost) AS total_cost FROM k8s_expenses_current WHERE cloud_account_id IN " + quoted + " AND hour >= toDateTime("
                    + START + ") AND hour <= toDateTime(" + END + ") GROUP BY cloud_account_id, resource_id WITH TOTALS"
                    + " ORDER BY total_cost DESC"), 3));
            for (String file : List.of("clean_expenses.sql", "k8s_costs.sql", "k8s_costs_by_cluster.sql", "daily_costs.sql",
                    "namespace_resources.sql")) {
                Call call = new Call(ReaderQueryFile.named(file).statement()).tuple("cloud_account_ids", ASKED).param("start_date", START).param("end_date", END);
                if (file.equals("clean_expenses.sql")) {
                    call.param("currency", "USD");
                }
                rows.add(measure(driver, file, call, 20));
            }
            List<String> resources = new ArrayList<>();
            for (String account : ASKED) {
                for (int ns = 0; ns < NAMESPACES; ns++) {
                    resources.add("r-" + account.substring(5) + "-" + ns);
                }
            }
            rows.add(measure(driver, "clean_expenses_daily.sql (the REST API's query)", new Call(ReaderQueryFile.named("clean_expenses_daily.sql").statement())
                    .externalTable("cloud_account_ids", ASKED).externalTable("resource_ids", resources)
                    .param("start_date", START).param("end_date", END), 20));
            System.out.println();
            System.out.println("| query, 2 accounts x 30 days, via clickhouse-driver | median s | min s | rows |");
            System.out.println("|---|---|---|---|");
            rows.forEach(r -> System.out.println("| " + String.join(" | ", r) + " |"));
        }
    }

    private static String[] measure(ReaderDriver driver, String name, Call call, int calls) {
        driver.run(call); // warm-up
        Result result = driver.run(call.repeat(calls));
        if (result.failed()) {
            throw new IllegalStateException(name + ": " + result.error());
        }
        List<Double> s = new ArrayList<>(result.seconds());
        s.sort(Double::compare);
        return new String[] {name, String.format(Locale.ROOT, "%.4f", s.get(s.size() / 2)), String.format(Locale.ROOT, "%.4f", s.get(0)),
                Integer.toString(result.rows().size())};
    }
}
