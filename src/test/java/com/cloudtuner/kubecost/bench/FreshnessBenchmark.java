package com.cloudtuner.kubecost.bench;

import com.cloudtuner.kubecost.clickhouse.ClickHouseGateway;
import com.cloudtuner.kubecost.config.ClickHouseProperties;
import com.cloudtuner.kubecost.testing.ClickHouseServer;
import com.cloudtuner.kubecost.testing.ScrapingPrometheus;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;

/**
 * The freshness benchmark (bench/freshness.sh): live components end to end. A tiny exporter serves
 * {@code cloudtuner_kubecost_*} series at constant rates, a real Prometheus scrapes it every 15 s,
 * and the worker runs {@code hourly --current-hour} on a fixed schedule (every 20 s here, to measure
 * in minutes what a 5-minute CronJob does in hours). It measures, from the instant a new namespace
 * (and, separately, a new tenant) appears on the exporter, the time until its row is in
 * {@code k8s_expenses_current}, and checks the row's accrued cost against the known rate. With runs
 * every {@code R}, the worst case is R + one scrape + one run; the 5-minute figure follows from the
 * measured run time.
 */
public final class FreshnessBenchmark {

    private static final Duration SCRAPE = Duration.ofSeconds(15);
    private static final Duration TIMEOUT = Duration.ofMinutes(5);
    private static final double WEB = 1.2;
    private static final double FRESH = 0.9;
    private static final double NEW_TENANT = 2.4;

    private final Map<String, String> series = new ConcurrentHashMap<>();
    private final List<Instant> runStarts = new CopyOnWriteArrayList<>();
    private final List<Long> runMillis = new CopyOnWriteArrayList<>();

    public static void main(String[] args) throws Exception {
        Duration every = Duration.ofSeconds(args.length > 0 ? Long.parseLong(args[0]) : 20);
        new FreshnessBenchmark().run(every);
    }

    private void run(Duration every) throws Exception {
        Path work = Files.createTempDirectory("kw-freshness-");
        Path jar = Files.copy(Path.of("target/kubecost-worker.jar"), work.resolve("kubecost-worker.jar"));
        cluster("t1", "prod", Map.of("web", WEB), 3.0);
        HttpServer exporter = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        exporter.createContext("/metrics", exchange -> {
            byte[] body = String.join("", series.values()).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        exporter.start();
        ScheduledExecutorService cron = Executors.newSingleThreadScheduledExecutor();
        try (ClickHouseServer clickhouse = ClickHouseServer.startLocal();
             ScrapingPrometheus prometheus = new ScrapingPrometheus("127.0.0.1:" + exporter.getAddress().getPort(), SCRAPE);
             ClickHouseGateway ch = gateway(clickhouse)) {
            List<String> worker = List.of("java", "-jar", jar.toString(), "hourly", "--current-hour",
                    "--thanos.url=" + prometheus.url(), "--clickhouse.url=" + clickhouse.url(), "--clickhouse.database=freshness",
                    "--worker.tenants=");
            exec(concat(List.of("java", "-jar", jar.toString(), "migrate"), worker.subList(5, worker.size())));
            // the CronJob: a run every `every`, the next one skipped while one is running (concurrencyPolicy: Forbid)
            cron.scheduleAtFixedRate(() -> timedRun(worker), 0, every.toMillis(), TimeUnit.MILLISECONDS);
            awaitRow(ch, "t1", "web", Instant.now()); // t1 is there before anything appears

            Instant namespaceAppeared = Instant.now();
            cluster("t1", "prod", Map.of("web", WEB, "fresh", FRESH), 3.0);
            Instant namespaceVisible = awaitRow(ch, "t1", "fresh", namespaceAppeared);
            Instant tenantAppeared = Instant.now();
            cluster("t2", "edge", Map.of("web", NEW_TENANT), 5.0);
            Instant tenantVisible = awaitRow(ch, "t2", "web", tenantAppeared);

            List<String> checks = new ArrayList<>();
            checks.add(accrued(ch, "t1", "fresh", FRESH));
            checks.add(accrued(ch, "t2", "web", NEW_TENANT));
            cron.shutdownNow();
            print(every, Duration.between(namespaceAppeared, namespaceVisible), Duration.between(tenantAppeared, tenantVisible), checks);
        } finally {
            cron.shutdownNow();
            exporter.stop(0);
        }
    }

    /** One cluster's series as the exporter serves them: its namespaces' rates, its total, its health. */
    private void cluster(String tenant, String cluster, Map<String, Double> namespaces, double total) {
        StringBuilder text = new StringBuilder();
        String labels = "tenant_id=\"" + tenant + "\",cluster=\"" + cluster + "\"";
        namespaces.forEach((namespace, rate) -> text.append("cloudtuner_kubecost_namespace_total_cost{").append(labels)
                .append(",namespace=\"").append(namespace).append("\",currency=\"USD\"} ").append(rate).append('\n'));
        text.append("cloudtuner_kubecost_cluster_total_cost{").append(labels).append(",currency=\"USD\"} ").append(total).append('\n');
        text.append("cloudtuner_kubecost_exporter_scrape_success{").append(labels).append("} 1\n");
        series.put(tenant + "/" + cluster, text.toString());
    }

    private void timedRun(List<String> command) {
        Instant start = Instant.now();
        runStarts.add(start);
        try {
            exec(command);
        } catch (Exception e) {
            System.out.println("run failed: " + e.getMessage());
        }
        runMillis.add(Duration.between(start, Instant.now()).toMillis());
    }

    private static void exec(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("exit " + p.exitValue() + ": " + String.join(" ", command.subList(0, 5)));
        }
    }

    /** Polls the view once a second until the row is there; the instant it was first seen. */
    private static Instant awaitRow(ClickHouseGateway ch, String tenant, String namespace, Instant since) throws InterruptedException {
        Instant deadline = since.plus(TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!row(ch, tenant, namespace).isEmpty()) {
                return Instant.now();
            }
            Thread.sleep(1000); // a poll, not a synchronisation: the instant is known to within it
        }
        throw new IllegalStateException("no row of " + tenant + "/" + namespace + " within " + TIMEOUT);
    }

