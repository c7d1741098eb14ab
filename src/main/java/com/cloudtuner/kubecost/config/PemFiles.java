package com.cloudtuner.kubecost.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.boot.ssl.pem.PemContent;
import org.springframework.util.StringUtils;

/**
 * PEM certificates and private keys as a Kubernetes Secret mounts them ({@code tls.crt},
 * {@code tls.key}, {@code ca.crt}), parsed by Spring Boot's SSL bundle support ({@link PemContent}:
 * PKCS#8, PKCS#1 RSA and SEC1 EC keys). Every problem is an {@link IllegalArgumentException} whose
 * message starts with the property that names the file, says what is wrong in one line, and never
 * contains the file's content: Spring's own messages name neither the property nor the file, so the
 * checks an operator needs to act on come first, here.
 *
 * <p>Encrypted keys are refused: the Secret protects the key, and a password would be one more secret.
 */
public final class PemFiles {

    private static final String BEGIN_CERTIFICATE = "-----BEGIN CERTIFICATE-----";
    private static final String END_CERTIFICATE = "-----END CERTIFICATE-----";
    private static final Pattern PRIVATE_KEY = Pattern.compile("-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----");
    /** PKCS#8's encrypted form, and the legacy OpenSSL header of an encrypted PKCS#1 or SEC1 key. */
    private static final Pattern ENCRYPTED_KEY = Pattern.compile("-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type: *4, *ENCRYPTED");

    private PemFiles() {
    }

    /** An unset file property: null, empty or blank (an environment variable set to ""). */
    static String unsetIfBlank(String file) {
        return StringUtils.hasText(file) ? file : null;
    }

    /** Every {@code CERTIFICATE} block of a CA bundle; a private key in it is refused (the wrong file was mounted). */
    public static List<X509Certificate> caCertificates(String property, String file) {
        String text = read(property, file);
        if (PRIVATE_KEY.matcher(text).find()) {
            throw new IllegalArgumentException(property + " " + file + " holds a private key; give only the CA certificates"
                    + " (ca.crt, not tls.key)");
        }
        return certificates(property, file, text);
    }

    /** A certificate chain, the client's own certificate first; other blocks (a key in a combined file) are skipped. */
    public static List<X509Certificate> certificateChain(String property, String file) {
        return certificates(property, file, read(property, file));
    }

    /** The one unencrypted private key of the file. */
    public static PrivateKey privateKey(String property, String file) {
        String text = read(property, file);
        long keys = PRIVATE_KEY.matcher(text).results().count();
        if (keys == 0) {
            throw new IllegalArgumentException(property + " " + file + " holds no PEM private key"
                    + " (-----BEGIN PRIVATE KEY-----, RSA PRIVATE KEY or EC PRIVATE KEY)");
        }
        if (keys > 1) {
            throw new IllegalArgumentException(property + " " + file + " holds " + keys + " private keys; give one");
        }
        if (ENCRYPTED_KEY.matcher(text).find()) {
            throw new IllegalArgumentException(property + " " + file + " holds an encrypted private key; give it unencrypted"
                    + " (e.g. openssl pkcs8 -topk8 -nocrypt)");
        }
        try {
            return PemContent.of(text).getPrivateKey();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(property + " " + file + " holds a private key that cannot be read as PKCS#8,"
                    + " PKCS#1 RSA or SEC1 EC (" + firstLine(e.getMessage()) + ")");
        }
    }

    /**
     * Refuses a key that is not the private half of {@code certificate}'s public key (proved by
     * signing and verifying). Spring Boot has this check only behind its own bundle properties
     * ({@code verify-keys}), where it accepts a key of any certificate of the chain and does not say
     * which files disagree.
     */
    public static void requireKeyOf(String certProperty, X509Certificate certificate, String keyProperty, PrivateKey key) {
        String signatureAlgorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "EdDSA", "Ed25519", "Ed448" -> "EdDSA";
            default -> throw new IllegalArgumentException(keyProperty + " holds a " + key.getAlgorithm()
                    + " key; use an RSA, EC or EdDSA key");
        };
        PublicKey publicKey = certificate.getPublicKey();
        String mismatch = keyProperty + " does not match the certificate in " + certProperty
                + " (" + certificate.getSubjectX500Principal().getName() + ")";
        if (!family(publicKey.getAlgorithm()).equals(family(key.getAlgorithm()))) {
            throw new IllegalArgumentException(mismatch + ": a " + key.getAlgorithm() + " key for a "
                    + publicKey.getAlgorithm() + " certificate");
        }
        byte[] challenge = new byte[32];
        new SecureRandom().nextBytes(challenge);
        boolean matches;
        try {
            Signature sign = Signature.getInstance(signatureAlgorithm);
            sign.initSign(key);
            sign.update(challenge);
            Signature verify = Signature.getInstance(signatureAlgorithm);
            verify.initVerify(publicKey);
            verify.update(challenge);
            matches = verify.verify(sign.sign());
        } catch (GeneralSecurityException e) {
            matches = false; // e.g. an EC key on another curve than the certificate's
        }
        if (!matches) {
            throw new IllegalArgumentException(mismatch);
        }
    }

    private static String family(String keyAlgorithm) {
        return keyAlgorithm.startsWith("Ed") ? "EdDSA" : keyAlgorithm;
    }

    /**
     * The {@code CERTIFICATE} blocks, each parsed on its own so that a bad one can be named by its
     * place in the file; OpenSSL-only blocks such as {@code TRUSTED CERTIFICATE} are skipped.
     */
    private static List<X509Certificate> certificates(String property, String file, String text) {
        List<X509Certificate> certificates = new ArrayList<>();
        int begin = text.indexOf(BEGIN_CERTIFICATE);
        int end = begin < 0 ? -1 : text.indexOf(END_CERTIFICATE, begin);
        while (end >= 0) { // an unterminated block is no certificate
            end += END_CERTIFICATE.length();
            try {
                certificates.addAll(PemContent.of(text.substring(begin, end)).getCertificates());
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(property + " " + file + ": certificate " + (certificates.size() + 1)
                        + " cannot be read: " + firstLine(e.getMessage()));
            }
            begin = text.indexOf(BEGIN_CERTIFICATE, end);
            end = begin < 0 ? -1 : text.indexOf(END_CERTIFICATE, begin);
        }
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException(property + " " + file + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
        }
        return certificates;
    }

    private static String read(String property, String file) {
        Path path;
        try {
            path = Path.of(file);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException(property + " is not a valid path");
        }
        if (!Files.exists(path)) {
            throw new IllegalArgumentException(property + " " + file + " does not exist");
        }
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException(property + " " + file + " is not a file");
        }
        try {
            return Files.readString(path, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalArgumentException(property + " " + file + " cannot be read (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.strip().lines().findFirst().orElse("");
    }
}
