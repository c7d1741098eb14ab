package com.cloudtuner.kubecost.thanos;

import com.cloudtuner.kubecost.config.ThanosProperties;
import com.cloudtuner.kubecost.config.ThanosTlsProperties;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Response;

/**
 * HTTPS to Thanos: the CA bundle of {@code thanos.ca-file} as the only trusted CAs (the JVM's
 * otherwise), the client certificate of {@code thanos.client-cert-file} and its key, host names
 * verified as always. A failed handshake says which setting to look at.
 */
final class ThanosTls {

    private ThanosTls() {
    }

    /** {@code http}, set up for the TLS settings (unchanged for an http URL). */
    static OkHttpClient.Builder configure(OkHttpClient.Builder http, ThanosProperties props, ThanosTlsProperties tls) {
        boolean https = "https".equals(props.url().getScheme());
        if (tls.configured() && !https) {
            throw new IllegalArgumentException("thanos.url must be an https URL when thanos.ca-file or thanos.client-cert-file is set");
        }
        if (!https) {
            return http;
        }
        http.addInterceptor(new HandshakeHint(tls));
        if (!tls.configured()) {
            return http;
        }
        try {
            X509TrustManager trust = trustManager(tls.caCertificates());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers(tls), new TrustManager[] {trust}, null);
            return http.sslSocketFactory(context.getSocketFactory(), trust);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException((tls.clientCertFile() != null ? "thanos.client-cert-file" : "thanos.ca-file")
                    + " cannot be used for TLS: " + e.getMessage());
        }
    }

    /** Trusts exactly {@code cas}; none given: the JVM's trusted CAs. */
    private static X509TrustManager trustManager(List<X509Certificate> cas) throws GeneralSecurityException, IOException {
        KeyStore store = null;
        if (!cas.isEmpty()) {
            store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            for (int i = 0; i < cas.size(); i++) {
                store.setCertificateEntry("ca-" + i, cas.get(i));
            }
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        for (TrustManager m : factory.getTrustManagers()) {
            if (m instanceof X509TrustManager x) {
                return x;
            }
        }
        throw new GeneralSecurityException("no X509TrustManager");
    }

    /** The client certificate and its key; none configured: null, the JVM's default (no client certificate). */
    private static KeyManager[] keyManagers(ThanosTlsProperties tls) throws GeneralSecurityException, IOException {
        List<X509Certificate> chain = tls.clientCertificateChain();
        if (chain.isEmpty()) {
            return null;
        }
        char[] password = new char[16]; // protects the in-memory key store only
        SecureRandom random = new SecureRandom();
        for (int i = 0; i < password.length; i++) {
            password[i] = (char) ('a' + random.nextInt(26));
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("client", tls.clientKey(), password, chain.toArray(X509Certificate[]::new));
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(store, password);
        return factory.getKeyManagers();
    }

    /** Re-throws a TLS failure with the settings that decide it named; still an IOException, so a network error. */
    private record HandshakeHint(ThanosTlsProperties tls) implements Interceptor {
        @Override
        public Response intercept(Chain chain) throws IOException {
            try {
                return chain.proceed(chain.request());
            } catch (SSLPeerUnverifiedException e) {
                throw chained(new SSLPeerUnverifiedException(text(e) + " (the server's certificate is not issued for the host"
                        + " of thanos.url)"), e);
            } catch (SSLHandshakeException e) {
                throw chained(new SSLHandshakeException(text(e) + " (" + hint() + ")"), e);
            } catch (SSLException e) {
                throw chained(new SSLException(text(e) + " (" + hint() + ")"), e);
            }
        }

        private String hint() {
            String ca = tls.caFile() == null
                    ? "thanos.ca-file is not set, so only the JVM's trusted CAs are accepted"
                    : "the server's certificate must be signed by a CA in thanos.ca-file";
            String client = tls.clientCertFile() == null
                    ? "; a server that requires a client certificate needs thanos.client-cert-file and thanos.client-key-file"
                    : "; the server must accept the certificate in thanos.client-cert-file";
            return ca + client;
        }

        private static String text(SSLException e) {
            return "TLS with thanos.url failed: " + e.getMessage();
        }

        private static <T extends SSLException> T chained(T replacement, SSLException cause) {
            replacement.initCause(cause);
            return replacement;
        }
    }
}