    private static List<JsonNode> row(ClickHouseGateway ch, String tenant, String namespace) {
        return ch.select("SELECT cost, provisional, toUnixTimestamp(hour) AS h, toUnixTimestamp(computed_at) AS c"
                + " FROM k8s_expenses_current WHERE cloud_account_id = '" + tenant + "' AND namespace = '" + namespace
                + "' ORDER BY hour DESC LIMIT 1");
    }

    /**
     * The newest provisional row against the rate: rule 8 accrues the mean rate over the hour up to
     * the run's instant, which lies between the run's start and the row's computed_at; allowed two
     * scrape intervals' worth either way.
     */
    private String accrued(ClickHouseGateway ch, String tenant, String namespace, double rate) {
        JsonNode r = row(ch, tenant, namespace).get(0);
        double cost = r.get("cost").asDouble();
        long hour = r.get("h").asLong();
        Instant computedAt = Instant.ofEpochSecond(r.get("c").asLong() + 1); // computed_at is truncated to seconds
        Instant runStart = runStarts.stream().filter(s -> !s.isAfter(computedAt)).reduce((a, b) -> b).orElseThrow();
        double tolerance = rate * 2 * SCRAPE.toSeconds() / 3600.0;
        double low = rate * (runStart.getEpochSecond() - hour) / 3600.0 - tolerance;
        double high = rate * (computedAt.getEpochSecond() - hour) / 3600.0 + tolerance;
        boolean ok = r.get("provisional").asInt() == 1 && cost >= low && cost <= high;
        return (ok ? "MET     " : "NOT MET ") + String.format(Locale.ROOT,
                "%s/%s: provisional cost %.5f within [%.5f, %.5f] (%.2f $/h up to the run's instant, +- two scrapes)",
                tenant, namespace, cost, low, high, rate);
    }

    private void print(Duration every, Duration namespace, Duration tenant, List<String> checks) {
        long maxRun = runMillis.stream().mapToLong(Long::longValue).max().orElse(0);
        double meanRun = runMillis.stream().mapToLong(Long::longValue).average().orElse(0) / 1000.0;
        Duration bound = every.plus(SCRAPE).plusMillis(maxRun);
        Duration fiveMinuteWorst = Duration.ofMinutes(5).plus(SCRAPE).plusMillis(maxRun);
        System.out.printf(Locale.ROOT, "%nruns every %d s: %d runs, %.1f s on average, %.1f s at most (JVM start included)%n",
                every.toSeconds(), runMillis.size(), meanRun, maxRun / 1000.0);
        System.out.printf(Locale.ROOT, "new namespace: visible %.1f s after it appeared on the exporter%n", namespace.toMillis() / 1000.0);
        System.out.printf(Locale.ROOT, "new tenant:    visible %.1f s after it appeared on the exporter%n", tenant.toMillis() / 1000.0);
        System.out.println(verdict("new namespace within one run interval + one scrape + one run (" + bound.toSeconds() + " s)",
                namespace.compareTo(bound) <= 0));
        System.out.println(verdict("new tenant within one run interval + one scrape + one run (" + bound.toSeconds() + " s)",
                tenant.compareTo(bound) <= 0));
        checks.forEach(System.out::println);
        System.out.printf(Locale.ROOT, "with a 5-minute CronJob the worst case is 5 min + %d s scrape + %.1f s run = %.1f s%n",
                SCRAPE.toSeconds(), maxRun / 1000.0, fiveMinuteWorst.toMillis() / 1000.0);
    }

    private static String verdict(String what, boolean met) {
        return (met ? "MET     " : "NOT MET ") + what;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static ClickHouseGateway gateway(ClickHouseServer clickhouse) {
        return new ClickHouseGateway(new ClickHouseProperties(URI.create(clickhouse.url()), clickhouse.user(), clickhouse.password(),
                "freshness", Duration.ofSeconds(30), Duration.ofSeconds(30), 100_000, 2, Duration.ofSeconds(1)));
    }
}
