package com.cloudtuner.kubecost.config;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PEM certificates and private keys as a Kubernetes Secret mounts them ({@code tls.crt},
 * {@code tls.key}, {@code ca.crt}), read with the JDK alone. Every problem is an
 * {@link IllegalArgumentException} whose message starts with the property that names the file,
 * says what is wrong in one line, and never contains the file's content.
 *
 * <p>Private keys: PKCS#8 ({@code BEGIN PRIVATE KEY}), PKCS#1 RSA ({@code BEGIN RSA PRIVATE KEY})
 * and SEC1 EC ({@code BEGIN EC PRIVATE KEY}), the encodings cert-manager and openssl write;
 * encrypted keys are refused (the Secret protects the key, and a password would be one more secret).
 */
public final class PemFiles {

    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\r?\\n(.*?)-----END \\1-----", Pattern.DOTALL);
    private static final byte[] RSA_ENCRYPTION = {0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01};
    private static final byte[] EC_PUBLIC_KEY = {0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01};
    private static final String[] KEY_ALGORITHMS = {"RSA", "EC", "EdDSA", "RSASSA-PSS"};

    private PemFiles() {
    }

    /** An unset file property: null, empty or blank (an environment variable set to ""). */
    static String unsetIfBlank(String file) {
        return file == null || file.isBlank() ? null : file;
    }

    /** Every {@code CERTIFICATE} block of a CA bundle; a private key in it is refused (the wrong file was mounted). */
    public static List<X509Certificate> caCertificates(String property, String file) {
        String text = read(property, file);
        if (!blocks(text, "PRIVATE KEY").isEmpty()) {
            throw new IllegalArgumentException(property + " " + file + " holds a private key; give only the CA certificates"
                    + " (ca.crt, not tls.key)");
        }
        return certificates(property, file, text);
    }

    /** A certificate chain, the client's own certificate first; other blocks (a key in a combined file) are skipped. */
    public static List<X509Certificate> certificateChain(String property, String file) {
        return certificates(property, file, read(property, file));
    }

