package com.cloudtuner.kubecost.testing;

import com.cloudtuner.kubecost.clickhouse.ClickHouseGateway;
import com.cloudtuner.kubecost.config.ClickHouseProperties;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;

/** A database of its own for one test class on the shared ClickHouse server; dropped afterwards. */
public final class TestDatabase implements AutoCloseable {

    private static final AtomicInteger COUNTER = new AtomicInteger();

    private final ClickHouseServer server;
    private final String name;
    private final ClickHouseGateway gateway;
    private final ClickHouseGateway admin; // on 'default': requests to a dropped database fail before they run

    TestDatabase(ClickHouseServer server, String testClass) {
        this.server = server;
        this.name = "kw_" + testClass.replaceAll("[^A-Za-z0-9]", "_").toLowerCase() + "_" + ProcessHandle.current().pid()
                + "_" + COUNTER.incrementAndGet();
        this.gateway = new ClickHouseGateway(properties());
        this.admin = new ClickHouseGateway(properties("default"));
        gateway.ensureDatabase();
    }

    /** Drops the database and creates it empty. */
    public void recreate() {
        admin.execute("DROP DATABASE IF EXISTS `" + name + "`");
        admin.execute("CREATE DATABASE `" + name + "`");
    }

    /** The server this database lives on. */
    public ClickHouseServer server() {
        return server;
    }

    public String name() {
        return name;
    }

    public ClickHouseProperties properties() {
        return properties(name);
    }

    private ClickHouseProperties properties(String database) {
        return new ClickHouseProperties(URI.create(server.url()), server.user(), server.password(), database,
                Duration.ofSeconds(60), Duration.ofMinutes(10), 100_000, 2, Duration.ofMillis(10));
    }

    /** A gateway on this database, owned by the caller. */
    public ClickHouseGateway newGateway() {
        return new ClickHouseGateway(properties());
    }

    /** The worker's command-line arguments that point it at this database. */
    public List<String> workerArgs() {
        return List.of("--clickhouse.url=" + server.url(), "--clickhouse.user=" + server.user(),
                "--clickhouse.password=" + server.password(), "--clickhouse.database=" + name, "--clickhouse.retry-backoff=10ms");
    }

    public List<JsonNode> query(String sql) {
        return gateway.select(sql);
    }

    public void execute(String sql) {
        gateway.execute(sql);
    }

    @Override
    public void close() {
        try {
            admin.execute("DROP DATABASE IF EXISTS `" + name + "`");
        } finally {
            gateway.close();
            admin.close();
        }
    }
}
