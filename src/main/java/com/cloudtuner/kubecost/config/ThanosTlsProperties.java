package com.cloudtuner.kubecost.config;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.pem.PemSslStore;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;

/**
 * {@code thanos.ca-file}, {@code thanos.client-cert-file}, {@code thanos.client-key-file}: PEM files
 * for HTTPS to Thanos (a CA bundle that replaces the JVM's trusted CAs, and a client certificate with
 * its key). All unset: plain HTTP, or HTTPS trusting the JVM's CAs. Checked at start-up, so a
 * missing file, a file without a certificate or a key of another certificate stops the worker
 * with exit code 2 before it sends anything.
 */
@ConfigurationProperties("thanos")
public record ThanosTlsProperties(String caFile, String clientCertFile, String clientKeyFile) {

    public ThanosTlsProperties {
        caFile = PemFiles.unsetIfBlank(caFile);
        clientCertFile = PemFiles.unsetIfBlank(clientCertFile);
        clientKeyFile = PemFiles.unsetIfBlank(clientKeyFile);
        if (clientCertFile != null && clientKeyFile == null) {
            throw new IllegalArgumentException("thanos.client-key-file is required with thanos.client-cert-file");
        }
        if (clientKeyFile != null && clientCertFile == null) {
            throw new IllegalArgumentException("thanos.client-cert-file is required with thanos.client-key-file");
        }
        if (caFile != null) {
            PemFiles.caCertificates("thanos.ca-file", caFile);
        }
        if (clientCertFile != null) {
            X509Certificate own = PemFiles.certificateChain("thanos.client-cert-file", clientCertFile).get(0);
            PrivateKey key = PemFiles.privateKey("thanos.client-key-file", clientKeyFile);
            PemFiles.requireKeyOf("thanos.client-cert-file", own, "thanos.client-key-file", key);
        }
    }

    /** No TLS settings: the JVM's defaults. */
    public static ThanosTlsProperties none() {
        return new ThanosTlsProperties(null, null, null);
    }

    public boolean configured() {
        return caFile != null || clientCertFile != null;
    }

    /**
     * These settings as a Spring Boot SSL bundle: the CAs of thanos.ca-file as its trust store (none:
     * the JVM's trusted CAs), the client certificate chain with its key as its key store (none: no
     * client certificate).
     */
    public SslBundle sslBundle() {
        // PKCS12 explicitly: it holds a key without a password (the store lives in memory only),
        // whatever keystore.type the JVM is configured with
        PemSslStore trusted = caFile == null ? null : PemSslStore.of("PKCS12", caCertificates(), null);
        PemSslStore own = clientCertFile == null ? null : PemSslStore.of("PKCS12", clientCertificateChain(), clientKey());
        return SslBundle.of(new PemSslStoreBundle(own, trusted));
    }

    public List<X509Certificate> caCertificates() {
        return caFile == null ? List.of() : PemFiles.caCertificates("thanos.ca-file", caFile);
    }

    public List<X509Certificate> clientCertificateChain() {
        return clientCertFile == null ? List.of() : PemFiles.certificateChain("thanos.client-cert-file", clientCertFile);
    }

    public PrivateKey clientKey() {
        return clientKeyFile == null ? null : PemFiles.privateKey("thanos.client-key-file", clientKeyFile);
    }
}
