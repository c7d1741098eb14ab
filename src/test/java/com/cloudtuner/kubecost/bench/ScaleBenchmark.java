package com.cloudtuner.kubecost.bench;

import com.cloudtuner.kubecost.clickhouse.ClickHouseGateway;
import com.cloudtuner.kubecost.clickhouse.MigrationSource;
import com.cloudtuner.kubecost.clickhouse.Migrator;
import com.cloudtuner.kubecost.config.ClickHouseProperties;
import com.cloudtuner.kubecost.cost.ExporterMetric;
import com.cloudtuner.kubecost.testing.ClickHouseCluster;
import com.cloudtuner.kubecost.testing.ClickHouseServer;
import com.cloudtuner.kubecost.testing.FaultProxy;
import com.cloudtuner.kubecost.testing.PrometheusServer;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The scale benchmark (bench/run.sh): the worker's jar in its own JVM with {@code -Xmx256m}
 * against a real Prometheus and ClickHouse started like the tests start them, on data from the
 * project's generator, next to the floor measured in the same invocation: one query_range per
 * metric and function for all tenants, and one ClickHouse insert of as many rows.
 *
 * <ul>
 *   <li>(a) 1,000 tenants × 1 cluster × 10 namespaces, 60 s scrape, 4 hours; the hourly run as of the end
 *       (and the same with {@code worker.read-mode=raw});</li>
 *   <li>(b) 100 tenants × 10 namespaces, 30 days at a 15-minute scrape; a 30-day backfill;</li>
 *   <li>(c) (a) again through a proxy that adds 100 ms to every Thanos request;</li>
 *   <li>(d) (a)'s data as of 03:40 with {@code --current-hour}: the 5-minute CronJob's run.</li>
 * </ul>
 * Generated TSDB blocks are cached between runs in {@code $KUBECOST_BENCH_CACHE} (default
 * ~/.cache/kubecost-worker-bench), in a directory named after the generator's parameters.
 */
public final class ScaleBenchmark {

    private static final Pattern SUMMARY = Pattern.compile("ended in (\\d+) ms: (\\d+) tenants, (\\d+) failed, exit (\\d+);"
            + " thanos requests=(\\d+) retries=\\d+, clickhouse statements=(\\d+)");
    /** A GC log line's heap occupancy before and after, e.g. "24M->3M(256M)"; the largest "before" is the peak seen. */
    private static final Pattern GC_HEAP = Pattern.compile("(\\d+)M->(\\d+)M\\(\\d+M\\)");
    private static final Instant D0 = Instant.parse("2025-10-13T00:00:00Z");
    private static final String HEAP = "-Xmx256m";

    /** What the generator is asked for; its text names the cache directory. */
    record Data(int tenants, int clusters, int namespaces, int scrapeSeconds, int hours) {
        String key() {
            return String.format("t%d-c%d-n%d-s%d-h%d-from%s-seed1", tenants, clusters, namespaces, scrapeSeconds, hours,
                    D0.toString().substring(0, 10));
        }

        Instant end() {
            return D0.plusSeconds(hours * 3600L);
        }
    }

    /** One line of the results table. */
    record Row(String name, long wallMs, long processMs, long thanosRequests, long clickhouseStatements, long rows,
               Long peakHeapMb, Double floorRatio) {
    }

    private final Path jar;
    private final Path cache;
    private final Path work;
    private final List<Row> rows = new ArrayList<>();
    private final List<String> commands = new ArrayList<>();

    private ScaleBenchmark(Path jar, Path cache, Path work) {
        this.jar = jar;
        this.cache = cache;
        this.work = work;
    }

    public static void main(String[] args) throws Exception {
        List<String> which = args.length == 0 ? List.of("a", "b", "c", "d", "e") : List.of(args);
        Path cache = Path.of(System.getenv().getOrDefault("KUBECOST_BENCH_CACHE",
                System.getProperty("user.home") + "/.cache/kubecost-worker-bench"));
        Path work = Files.createTempDirectory("kw-bench-");
        // a copy: a build in the same checkout while the benchmark runs must not swap the jar under it
        Path jar = Files.copy(Path.of("target/kubecost-worker.jar"), work.resolve("kubecost-worker.jar"));
        ScaleBenchmark bench = new ScaleBenchmark(jar, cache, work);
        try (ClickHouseServer clickhouse = ClickHouseServer.startLocal()) {
            if (which.contains("a") || which.contains("c") || which.contains("d") || which.contains("e")) {
                bench.hourlyScenario(clickhouse, which);
            }
            if (which.contains("b")) {
                bench.backfillScenario(clickhouse);
            }
        }
        bench.print();
    }

