package com.cloudtuner.kubecost.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The installed {@code prometheus-pushgateway} (Debian package) on a free loopback port, persisting
 * to a file in its own temporary directory: without {@code --persistence.file} it would load and
 * rewrite the package's {@code /var/lib/prometheus/pushgateway.data}, and a test would start with
 * the metrics of earlier runs.
 */
public final class PushgatewayServer implements AutoCloseable {

    private final Path dir;
    private final int port = LocalProcess.freePort();
    private final Process process;

    private PushgatewayServer() {
        Path binary = LocalProcess.binary("prometheus-pushgateway", "/usr/bin/prometheus-pushgateway");
        try {
            dir = Files.createTempDirectory("kw-pushgateway-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path log = dir.resolve("pushgateway.log");
        process = LocalProcess.start(List.of(binary.toString(), "--web.listen-address=127.0.0.1:" + port,
                "--persistence.file=" + persistenceFile()), log);
        LocalProcess.awaitReady(process, url() + "/-/ready", Duration.ofSeconds(60), log);
    }

    public static PushgatewayServer start() {
        return new PushgatewayServer();
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** Where this Pushgateway persists what was pushed: in its own temporary directory. */
    public Path persistenceFile() {
        return dir.resolve("pushgateway.data");
    }

    /** The Pushgateway's own account of itself ({@code /api/v1/status}: build and the flags it runs with), as JSON. */
    public String status() {
        return LocalProcess.get(url() + "/api/v1/status");
    }

    /** What the Pushgateway exposes for Prometheus to scrape: every group's metrics, labelled with the group. */
    public String metrics() {
        return LocalProcess.get(url() + "/metrics");
    }

    @Override
    public void close() {
        LocalProcess.stop(process);
        LocalProcess.deleteTree(dir);
    }
}
