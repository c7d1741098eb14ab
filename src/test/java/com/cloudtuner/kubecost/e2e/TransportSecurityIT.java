package com.cloudtuner.kubecost.e2e;

import static com.cloudtuner.kubecost.testing.Exporter.HOUR;
import static com.cloudtuner.kubecost.testing.Exporter.MINUTE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.cloudtuner.kubecost.clickhouse.ClickHouseException;
import com.cloudtuner.kubecost.clickhouse.ClickHouseGateway;
import com.cloudtuner.kubecost.config.ClickHouseProperties;
import com.cloudtuner.kubecost.config.ClickHouseTlsProperties;
import com.cloudtuner.kubecost.cost.ExporterMetric;
import com.cloudtuner.kubecost.testing.ClickHouseServer;
import com.cloudtuner.kubecost.testing.Exporter;
import com.cloudtuner.kubecost.testing.FaultProxy;
import com.cloudtuner.kubecost.testing.PrometheusServer;
import com.cloudtuner.kubecost.testing.RealServers;
import com.cloudtuner.kubecost.testing.TestCa;
import com.cloudtuner.kubecost.testing.TestDatabase;
import com.cloudtuner.kubecost.testing.Worker;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * HTTPS to Thanos and ClickHouse with certificates of a CA the test makes: TLS fronts (MockWebServer
 * forwarding proxies) before the real Prometheus and ClickHouse, the Thanos one requiring a client
 * certificate. The worker reaches them only with thanos.ca-file, the client certificate and
 * clickhouse.ca-file; without them a run fails and says which setting; bad TLS settings exit 2.
 */
@ExtendWith(RealServers.class)
class TransportSecurityIT {

    private static final Instant DAY = Instant.parse("2025-10-13T00:00:00Z");
    private static final List<String> TENANTS = List.of("acme", "globex");

    @TempDir
    static Path dir;

    private static final TestCa CA = new TestCa("kubecost test CA");
    private static TestDatabase db;
    private static ClickHouseServer clickhouse;
    private static FaultProxy thanosTls;
    private static FaultProxy clickhouseTls;
    private static Path caFile;
    private static Path clientCert;
    private static Path clientKey;
    private static HeldCertificate client;

    @BeforeAll
    static void start(TestDatabase database, PrometheusServer prometheus, ClickHouseServer server) {
        Exporter e = new Exporter();
        for (String tenant : TENANTS) {
            long from = DAY.toEpochMilli();
            long to = from + 24 * HOUR;
            e.gauge(ExporterMetric.NAMESPACE_TOTAL_COST, Exporter.labels(tenant, "c", "a"), from, to, 5 * MINUTE, Exporter.always(), t -> 2);
            e.gauge(ExporterMetric.CLUSTER_TOTAL_COST, Exporter.labels(tenant, "c", null), from, to, 5 * MINUTE, Exporter.always(), t -> 2.5);
            e.gauge(ExporterMetric.EXPORTER_SCRAPE_SUCCESS, Map.of("tenant_id", tenant, "cluster", "c"), from, to, 5 * MINUTE,
                    Exporter.always(), t -> 1);
        }
        prometheus.load(e.dataset());
        db = database;
        clickhouse = server;
        caFile = CA.writeCa(dir, "ca.crt");
        client = CA.issue("kubecost-worker");
        clientCert = TestCa.writeCertAndKey(dir.resolve("client"), "tls", client);
        clientKey = dir.resolve("client/tls.key");
        thanosTls = FaultProxy.https(prometheus.url(), TestCa.serverSocketFactory(CA.server(), CA), true);
        clickhouseTls = FaultProxy.https(server.url(), TestCa.serverSocketFactory(CA.server(), null), false);
    }

    @AfterAll
    static void stop() {
        if (thanosTls != null) {
            thanosTls.close();
        }
        if (clickhouseTls != null) {
            clickhouseTls.close();
        }
    }

    private static ClickHouseProperties through(String url) {
        ClickHouseProperties p = db.properties();
        return new ClickHouseProperties(URI.create(url), p.user(), p.password(), p.database(), Duration.ofSeconds(30),
                p.migrationLockTimeout(), p.maxInsertRows(), p.retries(), p.retryBackoff());
    }

    /** The worker's arguments for the TLS fronts with every TLS option but those starting with {@code leftOut}. */
    private static List<String> overTls(String leftOut) {
        List<String> args = new ArrayList<>(Worker.withOption(Worker.serverArgs(db, thanosTls.url()), "clickhouse.url", clickhouseTls.url()));
        for (String option : List.of("thanos.ca-file=" + caFile, "thanos.client-cert-file=" + clientCert,
                "thanos.client-key-file=" + clientKey, "clickhouse.ca-file=" + caFile)) {
            if (leftOut == null || !option.startsWith(leftOut)) {
                args.add("--" + option);
            }
        }
        return args;
    }

