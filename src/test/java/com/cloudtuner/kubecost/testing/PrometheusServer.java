package com.cloudtuner.kubecost.testing;

import com.cloudtuner.kubecost.simulate.ExporterDataset;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.Transferable;

/**
 * A Prometheus (the query API Thanos Query serves) holding what a test loaded. {@link #load} turns
 * OpenMetrics text into TSDB blocks with {@code promtool tsdb create-blocks-from openmetrics} and
 * (re)starts Prometheus on them with a 100-year retention; loading again adds blocks, so a test can
 * append late samples. The URL may change across loads when Prometheus runs in a container.
 */
public final class PrometheusServer implements MetricsStore {

    static final String IMAGE = System.getProperty("kubecost.test.prometheus-image", "prom/prometheus:v2.42.0");

    private final Backend backend;
    private int loads;

    private PrometheusServer(Backend backend) {
        this.backend = backend;
    }

    /**
     * A local Prometheus serving TSDB blocks made earlier (the benchmark's cache): they are linked
     * into a directory of its own, so that its compactions never touch the originals.
     */
    public static PrometheusServer onBlocks(Path blocks) {
        LocalBackend backend = new LocalBackend();
        backend.startOn(blocks);
        return new PrometheusServer(backend);
    }

    /**
     * Lets Prometheus compact a directory of 2-hour blocks (what promtool writes) into the larger
     * blocks a long-running server would have: it is started on the directory itself and stopped
     * once the number of loaded blocks stops changing after a compaction (or after 3 minutes
     * without one). Queries over a month read a few blocks instead of hundreds.
     */
    public static void compact(Path blocks) {
        LocalBackend backend = new LocalBackend();
        try {
            backend.compactInPlace(blocks);
        } finally {
            backend.close();
        }
    }

    static PrometheusServer create() {
        return new PrometheusServer(ClickHouseServer.Docker.available() ? new ContainerBackend() : new LocalBackend());
    }

    @Override
    public String engine() {
        return "Prometheus";
    }

    @Override
    public void load(ExporterDataset data) {
        StringWriter text = new StringWriter();
        data.writeOpenMetrics(text);
        load(text.toString());
    }

    public void load(String openMetrics) {
        backend.load(++loads, openMetrics);
    }

    public String url() {
        return backend.url();
    }

    @Override
    public void close() {
        backend.close();
    }

    private interface Backend {
        void load(int n, String openMetrics);

        String url();

        void close();
    }

    private static final class LocalBackend implements Backend {
        private final Path dir;
        private final Path data;
        private final Path config;
        private final int port = LocalProcess.freePort();
        private final Path prometheus = LocalProcess.binary("prometheus", "/usr/bin/prometheus");
        private final Path promtool = LocalProcess.binary("promtool", "/usr/bin/promtool");
        private Process process;

        LocalBackend() {
            try {
                dir = Files.createTempDirectory("kw-prometheus-");
                data = Files.createDirectories(dir.resolve("data"));
                config = Files.writeString(dir.resolve("prometheus.yml"), "global:\n  scrape_interval: 1h\n");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void compactInPlace(Path blocks) {
            Path log = dir.resolve("compact.log");
            process = LocalProcess.start(List.of(prometheus.toString(), "--config.file=" + config, "--storage.tsdb.path=" + blocks,
                    "--storage.tsdb.retention.time=100y", "--web.listen-address=127.0.0.1:" + port), log);
            LocalProcess.awaitReady(process, url() + "/-/ready", Duration.ofMinutes(5), log);
            long started = System.nanoTime();
            long previous = -1;
            int unchanged = 0;
            while (unchanged < 3) {
                try {
                    process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS); // the compactor runs once a minute
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                String metrics = LocalProcess.get(url() + "/metrics");
                long loaded = metric(metrics, "prometheus_tsdb_blocks_loaded");
                boolean compacted = metric(metrics, "prometheus_tsdb_compactions_total") > 0;
                unchanged = loaded == previous && (compacted || System.nanoTime() - started > 180e9) ? unchanged + 1 : 0;
                previous = loaded;
            }
            LocalProcess.stop(process);
        }

        private static long metric(String metrics, String name) {
            return metrics.lines().filter(l -> l.startsWith(name + " ")).findFirst()
                    .map(l -> (long) Double.parseDouble(l.substring(name.length() + 1).trim())).orElse(0L);
        }

        void startOn(Path blocks) {
            LocalProcess.run(List.of("cp", "-al", blocks + "/.", data.toString()), dir.resolve("link.log"), Duration.ofMinutes(5));
            // no compaction of the 2-hour blocks in the background while a benchmark measures
            start(0, "--storage.tsdb.max-block-duration=2h");
        }

        private void start(int n, String... flags) {
            Path log = dir.resolve("prometheus-" + n + ".log");
            List<String> command = new java.util.ArrayList<>(List.of(prometheus.toString(),
                    "--config.file=" + config,
                    "--storage.tsdb.path=" + data,
                    "--storage.tsdb.retention.time=100y",
                    "--web.listen-address=127.0.0.1:" + port));
            command.addAll(List.of(flags));
            process = LocalProcess.start(command, log);
            LocalProcess.awaitReady(process, url() + "/-/ready", Duration.ofMinutes(5), log);
        }

        @Override
        public void load(int n, String openMetrics) {
            LocalProcess.stop(process);
            Path file = dir.resolve("load-" + n + ".om");
            try {
                Files.writeString(file, openMetrics, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            LocalProcess.run(List.of(promtool.toString(), "tsdb", "create-blocks-from", "openmetrics", "-q",
                    file.toString(), data.toString()), dir.resolve("promtool-" + n + ".log"), Duration.ofMinutes(10));
            start(n);
        }

        @Override
        public String url() {
            return "http://127.0.0.1:" + port;
        }

        @Override
        public void close() {
            LocalProcess.stop(process);
            LocalProcess.deleteTree(dir);
        }
    }

    private static final class ContainerBackend implements Backend {
        private final List<String> loaded = new ArrayList<>();
        private GenericContainer<?> container;

        @Override
        @SuppressWarnings("resource")
        public void load(int n, String openMetrics) {
            loaded.add(openMetrics);
            close();
            GenericContainer<?> c = new GenericContainer<>(IMAGE)
                    .withExposedPorts(9090)
                    .withCreateContainerCmdModifier(cmd -> cmd.withEntrypoint("/bin/sh"))
                    .withCommand("-c", "for f in /load/*.om; do promtool tsdb create-blocks-from openmetrics -q \"$f\" /prometheus || exit 1; done;"
                            + " exec /bin/prometheus --config.file=/etc/prometheus/prometheus.yml --storage.tsdb.path=/prometheus"
                            + " --storage.tsdb.retention.time=100y --web.listen-address=0.0.0.0:9090")
                    .waitingFor(Wait.forHttp("/-/ready").forStatusCode(200).withStartupTimeout(Duration.ofMinutes(5)));
            for (int i = 0; i < loaded.size(); i++) {
                c.withCopyToContainer(Transferable.of(loaded.get(i).getBytes(StandardCharsets.UTF_8), 0644),
                        "/load/" + (i + 1) + ".om");
            }
            c.start();
            container = c;
        }

        @Override
        public String url() {
            return "http://" + container.getHost() + ":" + container.getMappedPort(9090);
        }

        @Override
        public void close() {
            if (container != null) {
                container.stop();
                container = null;
            }
        }
    }
}