    /** The one private key of the file. */
    public static PrivateKey privateKey(String property, String file) {
        String text = read(property, file);
        List<String[]> keys = blocks(text, "PRIVATE KEY");
        if (keys.isEmpty()) {
            throw new IllegalArgumentException(property + " " + file + " holds no PEM private key"
                    + " (-----BEGIN PRIVATE KEY-----, RSA PRIVATE KEY or EC PRIVATE KEY)");
        }
        if (keys.size() > 1) {
            throw new IllegalArgumentException(property + " " + file + " holds " + keys.size() + " private keys; give one");
        }
        String label = keys.get(0)[0];
        String body = keys.get(0)[1];
        if (label.equals("ENCRYPTED PRIVATE KEY") || body.contains("ENCRYPTED")) {
            throw new IllegalArgumentException(property + " " + file + " holds an encrypted private key; give it unencrypted"
                    + " (e.g. openssl pkcs8 -topk8 -nocrypt)");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(body);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(property + " " + file + " holds a " + label + " that is not valid base64");
        }
        byte[] pkcs8 = switch (label) {
            case "PRIVATE KEY" -> der;
            case "RSA PRIVATE KEY" -> sequence(new byte[] {0x02, 0x01, 0x00}, sequence(RSA_ENCRYPTION, new byte[] {0x05, 0x00}),
                    tlv(0x04, der));
            case "EC PRIVATE KEY" -> {
                byte[] curve = sec1Curve(der);
                if (curve == null) {
                    throw new IllegalArgumentException(property + " " + file + " holds an EC PRIVATE KEY without its curve;"
                            + " convert it to PKCS#8 (openssl pkcs8 -topk8 -nocrypt)");
                }
                yield sequence(new byte[] {0x02, 0x01, 0x00}, sequence(EC_PUBLIC_KEY, curve), tlv(0x04, der));
            }
            default -> throw new IllegalArgumentException(property + " " + file + " holds a " + label
                    + ", not a PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY");
        };
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            } catch (GeneralSecurityException | RuntimeException e) {
                // not this algorithm; try the next
            }
        }
        throw new IllegalArgumentException(property + " " + file + " holds a " + label
                + " that cannot be read as an RSA, EC or EdDSA key");
    }

    /** Refuses a key that is not the private half of {@code certificate}'s public key (proved by signing and verifying). */
    public static void requireKeyOf(String certProperty, X509Certificate certificate, String keyProperty, PrivateKey key) {
        PublicKey publicKey = certificate.getPublicKey();
        String mismatch = keyProperty + " does not match the certificate in " + certProperty
                + " (" + certificate.getSubjectX500Principal().getName() + ")";
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "EdDSA", "Ed25519", "Ed448" -> "EdDSA";
            default -> null;
        };
        if (algorithm == null) {
            throw new IllegalArgumentException(keyProperty + " holds a " + key.getAlgorithm() + " key; use an RSA, EC or EdDSA key");
        }
        if (!normalized(publicKey.getAlgorithm()).equals(normalized(key.getAlgorithm()))) {
            throw new IllegalArgumentException(mismatch + ": a " + key.getAlgorithm() + " key for a "
                    + publicKey.getAlgorithm() + " certificate");
        }
        byte[] challenge = new byte[32];
        new SecureRandom().nextBytes(challenge);
        boolean matches;
        try {
            Signature sign = Signature.getInstance(algorithm);
            sign.initSign(key);
            sign.update(challenge);
            byte[] signature = sign.sign();
            Signature verify = Signature.getInstance(algorithm);
            verify.initVerify(publicKey);
            verify.update(challenge);
            matches = verify.verify(signature);
        } catch (GeneralSecurityException e) {
            matches = false; // e.g. an EC key on another curve than the certificate's
        }
        if (!matches) {
            throw new IllegalArgumentException(mismatch);
        }
    }

    private static String normalized(String algorithm) {
        return algorithm.startsWith("Ed") ? "EdDSA" : algorithm;
    }

    private static List<X509Certificate> certificates(String property, String file, String text) {
        List<String[]> blocks = blocks(text, "CERTIFICATE");
        List<X509Certificate> certificates = new ArrayList<>();
        for (String[] block : blocks) {
            if (!block[0].equals("CERTIFICATE")) {
                continue; // TRUSTED CERTIFICATE and the like are OpenSSL-only formats
            }
            try {
                CertificateFactory factory = CertificateFactory.getInstance("X.509");
                certificates.add((X509Certificate) factory.generateCertificate(
                        new ByteArrayInputStream(Base64.getMimeDecoder().decode(block[1]))));
            } catch (CertificateException | IllegalArgumentException e) {
                throw new IllegalArgumentException(property + " " + file + ": certificate " + (certificates.size() + 1)
                        + " cannot be read: " + firstLine(e.getMessage()));
            }
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

    /** {label, base64 body} of each PEM block whose label ends with {@code suffix}. */
    private static List<String[]> blocks(String text, String suffix) {
        List<String[]> blocks = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            if (m.group(1).endsWith(suffix)) {
                blocks.add(new String[] {m.group(1), m.group(2)});
            }
        }
        return blocks;
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.strip().lines().findFirst().orElse("");
    }

    /** The curve OID (a whole TLV) of a SEC1 ECPrivateKey: SEQUENCE { version, privateKey, [0] parameters, ... }. */
    private static byte[] sec1Curve(byte[] der) {
        try {
            int[] outer = header(der, 0);
            if (der[0] != 0x30) {
                return null;
            }
            int at = outer[0];
            int end = outer[0] + outer[1];
            while (at < end) {
                int[] h = header(der, at);
                if ((der[at] & 0xff) == 0xa0) {
                    int inner = h[0];
                    int[] oid = header(der, inner);
                    if (der[inner] != 0x06) {
                        return null;
                    }
                    return Arrays.copyOfRange(der, inner, oid[0] + oid[1]);
                }
                at = h[0] + h[1];
            }
            return null;
        } catch (ArrayIndexOutOfBoundsException e) {
            return null;
        }
    }

    /** {offset of the content, content length} of the TLV at {@code at}. */
    private static int[] header(byte[] der, int at) {
        int length = der[at + 1] & 0xff;
        int content = at + 2;
        if (length > 0x80) {
            int n = length - 0x80;
            length = 0;
            for (int i = 0; i < n; i++) {
                length = (length << 8) | (der[content + i] & 0xff);
            }
            content += n;
        }
        return new int[] {content, length};
    }

    private static byte[] sequence(byte[]... parts) {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            content.writeBytes(p);
        }
        return tlv(0x30, content.toByteArray());
    }

    private static byte[] tlv(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int n = content.length;
        if (n < 0x80) {
            out.write(n);
        } else {
            int bytes = (32 - Integer.numberOfLeadingZeros(n) + 7) / 8;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                out.write(n >>> (8 * i));
            }
        }
        out.writeBytes(content);
        return out.toByteArray();
    }
}