    // ---- ClickHouse through the TLS front

    @Test
    void theGatewaySelectsAndInsertsOverTlsWithClickhouseCaFile() {
        clickhouseTls.clearRequests();
        try (ClickHouseGateway gateway = new ClickHouseGateway(through(clickhouseTls.url()), new ClickHouseTlsProperties(caFile.toString()))) {
            assertThat(clickhouseTls.url()).startsWith("https://");
            gateway.execute("CREATE TABLE tls_probe (id UInt32, name String) ENGINE = Memory");
            gateway.insertJsonEachRow("tls_probe", "{\"id\":1,\"name\":\"over\"}\n{\"id\":2,\"name\":\"tls\"}\n".getBytes(StandardCharsets.UTF_8));
            assertThat(gateway.select("SELECT id, name FROM tls_probe ORDER BY id"))
                    .extracting(r -> r.get("name").asString()).containsExactly("over", "tls");
        }
        // what the gateway wrote is really in ClickHouse (read without the front), and it all went through the front
        assertThat(db.query("SELECT count() AS n FROM tls_probe")).singleElement()
                .satisfies(r -> assertThat(ClickHouseGateway.longValue(r.get("n"))).isEqualTo(2));
        assertThat(clickhouseTls.requests()).anyMatch(r -> r.contains("CREATE TABLE tls_probe"))
                .anyMatch(r -> r.contains("INSERT INTO tls_probe")).anyMatch(r -> r.contains("SELECT id, name FROM tls_probe"));
    }

    @Test
    void withoutClickhouseCaFileTheServerIsNotTrusted() {
        clickhouseTls.clearRequests();
        try (ClickHouseGateway gateway = new ClickHouseGateway(through(clickhouseTls.url()), ClickHouseTlsProperties.none())) {
            assertThatThrownBy(() -> gateway.select("SELECT 1 AS one"))
                    .isInstanceOf(ClickHouseException.class)
                    .hasMessageStartingWith("ClickHouse failed on 'SELECT 1 AS one': ")
                    .hasMessageContaining("unable to find valid certification path")
                    .hasMessageContaining("clickhouse.ca-file is not set, so only the JVM's trusted CAs are accepted")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        }
        assertThat(clickhouseTls.requests()).as("nothing reached ClickHouse").isEmpty();
    }

    @Test
    void clickhouseCaFileOfAnotherCaOrACertificateForAnotherHostIsRefused() {
        Path strangerCa = new TestCa("some other CA").writeCa(dir, "stranger.crt");
        try (ClickHouseGateway gateway = new ClickHouseGateway(through(clickhouseTls.url()), new ClickHouseTlsProperties(strangerCa.toString()))) {
            assertThatThrownBy(() -> gateway.select("SELECT 1 AS one"))
                    .isInstanceOf(ClickHouseException.class)
                    .hasMessageContaining("the server's certificate must be signed by a CA in clickhouse.ca-file");
        }
        // the right CA, but a certificate for another host: client-v2's default (STRICT) verifies host names
        try (FaultProxy elsewhere = FaultProxy.https(clickhouse.url(), TestCa.serverSocketFactory(CA.issue("ch", "clickhouse.example"), null), false);
             ClickHouseGateway gateway = new ClickHouseGateway(through(elsewhere.url()), new ClickHouseTlsProperties(caFile.toString()))) {
            assertThatThrownBy(() -> gateway.select("SELECT 1 AS one"))
                    .isInstanceOf(ClickHouseException.class)
                    .hasMessageContaining("clickhouse.example");
            assertThat(elsewhere.requests()).isEmpty();
        }
    }

    // ---- the worker, end to end

    @Test
    void aBackfillOverTlsToThanosAndClickHouseWritesEveryRow() {
        thanosTls.clearRequests();
        clickhouseTls.clearRequests();
        Worker.Result run = Worker.run(overTls(null), "backfill", "--from=2025-10-13", "--to=2025-10-14");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("2 tenants succeeded, 0 failed");
        List<JsonNode> rows = db.query("SELECT cloud_account_id, namespace, count() AS hours, sum(cost) AS cost"
                + " FROM k8s_expenses_current GROUP BY cloud_account_id, namespace ORDER BY cloud_account_id, namespace");
        assertThat(rows).extracting(r -> r.get("cloud_account_id").asString() + "/" + r.get("namespace").asString() + "/"
                + ClickHouseGateway.longValue(r.get("hours")))
                .containsExactly("acme/__unallocated__/24", "acme/a/24", "globex/__unallocated__/24", "globex/a/24");
        assertThat(rows).allSatisfy(r -> assertThat(r.get("cost").asDouble())
                .isCloseTo(r.get("namespace").asString().equals("a") ? 48 : 12, within(1e-9)));
        assertThat(thanosTls.requests()).as("Thanos was read through the TLS front").anyMatch(r -> r.contains("/api/v1/query"));
        assertThat(clickhouseTls.requests()).as("ClickHouse was written through the TLS front")
                .anyMatch(r -> r.contains("INSERT INTO k8s_expenses"));
    }

