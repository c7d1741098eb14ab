package com.cloudtuner.kubecost.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.cloudtuner.kubecost.testing.TestCa;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.ECPrivateKey;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.tls.HeldCertificate;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * The TLS file settings are checked when they are bound: each problem is one line that starts with
 * the property (so the start-up error path prints it whole) and never shows what the file holds.
 */
class TlsPropertiesTest {

    @TempDir
    Path dir;

    private final TestCa ca = new TestCa("kubecost test CA");
    private final HeldCertificate client = ca.issue("kubecost-worker");

    private Path file(String name, String text) {
        return TestCa.write(dir.resolve(name), text);
    }

    private static ThanosTlsProperties thanos(Path ca, Path cert, Path key) {
        return new ThanosTlsProperties(str(ca), str(cert), str(key));
    }

    private static String str(Path p) {
        return p == null ? null : p.toString();
    }

    /** The failure of {@code thanos(...)}: one line starting with {@code property}, without key material. */
    private AbstractThrowableAssert<?, ? extends Throwable> refused(Runnable bind, String property) {
        return assertThatThrownBy(bind::run).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(property + " ")
                .satisfies(e -> {
                    assertThat(e.getMessage()).doesNotContain("\n");
                    for (String line : client.privateKeyPkcs8Pem().lines().filter(l -> !l.startsWith("-----")).toList()) {
                        assertThat(e.getMessage()).doesNotContain(line);
                    }
                });
    }

    @Test
    void nothingSetIsTheDefaultAndBlankCountsAsUnset() {
        assertThat(ThanosTlsProperties.none().configured()).isFalse();
        assertThat(new ThanosTlsProperties("", " ", "").configured()).isFalse();
        assertThat(new ClickHouseTlsProperties("").caFile()).isNull();
    }

    @Test
    void acceptsACaBundleOfSeveralCertificates() {
        TestCa second = new TestCa("second CA");
        Path bundle = file("ca.crt", "# comment lines are fine\n" + ca.root().certificatePem() + second.root().certificatePem());
        ThanosTlsProperties tls = thanos(bundle, null, null);
        assertThat(tls.configured()).isTrue();
        assertThat(tls.caCertificates()).extracting(c -> c.getSubjectX500Principal().getName())
                .containsExactly("CN=kubecost test CA", "CN=second CA");
        assertThat(new ClickHouseTlsProperties(bundle.toString()).caFile()).isEqualTo(bundle.toString());
    }

    @Test
    void aMissingFileOrADirectoryIsRefusedNamingTheProperty() {
        Path missing = dir.resolve("nope/ca.crt");
        refused(() -> thanos(missing, null, null), "thanos.ca-file").hasMessageContaining(missing + " does not exist");
        refused(() -> new ClickHouseTlsProperties(missing.toString()), "clickhouse.ca-file").hasMessageContaining("does not exist");
        refused(() -> thanos(dir, null, null), "thanos.ca-file").hasMessageContaining("is not a file");
        Path cert = TestCa.writeCertAndKey(dir, "tls", client);
        refused(() -> thanos(null, missing, dir.resolve("tls.key")), "thanos.client-cert-file").hasMessageContaining("does not exist");
        refused(() -> thanos(null, cert, missing), "thanos.client-key-file").hasMessageContaining("does not exist");
    }

    @Test
    void aFileWithoutACertificateIsRefused() {
        refused(() -> thanos(file("empty.crt", ""), null, null), "thanos.ca-file").hasMessageContaining("holds no PEM certificate");
        refused(() -> new ClickHouseTlsProperties(file("text.crt", "hello\n").toString()), "clickhouse.ca-file")
                .hasMessageContaining("holds no PEM certificate");
        // the key mounted where the CA belongs: refused, and the key is not echoed
        refused(() -> thanos(file("tls.key", client.privateKeyPkcs8Pem()), null, null), "thanos.ca-file")
                .hasMessageContaining("holds a private key");
        Path corrupt = file("corrupt.crt", "-----BEGIN CERTIFICATE-----\nTUlJQm9ndXM=\n-----END CERTIFICATE-----\n");
        refused(() -> thanos(corrupt, null, null), "thanos.ca-file").hasMessageContaining("certificate 1 cannot be read");
        refused(() -> thanos(null, file("key-only.crt", client.privateKeyPkcs8Pem()), file("tls.key", client.privateKeyPkcs8Pem())),
                "thanos.client-cert-file").hasMessageContaining("holds no PEM certificate");
    }

