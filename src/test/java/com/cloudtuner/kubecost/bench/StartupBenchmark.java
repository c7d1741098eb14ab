package com.cloudtuner.kubecost.bench;

import com.cloudtuner.kubecost.testing.ClickHouseServer;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The start-up benchmark (bench/startup.sh): how long an hourly run takes from the start of its
 * JVM to its first request to Thanos, which is what a run pays before any work, every 5 minutes
 * with the current hour. Each way of starting is measured the same number of times, alternating,
 * in one invocation, against a real ClickHouse (the run reads the watermarks first) and a stand-in
 * for Thanos that notes the instant of the first request and refuses it (the run then ends).
 *
 * <ul>
 *   <li>{@code jar}: {@code java -jar kubecost-worker.jar}, the fat jar;</li>
 *   <li>{@code image}: the image's way before class-data sharing, the jar's layers extracted with
 *       Spring Boot's launcher into one directory ({@code JarLauncher});</li>
 *   <li>{@code image + CDS}: the extracted application with a class-data-sharing archive made by a
 *       training run ({@code -XX:ArchiveClassesAtExit}, {@code -Dspring.context.exit=onRefresh});</li>
 *   <li>{@code image + CDS, no migration check}: the same with {@code worker.migrate-on-start=false}
 *       (a deployment that runs {@code migrate} once);</li>
 *   <li>{@code image + CDS, lazy beans}: the same with {@code spring.main.lazy-initialization=true}.</li>
 * </ul>
 */
public final class StartupBenchmark {

    private static final int ROUNDS = 5;

    record Way(String name, List<String> command) {
    }

    public static void main(String[] args) throws Exception {
        Path work = Files.createTempDirectory("kw-startup-");
        Path jar = Files.copy(Path.of("target/kubecost-worker.jar"), work.resolve("kubecost-worker.jar"));
        Path layers = extract(jar, work.resolve("layers"), "--layers", "--launcher");
        Path app = extract(jar, work.resolve("app"));
        try (ClickHouseServer clickhouse = ClickHouseServer.startLocal(); FirstRequest thanos = new FirstRequest()) {
            List<String> settings = List.of("hourly", "--thanos.url=" + thanos.url(), "--thanos.retries=0",
                    "--clickhouse.url=" + clickhouse.url(), "--clickhouse.database=startup", "--worker.tenants=");
            run(concat(List.of("java", "-jar", jar.toString(), "migrate"), settings.subList(1, settings.size())), null);
            Path archive = app.resolve("app.jsa");
            run(concat(List.of("java", "-XX:ArchiveClassesAtExit=" + archive, "-Dspring.context.exit=onRefresh", "-jar",
                    app.resolve("kubecost-worker.jar").toString()), settings), null);
            List<Way> ways = List.of(
                    new Way("jar", concat(List.of("java", "-jar", jar.toString()), settings)),
                    new Way("image", concat(List.of("java", "-cp", layersClasspath(layers),
                            "org.springframework.boot.loader.launch.JarLauncher"), settings)),
                    new Way("image + CDS", concat(List.of("java", "-XX:SharedArchiveFile=" + archive, "-jar",
                            app.resolve("kubecost-worker.jar").toString()), settings)),
                    new Way("image + CDS, no migration check", concat(List.of("java", "-XX:SharedArchiveFile=" + archive, "-jar",
                            app.resolve("kubecost-worker.jar").toString()), concat(settings, List.of("--worker.migrate-on-start=false")))),
                    new Way("image + CDS, lazy beans", concat(List.of("java", "-XX:SharedArchiveFile=" + archive, "-jar",
                            app.resolve("kubecost-worker.jar").toString()), concat(settings, List.of("--spring.main.lazy-initialization=true")))));
            long[][] ms = new long[ways.size()][ROUNDS];
            for (int round = 0; round < ROUNDS; round++) {
                for (int w = 0; w < ways.size(); w++) {
                    ms[w][round] = run(ways.get(w).command(), thanos);
                }
            }
            print(ways, ms);
        }
    }

    /** Milliseconds from the process' start to Thanos' first request (the run then fails on its answer). */
    private static long run(List<String> command, FirstRequest thanos) throws Exception {
        if (thanos != null) {
            thanos.reset();
        }
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        p.waitFor();
        if (thanos == null) {
            return 0;
        }
        long first = thanos.firstNanos();
        if (first == 0) {
            throw new IllegalStateException("no request reached Thanos: " + String.join(" ", command));
        }
        return (first - t0) / 1_000_000;
    }

    private static Path extract(Path jar, Path destination, String... options) throws Exception {
        List<String> command = new ArrayList<>(List.of("java", "-Djarmode=tools", "-jar", jar.toString(), "extract"));
        command.addAll(List.of(options));
        command.addAll(List.of("--destination", destination.toString()));
        if (new ProcessBuilder(command).inheritIO().start().waitFor() != 0) {
            throw new IllegalStateException("extract failed: " + command);
        }
        return destination;
    }

    /** The layers copied into one directory, as the image before this change held them; the launcher runs from there. */
    private static String layersClasspath(Path layers) throws java.io.IOException {
        Path merged = layers.resolveSibling("image");
        for (String layer : List.of("dependencies", "spring-boot-loader", "snapshot-dependencies", "application")) {
            Path from = layers.resolve(layer);
            try (java.util.stream.Stream<Path> files = Files.walk(from)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Path to = merged.resolve(from.relativize(f).toString());
                    if (Files.isDirectory(f)) {
                        Files.createDirectories(to);
                    } else {
                        Files.copy(f, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        }
        return merged.toString();
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static void print(List<Way> ways, long[][] ms) {
        long baseline = median(ms[1]);
        System.out.printf(Locale.ROOT, "%n%-34s %12s %12s %10s%n", "start to first Thanos request", "median ms", "min ms", "x image");
        for (int w = 0; w < ways.size(); w++) {
            long median = median(ms[w]);
            System.out.printf(Locale.ROOT, "%-34s %12d %12d %10.2f%n", ways.get(w).name(), median,
                    java.util.Arrays.stream(ms[w]).min().orElse(0), median / (double) baseline);
        }
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /** A stand-in for Thanos that notes when the first request came and answers 503. */
    private static final class FirstRequest implements AutoCloseable {
        private final HttpServer server;
        private final AtomicLong first = new AtomicLong();

        FirstRequest() throws Exception {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", exchange -> {
                first.compareAndSet(0, System.nanoTime());
                exchange.sendResponseHeaders(503, -1);
                exchange.close();
            });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        void reset() {
            first.set(0);
        }

        long firstNanos() {
            return first.get();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