    @Test
    void withoutTheClientCertificateThanosRefusesTheWorkerAndTheRunSaysSo() {
        Worker.Result run = Worker.run(overTls("thanos.client-"), "backfill", "--from=2025-10-13", "--to=2025-10-14");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.err()).as(run.toString()).contains("thanos.client-cert-file").doesNotContain("\tat ");
    }

    @Test
    void withoutThanosCaFileTheRunFailsNamingIt() {
        Worker.Result run = Worker.run(overTls("thanos.ca-file"), "backfill", "--from=2025-10-13", "--to=2025-10-14");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.err()).as(run.toString()).contains("thanos.ca-file is not set").doesNotContain("\tat ");
    }

    @Test
    void withoutClickhouseCaFileTheRunFailsNamingIt() {
        Worker.Result run = Worker.run(overTls("clickhouse.ca-file"), "backfill", "--from=2025-10-13", "--to=2025-10-14");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.err()).as(run.toString()).contains("clickhouse.ca-file is not set").doesNotContain("\tat ");
    }

    // ---- bad TLS settings: exit 2 and one line naming the property, before anything is sent

    @Test
    void badTlsSettingsExitWithTwoAndOneLineNamingTheProperty() {
        Path missing = dir.resolve("missing.crt");
        Path otherKey = TestCa.write(dir.resolve("other.key"), CA.issue("other").privateKeyPkcs8Pem());
        Path text = TestCa.write(dir.resolve("notes.txt"), "not a certificate\n");
        List<String> servers = overTls(""); // the TLS fronts, no TLS option
        String http = "http://127.0.0.1:9";
        Map<String, List<String>> cases = Map.of(
                "thanos.ca-file " + missing + " does not exist", List.of("--thanos.ca-file=" + missing),
                "thanos.ca-file " + clientKey + " holds a private key", List.of("--thanos.ca-file=" + clientKey),
                "thanos.client-key-file does not match the certificate in thanos.client-cert-file",
                List.of("--thanos.client-cert-file=" + clientCert, "--thanos.client-key-file=" + otherKey),
                "thanos.client-key-file is required with thanos.client-cert-file", List.of("--thanos.client-cert-file=" + clientCert),
                "clickhouse.ca-file " + text + " holds no PEM certificate", List.of("--clickhouse.ca-file=" + text),
                "thanos.url must be an https URL", List.of("--thanos.ca-file=" + caFile, "--thanos.url=" + http),
                "clickhouse.url must be an https URL", List.of("--clickhouse.ca-file=" + caFile, "--clickhouse.url=" + http));
        thanosTls.clearRequests();
        clickhouseTls.clearRequests();
        cases.forEach((expected, options) -> {
            List<String> args = new ArrayList<>(servers);
            for (String option : options) {
                String name = option.substring(2, option.indexOf('='));
                if (args.stream().anyMatch(a -> a.startsWith("--" + name + "="))) {
                    args = new ArrayList<>(Worker.withOption(args, name, option.substring(option.indexOf('=') + 1)));
                } else {
                    args.add(option);
                }
            }
            Worker.Result run = Worker.run(args, "backfill", "--from=2025-10-13", "--to=2025-10-14");
            assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
            assertThat(run.out()).as(run.toString()).isEmpty();
            assertThat(run.err().lines()).as(run.toString()).singleElement().asString()
                    .startsWith("kubecost-worker: invalid configuration: " + expected.substring(0, expected.indexOf(' ')))
                    .contains(expected)
                    .doesNotContain("PRIVATE KEY-----")
                    .satisfies(line -> client.privateKeyPkcs8Pem().lines().filter(l -> !l.startsWith("-----"))
                            .forEach(keyLine -> assertThat(line).doesNotContain(keyLine)));
        });
        assertThat(thanosTls.requests()).as("nothing was sent to Thanos").isEmpty();
        assertThat(clickhouseTls.requests()).as("nothing was sent to ClickHouse").isEmpty();
    }
}