    @Test
    void aClientCertificateNeedsItsKeyAndTheKeyAlone() {
        Path cert = TestCa.writeCertAndKey(dir, "tls", client);
        Path key = dir.resolve("tls.key");
        refused(() -> thanos(null, cert, null), "thanos.client-key-file").hasMessageContaining("required with thanos.client-cert-file");
        refused(() -> thanos(null, null, key), "thanos.client-cert-file").hasMessageContaining("required with thanos.client-key-file");
        refused(() -> thanos(null, cert, file("cert-as-key.pem", client.certificatePem())), "thanos.client-key-file")
                .hasMessageContaining("holds no PEM private key");
        refused(() -> thanos(null, cert, file("two.key", client.privateKeyPkcs8Pem() + client.privateKeyPkcs8Pem())),
                "thanos.client-key-file").hasMessageContaining("holds 2 private keys");
        refused(() -> thanos(null, cert, file("enc.key", "-----BEGIN ENCRYPTED PRIVATE KEY-----\nTUlJQm9ndXM=\n-----END ENCRYPTED PRIVATE KEY-----\n")),
                "thanos.client-key-file").hasMessageContaining("encrypted");
        refused(() -> thanos(null, cert, file("legacy.key", "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n"
                + "DEK-Info: AES-128-CBC,00000000000000000000000000000000\n\nTUlJQm9ndXM=\n-----END RSA PRIVATE KEY-----\n")),
                "thanos.client-key-file").hasMessageContaining("encrypted");
    }

    @Test
    void aKeyOfAnotherCertificateIsRefused() {
        Path cert = TestCa.writeCertAndKey(dir, "tls", client);
        HeldCertificate otherEc = ca.issue("other");
        HeldCertificate otherRsa = ca.rsaClient("other-rsa");
        refused(() -> thanos(null, cert, file("other.key", otherEc.privateKeyPkcs8Pem())), "thanos.client-key-file")
                .hasMessage("thanos.client-key-file does not match the certificate in thanos.client-cert-file (CN=kubecost-worker)");
        refused(() -> thanos(null, cert, file("rsa.key", otherRsa.privateKeyPkcs1Pem())), "thanos.client-key-file")
                .hasMessageContaining("does not match").hasMessageContaining("a RSA key for a EC certificate");
    }

    @Test
    void readsTheKeyEncodingsKubernetesSecretsHold() throws Exception {
        // PKCS#8 (openssl 3, cert-manager with encoding PKCS8) and PKCS#1 (cert-manager's default for RSA)
        Path cert = TestCa.writeCertAndKey(dir, "tls", client);
        assertThat(thanos(null, cert, dir.resolve("tls.key")).clientKey().getAlgorithm()).isEqualTo("EC");
        HeldCertificate rsa = ca.rsaClient("rsa-client");
        Path rsaCert = file("rsa.crt", rsa.certificatePem());
        ThanosTlsProperties pkcs1 = thanos(null, rsaCert, file("rsa.key", rsa.privateKeyPkcs1Pem()));
        assertThat(pkcs1.clientKey()).isEqualTo(rsa.keyPair().getPrivate());
        // one file holding both, as some tools write it
        Path combined = file("combined.pem", rsa.certificatePem() + rsa.privateKeyPkcs1Pem());
        assertThat(thanos(null, combined, combined).clientCertificateChain()).hasSize(1);
        // SEC1 (cert-manager's default for ECDSA), converted by openssl from the PKCS#8 key
        Path sec1 = dir.resolve("sec1.key");
        assumeTrue(openssl("ec", "-in", dir.resolve("tls.key").toString(), "-out", sec1.toString()), "openssl is not installed");
        assertThat(Files.readString(sec1)).startsWith("-----BEGIN EC PRIVATE KEY-----");
        // (constructing it proved the key matches the certificate; the same secret scalar, too)
        assertThat(((ECPrivateKey) thanos(null, cert, sec1).clientKey()).getS())
                .isEqualTo(((ECPrivateKey) client.keyPair().getPrivate()).getS());
    }

    @Test
    void environmentVariablesBindThroughSpringBootsRelaxedBinding() {
        Path caFile = file("ca.crt", ca.root().certificatePem());
        Path cert = TestCa.writeCertAndKey(dir, "tls", client);
        Binder binder = binder(Map.of("THANOS_CA_FILE", caFile.toString(), "THANOS_CLIENT_CERT_FILE", cert.toString(),
                "THANOS_CLIENT_KEY_FILE", dir.resolve("tls.key").toString(), "CLICKHOUSE_CA_FILE", caFile.toString()));
        assertThat(binder.bindOrCreate("thanos", ThanosTlsProperties.class))
                .isEqualTo(thanos(caFile, cert, dir.resolve("tls.key")));
        assertThat(binder.bindOrCreate("clickhouse", ClickHouseTlsProperties.class).caFile()).isEqualTo(caFile.toString());
        assertThat(binder(Map.of("THANOS_CA_FILE", "")).bindOrCreate("thanos", ThanosTlsProperties.class).configured()).isFalse();
    }

    private static Binder binder(Map<String, Object> env) {
        MutablePropertySources sources = new MutablePropertySources();
        sources.addFirst(new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, env));
        return new Binder(ConfigurationPropertySources.from(sources));
    }

    private static boolean openssl(String... args) throws IOException, InterruptedException {
        if (!Files.isExecutable(Path.of("/usr/bin/openssl"))) {
            return false;
        }
        List<String> command = new java.util.ArrayList<>(List.of("/usr/bin/openssl"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("openssl did not finish");
        }
        return p.exitValue() == 0;
    }
}
