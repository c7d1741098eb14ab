package com.cloudtuner.kubecost.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.net.ssl.SSLSocketFactory;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;

/**
 * A certificate authority a test makes for itself, with the server and client certificates it
 * issues, written as the PEM files a Kubernetes Secret would mount ({@code ca.crt}, {@code tls.crt},
 * {@code tls.key}). Nothing is trusted by the JVM: a client trusts these only when told to.
 */
public final class TestCa {

    private final HeldCertificate root;

    public TestCa(String name) {
        this.root = new HeldCertificate.Builder().certificateAuthority(0).commonName(name).build();
    }

    public HeldCertificate root() {
        return root;
    }

    /** A server certificate for this machine's loopback names (the hosts of MockWebServer URLs). */
    public HeldCertificate server() {
        return issue("server", "localhost", "127.0.0.1", loopbackName());
    }

    /** A certificate signed by this CA for the given subject alternative names (none: a client certificate). */
    public HeldCertificate issue(String commonName, String... names) {
        HeldCertificate.Builder b = new HeldCertificate.Builder().commonName(commonName).signedBy(root);
        for (String n : names) {
            b.addSubjectAlternativeName(n);
        }
        return b.build();
    }

    /** An RSA client certificate (its key can also be written as PKCS#1). */
    public HeldCertificate rsaClient(String commonName) {
        return new HeldCertificate.Builder().commonName(commonName).signedBy(root).rsa2048().build();
    }

    /** TLS for a test server presenting {@code server}; when {@code clientCa} is given, client certificates it signed are trusted. */
    public static SSLSocketFactory serverSocketFactory(HeldCertificate server, TestCa clientCa) {
        HandshakeCertificates.Builder b = new HandshakeCertificates.Builder().heldCertificate(server);
        if (clientCa != null) {
            b.addTrustedCertificate(clientCa.root().certificate());
        }
        return b.build().sslSocketFactory();
    }

    /** The CA certificate as {@code dir/name}. */
    public Path writeCa(Path dir, String name) {
        return write(dir.resolve(name), root.certificatePem());
    }

    /** {@code held}'s certificate and its PKCS#8 key as {@code dir/prefix.crt} and {@code dir/prefix.key}; returns the certificate's path. */
    public static Path writeCertAndKey(Path dir, String prefix, HeldCertificate held) {
        write(dir.resolve(prefix + ".key"), held.privateKeyPkcs8Pem());
        return write(dir.resolve(prefix + ".crt"), held.certificatePem());
    }

    public static Path write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            return Files.writeString(file, text, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String loopbackName() {
        try {
            return InetAddress.getByName("localhost").getCanonicalHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
