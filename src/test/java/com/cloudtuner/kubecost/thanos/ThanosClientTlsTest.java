package com.cloudtuner.kubecost.thanos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.cloudtuner.kubecost.config.ThanosProperties;
import com.cloudtuner.kubecost.config.ThanosTlsProperties;
import com.cloudtuner.kubecost.testing.TestCa;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Thanos client over HTTPS to a MockWebServer whose certificate a CA made by the test signed:
 * trusted only through thanos.ca-file, host names verified, a client certificate presented when
 * thanos.client-cert-file is set. Each failure is a {@link ThanosQueryException} naming the setting.
 */
class ThanosClientTlsTest {

    private static final Instant START = Instant.parse("2025-10-13T00:00:00Z");
    private static final String VALUES = "{\"status\":\"success\",\"data\":[\"acme\",\"globex\"]}";

    @TempDir
    Path dir;

    private final TestCa ca = new TestCa("kubecost test CA");
    private final TestCa stranger = new TestCa("some other CA");
    private MockWebServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** An HTTPS server presenting {@code certificate}; with {@code clientCa}, it requires a client certificate that CA signed. */
    private MockWebServer httpsServer(HeldCertificate certificate, TestCa clientCa) throws IOException {
        server = new MockWebServer();
        server.useHttps(TestCa.serverSocketFactory(certificate, clientCa));
        if (clientCa != null) {
            server.requireClientAuth();
        }
        server.start();
        server.enqueue(new MockResponse.Builder().setHeader("Content-Type", "application/json").body(VALUES).build());
        return server;
    }

    private ThanosClient client(String url, ThanosTlsProperties tls) {
        return new ThanosClient(new ThanosProperties(URI.create(url), null, null, null, List.of(), Duration.ofSeconds(5), "0s",
                0, Duration.ofMillis(1)), tls);
    }

    private ThanosClient client(ThanosTlsProperties tls) {
        return client(server.url("/").toString(), tls);
    }

    private List<String> tenants(ThanosClient c) {
        return c.labelValues("tenant_id", "{__name__=~\"x.+\"}", START, START.plusSeconds(3600));
    }

    private ThanosTlsProperties caOnly(TestCa which) {
        return new ThanosTlsProperties(which.writeCa(dir, "ca-" + which.hashCode() + ".crt").toString(), null, null);
    }

    private ThanosTlsProperties withClient(TestCa which, HeldCertificate clientCertificate) {
        Path cert = TestCa.writeCertAndKey(dir, "client-" + clientCertificate.hashCode(), clientCertificate);
        String key = cert.toString().replaceAll("\\.crt$", ".key");
        return new ThanosTlsProperties(which.writeCa(dir, "ca.crt").toString(), cert.toString(), key);
    }

    @Test
    void trustsTheServerThroughThanosCaFile() throws Exception {
        httpsServer(ca.server(), null);
        assertThat(server.url("/").isHttps()).isTrue();

        assertThat(tenants(client(caOnly(ca)))).containsExactly("acme", "globex");

        RecordedRequest request = server.takeRequest(1, TimeUnit.SECONDS);
        assertThat(request.getHandshake()).as("the request came over TLS").isNotNull();
        assertThat(request.getHandshake().peerCertificates()).as("no client certificate was presented").isEmpty();
    }

    @Test
    void withoutTheCaTheServerIsNotTrustedAndTheErrorNamesThanosCaFile() throws Exception {
        httpsServer(ca.server(), null);

        assertThatThrownBy(() -> tenants(client(ThanosTlsProperties.none())))
                .isInstanceOf(ThanosQueryException.class)
                .hasMessageContaining("label values of tenant_id")
                .hasMessageContaining("unable to find valid certification path")
                .hasMessageContaining("thanos.ca-file is not set, so only the JVM's trusted CAs are accepted")
                .satisfies(e -> assertThat(((ThanosQueryException) e).unanswered()).isTrue());
        assertThat(server.getRequestCount()).as("no request reached the server").isZero();
    }

    @Test
    void aCaFileOfAnotherCaDoesNotTrustTheServer() throws Exception {
        httpsServer(ca.server(), null);

        assertThatThrownBy(() -> tenants(client(caOnly(stranger))))
                .isInstanceOf(ThanosQueryException.class)
                .hasMessageContaining("the server's certificate must be signed by a CA in thanos.ca-file");
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void theCaFileReplacesTheJvmsCasAndHostNamesAreStillVerified() throws Exception {
        httpsServer(ca.issue("thanos", "thanos.monitoring.example"), null);

        assertThatThrownBy(() -> tenants(client(caOnly(ca))))
                .isInstanceOf(ThanosQueryException.class)
                .hasMessageContaining("not verified")
                .hasMessageContaining("the server's certificate is not issued for the host of thanos.url");
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void presentsTheClientCertificateAServerRequires() throws Exception {
        httpsServer(ca.server(), ca);
        HeldCertificate worker = ca.issue("kubecost-worker");

        assertThat(tenants(client(withClient(ca, worker)))).containsExactly("acme", "globex");

        RecordedRequest request = server.takeRequest(1, TimeUnit.SECONDS);
        assertThat(request.getHandshake().peerPrincipal().getName()).isEqualTo("CN=kubecost-worker");
    }

    @Test
    void anRsaClientKeyInPkcs1WorksToo() throws Exception {
        httpsServer(ca.server(), ca);
        HeldCertificate rsa = ca.rsaClient("kubecost-worker-rsa");
        Path cert = TestCa.write(dir.resolve("tls.crt"), rsa.certificatePem());
        Path key = TestCa.write(dir.resolve("tls.key"), rsa.privateKeyPkcs1Pem());

        assertThat(tenants(client(new ThanosTlsProperties(ca.writeCa(dir, "ca.crt").toString(), cert.toString(), key.toString()))))
                .containsExactly("acme", "globex");
        assertThat(server.takeRequest(1, TimeUnit.SECONDS).getHandshake().peerPrincipal().getName()).isEqualTo("CN=kubecost-worker-rsa");
    }

    @Test
    void aServerRequiringAClientCertificateRefusesAClientWithoutOne() throws Exception {
        httpsServer(ca.server(), ca);

        assertThatThrownBy(() -> tenants(client(caOnly(ca))))
                .isInstanceOf(ThanosQueryException.class)
                .satisfies(ThanosClientTlsTest::refusedByTheServer);
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void aServerRefusesAClientCertificateOfACaItDoesNotTrust() throws Exception {
        httpsServer(ca.server(), ca);

        assertThatThrownBy(() -> tenants(client(withClient(ca, stranger.issue("kubecost-worker")))))
                .isInstanceOf(ThanosQueryException.class)
                .satisfies(ThanosClientTlsTest::refusedByTheServer);
        assertThat(server.getRequestCount()).isZero();
    }

    /**
     * A server that refuses the client's certificate (or its absence) does so after the client's
     * side of a TLS 1.3 handshake is done: the client sees the server's alert when it arrives in
     * time, else the connection closing under it. Either way the request fails as a network error,
     * never as an answer, and the message names the client certificate setting.
     */
    private static void refusedByTheServer(Throwable e) {
        assertThat(((ThanosQueryException) e).unanswered()).as(e.toString()).isTrue();
        assertThat(e.getMessage()).contains("thanos.client-cert-file");
    }

    @Test
    void tlsFilesWithAPlainHttpUrlAreAConfigurationError() {
        assertThatThrownBy(() -> client("http://127.0.0.1:9/", caOnly(ca)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("thanos.url must be an https URL when thanos.ca-file or thanos.client-cert-file is set");
    }
}