    // ---- scenarios

    private void hourlyScenario(ClickHouseServer clickhouse, List<String> which) throws Exception {
        Data data = new Data(1000, 1, 10, 60, 4);
        Instant now = data.end().plus(Duration.ofMinutes(10)); // the hourly run as of the end: 3 hours reprocessed
        Instant from = data.end().minus(Duration.ofHours(3));
        try (PrometheusServer prometheus = PrometheusServer.onBlocks(blocks(data))) {
            if (which.contains("a")) {
                Row floor = floor("(a) floor", prometheus.url(), clickhouse, "bench_a_floor", from, data.end(), 33_000);
                Row run = worker("(a) aggregated", prometheus.url(), clickhouse, "bench_a", floor, "hourly", "--now=" + now);
                worker("(a) raw", prometheus.url(), clickhouse, "bench_a_raw", floor, "hourly", "--now=" + now,
                        "--worker.read-mode=raw");
                check(run.rows() == 1000L * 11 * 3, "(a) wrote " + run.rows() + " rows, expected 33,000");
            }
            if (which.contains("d")) {
                // the 5-minute CronJob (--current-hour) as of 03:40: complete hours 00:00-03:00 and the hour in
                // progress, 03:00, read raw up to 03:40
                Instant mid = data.end().minus(Duration.ofMinutes(20));
                Row run = worker("(d) with the current hour", prometheus.url(), clickhouse, "bench_d", null, "hourly",
                        "--current-hour", "--now=" + mid);
                check(run.rows() == 1000L * 11 * 4, "(d) wrote " + run.rows() + " rows, expected 44,000");
            }
            if (which.contains("e")) {
                clusterScenario(prometheus.url(), clickhouse, now);
            }
            if (which.contains("c")) {
                try (FaultProxy far = new FaultProxy(prometheus.url())) {
                    far.delayEachRequest(Duration.ofMillis(100));
                    Row floor = floor("(c) floor", far.url(), clickhouse, "bench_c_floor", from, data.end(), 33_000);
                    worker("(c) aggregated, +100 ms", far.url(), clickhouse, "bench_c", floor, "hourly", "--now=" + now);
                }
            }
        }
    }

    /**
     * (e): the hourly run of (a) against one node and against a cluster of 2 shards x 1 replica
     * (ZooKeeper and two clickhouse-server nodes on this machine), one after the other.
     */
    private void clusterScenario(String thanosUrl, ClickHouseServer single, Instant now) throws Exception {
        Row alone = worker("(e) one node", thanosUrl, single, "bench_e_single", null, "hourly", "--now=" + now);
        try (ClickHouseCluster cluster = ClickHouseCluster.start(2, 1)) {
            ClickHouseCluster.Node first = cluster.nodes().get(0);
            Row spread = worker("(e) 2 shards", thanosUrl, ClickHouseServer.running(first.url(), first.nativePort()),
                    List.of("--clickhouse.cluster=" + ClickHouseCluster.NAME), "bench_e_cluster", alone, "hourly", "--now=" + now);
            check(spread.rows() == alone.rows(), "(e) the cluster holds " + spread.rows() + " rows, one node " + alone.rows());
        }
    }

    private void backfillScenario(ClickHouseServer clickhouse) throws Exception {
        Data data = new Data(100, 1, 10, 900, 30 * 24);
        try (PrometheusServer prometheus = PrometheusServer.onBlocks(blocks(data))) {
            long rows = 100L * 11 * 30 * 24;
            Row floor = floor("(b) floor", prometheus.url(), clickhouse, "bench_b_floor", D0, data.end(), rows);
            Row run = worker("(b) aggregated", prometheus.url(), clickhouse, "bench_b", floor, "backfill", "--from=" + D0,
                    "--to=" + data.end());
            check(run.rows() == rows, "(b) wrote " + run.rows() + " rows, expected " + rows);
        }
    }

    // ---- the worker

    private Row worker(String name, String thanosUrl, ClickHouseServer clickhouse, String database, Row floor,
                       String... args) throws Exception {
        return worker(name, thanosUrl, clickhouse, List.of(), database, floor, args);
    }

