package com.cloudtuner.kubecost.testing;

import com.cloudtuner.kubecost.simulate.ExporterDataset;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The installed {@code victoria-metrics} (Debian package) on a free loopback port and a temp
 * directory: the same query API as Prometheus and Thanos Query, with left-open range selectors.
 * Loads go through {@code /api/v1/import/prometheus} (millisecond timestamps), then a flush makes
 * them searchable at once. Its answer cache is off, so late samples show up in the next query.
 */
public final class VictoriaMetricsServer implements MetricsStore {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Path dir;
    private final int port = LocalProcess.freePort();
    private final Process process;

    private VictoriaMetricsServer() {
        Path binary = LocalProcess.binary("victoria-metrics", "/usr/bin/victoria-metrics");
        try {
            dir = Files.createTempDirectory("kw-victoria-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path log = dir.resolve("victoria-metrics.log");
        process = LocalProcess.start(List.of(binary.toString(),
                "-storageDataPath=" + dir.resolve("data"),
                "-retentionPeriod=100y",
                "-httpListenAddr=127.0.0.1:" + port,
                "-search.latencyOffset=0s",
                "-search.disableCache"), log);
        LocalProcess.awaitReady(process, url() + "/health", Duration.ofSeconds(60), log);
    }

    static VictoriaMetricsServer start() {
        return new VictoriaMetricsServer();
    }

    @Override
    public String engine() {
        return "VictoriaMetrics";
    }

    @Override
    public void load(ExporterDataset data) {
        StringWriter text = new StringWriter();
        data.writePrometheusText(text);
        send(HttpRequest.newBuilder(URI.create(url() + "/api/v1/import/prometheus"))
                .POST(HttpRequest.BodyPublishers.ofString(text.toString())).build());
        send(HttpRequest.newBuilder(URI.create(url() + "/internal/force_flush")).GET().build());
    }

    private static void send(HttpRequest request) {
        try {
            HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() / 100 != 2) {
                throw new IllegalStateException(request.uri() + " answered " + r.statusCode() + ": " + r.body());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
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
