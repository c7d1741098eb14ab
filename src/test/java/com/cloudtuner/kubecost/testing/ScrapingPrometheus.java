package com.cloudtuner.kubecost.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The installed Prometheus scraping one live target, as a cluster's Prometheus scrapes the
 * allocation exporter ({@code honor_labels: true}, so the exporter's {@code namespace} and
 * {@code tenant_id} stay as they are): for the freshness benchmark, where samples arrive in real time.
 */
public final class ScrapingPrometheus implements AutoCloseable {

    private final Path dir;
    private final Process process;
    private final int port = LocalProcess.freePort();

    public ScrapingPrometheus(String target, Duration interval) {
        Path prometheus = LocalProcess.binary("prometheus", "/usr/bin/prometheus");
        try {
            dir = Files.createTempDirectory("kw-scraping-prometheus-");
            Path config = Files.writeString(dir.resolve("prometheus.yml"), String.format("""
                    global:
                      scrape_interval: %ds
                    scrape_configs:
                      - job_name: kubecost-exporter
                        honor_labels: true
                        static_configs:
                          - targets: ['%s']
                    """, interval.toSeconds(), target));
            Path log = dir.resolve("prometheus.log");
            process = LocalProcess.start(List.of(prometheus.toString(), "--config.file=" + config,
                    "--storage.tsdb.path=" + Files.createDirectories(dir.resolve("data")),
                    "--web.listen-address=127.0.0.1:" + port), log);
            LocalProcess.awaitReady(process, url() + "/-/ready", Duration.ofMinutes(1), log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        LocalProcess.stop(process);
        LocalProcess.deleteTree(dir);
    }
}