    /** The worker with more ClickHouse settings ({@code --clickhouse.cluster=...}, say). */
    private Row worker(String name, String thanosUrl, ClickHouseServer clickhouse, List<String> clickhouseSettings, String database,
                       Row floor, String... args) throws Exception {
        Path gcLog = work.resolve(database + "-gc.log");
        List<String> command = new ArrayList<>(List.of("java", HEAP, "-Xlog:gc:file=" + gcLog, "-jar", jar.toString()));
        command.addAll(List.of(args));
        command.addAll(List.of("--thanos.url=" + thanosUrl, "--clickhouse.url=" + clickhouse.url(),
                "--clickhouse.database=" + database, "--worker.tenants="));
        command.addAll(clickhouseSettings);
        migrate(clickhouse, clickhouseSettings, database); // a deployment migrates once; its statements are not the run's
        commands.add(String.join(" ", command).replace(jar.toString(), "target/kubecost-worker.jar"));
        Path log = work.resolve(database + ".log");
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        int exit = p.waitFor();
        long processMs = (System.nanoTime() - t0) / 1_000_000;
        String output = Files.readString(log);
        Matcher m = SUMMARY.matcher(output);
        if (exit != 0 || !m.find()) {
            throw new IllegalStateException(name + " exited " + exit + "; its output:\n" + tail(output));
        }
        long wallMs = Long.parseLong(m.group(1));
        long stored;
        try (ClickHouseGateway ch = gateway(clickhouse, database)) {
            stored = ch.select("SELECT count() AS n FROM k8s_expenses_current").get(0).get("n").asLong();
        }
        Row row = new Row(name, wallMs, processMs, Long.parseLong(m.group(5)), Long.parseLong(m.group(6)), stored,
                peakHeapMegabytes(gcLog), floor == null ? null : wallMs / (double) floor.wallMs());
        rows.add(row);
        System.out.println(format(row));
        return row;
    }

    private void migrate(ClickHouseServer clickhouse, List<String> clickhouseSettings, String database) throws Exception {
        List<String> command = new ArrayList<>(List.of("java", HEAP, "-jar", jar.toString(), "migrate",
                "--clickhouse.url=" + clickhouse.url(), "--clickhouse.database=" + database));
        command.addAll(clickhouseSettings);
        commands.add(String.join(" ", command).replace(jar.toString(), "target/kubecost-worker.jar"));
        Path log = work.resolve(database + "-migrate.log");
        int exit = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start().waitFor();
        if (exit != 0) {
            throw new IllegalStateException("migrate " + database + " exited " + exit + ":\n" + tail(Files.readString(log)));
        }
    }

    /** The heap in use just before the fullest collection the GC log records. */
    private static long peakHeapMegabytes(Path gcLog) throws IOException {
        long peak = 0;
        Matcher m = GC_HEAP.matcher(Files.readString(gcLog));
        while (m.find()) {
            peak = Math.max(peak, Long.parseLong(m.group(1)));
        }
        return peak;
    }

    // ---- the floor

