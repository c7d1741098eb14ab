package com.cloudtuner.kubecost.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.clickhouse.ClickHouseContainer;

/**
 * The ClickHouse server the tests use, one per JVM: {@code CLICKHOUSE_URL} (+ {@code CLICKHOUSE_USER},
 * {@code CLICKHOUSE_PASSWORD}, {@code CLICKHOUSE_NATIVE_PORT}) when set; otherwise a Testcontainers ClickHouse where a Docker engine
 * runs; otherwise the installed {@code clickhouse-server} on free loopback ports in a temp directory.
 */
public final class ClickHouseServer implements AutoCloseable {

    static final String IMAGE = System.getProperty("kubecost.test.clickhouse-image", "clickhouse/clickhouse-server:25.8");

    private final String url;
    private final int nativePort;
    private final String user;
    private final String password;
    private final String description;
    private final AutoCloseable stopper;

    private ClickHouseServer(String url, int nativePort, String user, String password, String description, AutoCloseable stopper) {
        this.url = url;
        this.nativePort = nativePort;
        this.user = user;
        this.password = password;
        this.description = description;
        this.stopper = stopper;
    }

    static ClickHouseServer start() {
        String external = System.getenv("CLICKHOUSE_URL");
        if (external != null && !external.isBlank()) {
            return new ClickHouseServer(external, Integer.parseInt(System.getenv().getOrDefault("CLICKHOUSE_NATIVE_PORT", "9000")),
                    System.getenv().getOrDefault("CLICKHOUSE_USER", "default"),
                    System.getenv().getOrDefault("CLICKHOUSE_PASSWORD", ""), "external " + external, () -> { });
        }
        if (Docker.available()) {
            ClickHouseContainer container = new ClickHouseContainer(IMAGE);
            container.start();
            return new ClickHouseServer("http://" + container.getHost() + ":" + container.getMappedPort(8123),
                    container.getMappedPort(9000), container.getUsername(), container.getPassword(), "container " + IMAGE, container::stop);
        }
        return startLocal();
    }

    /** A server someone else runs and stops (a node of a {@link ClickHouseCluster}), with the default user. */
    public static ClickHouseServer running(String url, int nativePort) {
        return new ClickHouseServer(url, nativePort, "default", "", "running " + url, () -> { });
    }

    /** The installed clickhouse-server on free loopback ports in a temp directory, whatever the environment says. */
    public static ClickHouseServer startLocal() {
        Path binary = LocalProcess.binary("clickhouse-server", "/usr/sbin/clickhouse-server", "/usr/bin/clickhouse-server");
        Path dir;
        try {
            dir = Files.createTempDirectory("kw-clickhouse-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int http = LocalProcess.freePort();
        int nativePort = LocalProcess.freePort();
        Path log = dir.resolve("server.log");
        Process process = LocalProcess.start(command(binary, Path.of("/etc/clickhouse-server/config.xml"), dir, http, nativePort),
                dir.resolve("stdout.log"));
        String url = "http://127.0.0.1:" + http;
        LocalProcess.awaitReady(process, url + "/ping", Duration.ofSeconds(60), log);
        return new ClickHouseServer(url, nativePort, "default", "", "local " + binary + " on " + url, () -> {
            LocalProcess.stop(process);
            LocalProcess.deleteTree(dir);
        });
    }

    /** The command line of a clickhouse-server with its ports, data, temporary files and logs in {@code dir}. */
    static List<String> command(Path binary, Path config, Path dir, int http, int nativePort) {
        return List.of(binary.toString(), "--config-file=" + config, "--",
                "--http_port=" + http,
                "--tcp_port=" + nativePort,
                "--interserver_http_port=" + LocalProcess.freePort(),
                "--path=" + dir.resolve("data") + "/",
                "--tmp_path=" + dir.resolve("tmp") + "/",
                "--user_files_path=" + dir.resolve("user_files") + "/",
                "--format_schema_path=" + dir.resolve("format_schemas") + "/",
                "--logger.log=" + dir.resolve("server.log"),
                "--logger.errorlog=" + dir.resolve("error.log"));
    }

    public String url() {
        return url;
    }

    /** The native protocol's port (TCP), which the REST API's clickhouse-driver talks to. */
    public int nativePort() {
        return nativePort;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    @Override
    public String toString() {
        return description;
    }

    @Override
    public void close() throws Exception {
        stopper.close();
    }

    /** Whether Testcontainers can reach a Docker engine (a docker CLI alone is not enough). */
    static final class Docker {
        private static Boolean available;

        static synchronized boolean available() {
            if (available == null) {
                available = !"local".equals(System.getProperty("kubecost.test.servers"))
                        && DockerClientFactory.instance().isDockerAvailable();
            }
            return available;
        }
    }
}