    /**
     * The least a client could do for the same information: for each metric one {@code sum_over_time}
     * and one {@code count_over_time} query_range over the window, stepping an hour, for all
     * tenants at once, one after another; then one insert of {@code rows} rows into a table shaped
     * like k8s_expenses.
     */
    private Row floor(String name, String thanosUrl, ClickHouseServer clickhouse, String database, Instant from, Instant to,
                      long rows) throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        long t0 = System.nanoTime();
        long points = 0;
        int requests = 0;
        for (ExporterMetric metric : ExporterMetric.values()) {
            for (String function : List.of("sum_over_time", "count_over_time")) {
                String query = function + "(" + metric.metricName("cloudtuner_kubecost_") + "[1h])";
                String form = "query=" + java.net.URLEncoder.encode(query, StandardCharsets.UTF_8)
                        + "&start=" + (from.getEpochSecond() + 3599.999) + "&end=" + (to.getEpochSecond() - 0.001) + "&step=3600";
                var response = http.send(java.net.http.HttpRequest.newBuilder(URI.create(thanosUrl + "/api/v1/query_range"))
                                .header("Content-Type", "application/x-www-form-urlencoded")
                                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(form)).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofInputStream());
                points += countPoints(response.body());
                requests++;
            }
        }
        long queryMs = (System.nanoTime() - t0) / 1_000_000;
        try (ClickHouseGateway ch = gateway(clickhouse, database)) {
            ch.ensureDatabase();
            new Migrator(ch, MigrationSource.classpath(), Duration.ofMinutes(1), Clock.systemUTC()).migrate();
            long t1 = System.nanoTime();
            ch.insertJsonEachRow("k8s_expenses", syntheticRows(rows));
            long insertMs = (System.nanoTime() - t1) / 1_000_000;
            Row row = new Row(name, queryMs + insertMs, queryMs + insertMs, requests, 1, rows, null, null);
            this.rows.add(row);
            System.out.println(format(row) + "   (" + points + " points read in " + queryMs + " ms, insert " + insertMs + " ms)");
            return row;
        }
    }

    /** Points in a query_range answer: every [time, value] pair of every series. */
    private static long countPoints(java.io.InputStream body) throws IOException {
        tools.jackson.databind.JsonNode answer = tools.jackson.databind.json.JsonMapper.builder().build().readTree(body);
        if (!"success".equals(answer.path("status").asString())) {
            throw new IllegalStateException("the floor's query failed: " + answer);
        }
        long points = 0;
        for (tools.jackson.databind.JsonNode series : answer.path("data").path("result")) {
            points += series.path("values").size();
        }
        return points;
    }

    /** {@code n} rows of k8s_expenses as the worker would insert them. */
    private static byte[] syntheticRows(long n) {
        StringBuilder sb = new StringBuilder((int) Math.min(Integer.MAX_VALUE - 16, n * 420));
        long hour = D0.getEpochSecond();
        for (long i = 0; i < n; i++) {
            double cost = 0.001 * (i % 9973);
            sb.append("{\"cloud_account_id\":\"tenant-").append(i % 1000).append("\",\"cluster\":\"prod\",\"namespace\":\"ns-")
                    .append(i % 11).append("\",\"resource_id\":\"3f8f2f0e-6d1c-4b7a-9a53-0c6b1e2d9f41\",\"hour\":")
                    .append(hour + 3600 * (i / 11000)).append(",\"currency\":\"USD\",\"cost\":").append(cost)
                    .append(",\"cpu_cost\":").append(cost / 2).append(",\"ram_cost\":").append(cost / 3)
                    .append(",\"pv_cost\":0.0,\"network_cost\":0.0,\"lb_cost\":0.0,\"cpu_efficiency\":0.5,\"ram_efficiency\":0.4,")
                    .append("\"total_efficiency\":0.45,\"coverage\":1.0,\"deleted\":0,\"version\":1,\"computed_at\":")
                    .append(hour).append("}\n");
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    // ---- data

    /** The generator's blocks for these parameters, made on the first run and reused afterwards. */
    private Path blocks(Data data) throws Exception {
        Path dir = cache.resolve(data.key());
        Path blocks = dir.resolve("blocks");
        if (Files.exists(dir.resolve("complete"))) {
            System.out.println("data " + data.key() + ": cached in " + dir);
            return blocks;
        }
        if (Files.exists(blocks)) { // an earlier run stopped half-way: start over
            try (var paths = Files.walk(blocks)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        Files.createDirectories(dir);
        // promtool 2.42 reads its whole input once per 2-hour block it writes: a day per input keeps that to 12 reads
        List<String> description = List.of("simulate", "--hours=" + data.hours(), "--tenant-count=" + data.tenants(),
                "--clusters=" + data.clusters(), "--namespaces=" + data.namespaces(), "--scrape-interval=" + data.scrapeSeconds());
        System.out.println("data " + data.key() + ": generating and converting a day at a time (" + String.join(" ", description)
                + "; minutes, once)");
        for (int hour = 0; hour < data.hours(); hour += 24) {
            Path om = work.resolve(data.key() + "-" + hour + ".om");
            run(List.of("java", "-jar", jar.toString(), "simulate", "--out=" + om, "--from=" + D0.plusSeconds(hour * 3600L),
                    "--hours=" + Math.min(24, data.hours() - hour), "--tenant-count=" + data.tenants(),
                    "--clusters=" + data.clusters(), "--namespaces=" + data.namespaces(),
                    "--scrape-interval=" + data.scrapeSeconds()), work.resolve("simulate.log"));
            run(List.of("promtool", "tsdb", "create-blocks-from", "openmetrics", "-q", om.toString(), blocks.toString()),
                    work.resolve("promtool.log"));
            Files.delete(om);
        }
        System.out.println("data " + data.key() + ": letting Prometheus compact the blocks (a few minutes, once)");
        PrometheusServer.compact(blocks);
        Files.writeString(dir.resolve("complete"), String.join(" ", description) + "\n");
        return blocks;
    }

    private static void run(List<String> command, Path log) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed:\n" + tail(Files.readString(log)));
        }
    }

    // ---- output

    private static ClickHouseGateway gateway(ClickHouseServer clickhouse, String database) {
        return new ClickHouseGateway(new ClickHouseProperties(URI.create(clickhouse.url()), clickhouse.user(), clickhouse.password(),
                database, Duration.ofMinutes(5), Duration.ofMinutes(10), 100_000, 2, Duration.ofSeconds(1)));
    }

    private static final String HEADER = String.format("%-26s %10s %10s %8s %8s %9s %10s %9s %8s", "run", "wall s", "process s",
            "thanos", "ch stmts", "rows", "rows/s", "peak MB", "x floor");

    private static String format(Row r) {
        return String.format(Locale.ROOT, "%-26s %10.2f %10.2f %8d %8d %9d %10.0f %9s %8s", r.name(), r.wallMs() / 1000.0,
                r.processMs() / 1000.0, r.thanosRequests(), r.clickhouseStatements(), r.rows(), r.rows() * 1000.0 / r.wallMs(),
                r.peakHeapMb() == null ? "-" : r.peakHeapMb().toString(),
                r.floorRatio() == null ? "-" : String.format(Locale.ROOT, "%.2f", r.floorRatio()));
    }

    private void print() throws IOException {
        System.out.println();
        System.out.println(HEADER);
        rows.forEach(r -> System.out.println(format(r)));
        System.out.println();
        List<String> verdicts = verdicts();
        verdicts.forEach(System.out::println);
        Path results = Path.of("target/bench-results.md");
        Files.writeString(results, markdown(verdicts));
        System.out.println("\nresults as markdown: " + results + " (copy into bench/RESULTS.md)");
    }

    private List<String> verdicts() {
        List<String> out = new ArrayList<>();
        for (Row r : rows) {
            if (r.name().startsWith("(d)")) {
                out.add(verdict(r.name() + ": " + String.format(Locale.ROOT, "%.1f", r.processMs() / 1000.0)
                        + " s with the JVM's start (at most 60 s, a fifth of a 5-minute slot)", r.processMs() <= 60_000));
                out.add(verdict(r.name() + ": completed under " + HEAP + " (heap before the fullest collection: " + r.peakHeapMb()
                        + " MB)", r.peakHeapMb() <= 256));
            }
            if (r.floorRatio() == null || r.name().contains("raw")) {
                continue;
            }
            boolean scenarioB = r.name().startsWith("(b)");
            if (r.name().startsWith("(e)")) { // its "floor" is the one-node run of the same invocation: no target, a measure
                out.add("MEASURED " + r.name() + ": " + String.format(Locale.ROOT, "%.2f", r.floorRatio()) + "x the one-node run");
            } else {
                out.add(verdict(r.name() + ": " + String.format(Locale.ROOT, "%.2f", r.floorRatio()) + "x the floor (at most 2x)",
                        r.floorRatio() <= 2.0));
            }
            out.add(verdict(r.name() + ": completed under " + HEAP + " (heap before the fullest collection: " + r.peakHeapMb()
                    + " MB)", r.peakHeapMb() <= 256));
            if (scenarioB) {
                double perSecond = r.rows() * 1000.0 / r.wallMs();
                out.add(verdict(r.name() + ": " + Math.round(perSecond) + " rows/s (at least 20,000)", perSecond >= 20_000));
            } else {
                out.add(verdict(r.name() + ": " + r.thanosRequests() + " Thanos requests (at most 200)", r.thanosRequests() <= 200));
                out.add(verdict(r.name() + ": " + r.clickhouseStatements() + " ClickHouse statements (at most 50)",
                        r.clickhouseStatements() <= 50));
            }
        }
        return out;
    }

    private static String verdict(String what, boolean met) {
        return (met ? "MET     " : "NOT MET ") + what;
    }

    private String markdown(List<String> verdicts) throws IOException {
        StringBuilder md = new StringBuilder();
        md.append("| run | wall s | process s | Thanos requests | ClickHouse statements | rows | rows/s | peak heap MB | x floor |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Row r : rows) {
            String[] f = format(r).substring(26).trim().split("\\s+");
            md.append("| ").append(r.name()).append(" | ").append(String.join(" | ", f)).append(" |\n");
        }
        md.append("\n```\n").append(String.join("\n", verdicts)).append("\n```\n\nWorker commands run:\n\n```\n")
                .append(String.join("\n", commands)).append("\n```\n");
        return md.toString();
    }

    private static void check(boolean ok, String problem) {
        if (!ok) {
            throw new IllegalStateException(problem);
        }
    }

    private static String tail(String s) {
        List<String> lines = s.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }
}
