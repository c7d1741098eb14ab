package com.cloudtuner.kubecost.thanos;

import com.cloudtuner.kubecost.config.ThanosProperties;
import com.cloudtuner.kubecost.config.ThanosTlsProperties;
import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509TrustManager;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Response;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslManagerBundle;

/**
 * HTTPS to Thanos with the trust and key managers of the settings' Spring Boot SSL bundle
 * ({@link ThanosTlsProperties#sslBundle()}: the CAs of {@code thanos.ca-file}, else the JVM's; the
 * client certificate of {@code thanos.client-cert-file} and its key), host names verified as
 * always. A failure says which setting to look at; it stays an IOException, so the client reports
 * it like any network error.
 *
 * <p>In TLS 1.3 a server refuses a client certificate (or its absence) only after the client's side
 * of the handshake is done, so the client often sees no TLS error at all, just the connection
 * closing. The key manager therefore notes when a server asked for a client certificate and what it
 * got, and a connection that breaks before any answer since then is reported with that note.
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
        SslManagerBundle managers = tls.sslBundle().getManagers();
        try {
            X509TrustManager trust = managerOf(X509TrustManager.class, managers.getTrustManagers());
            // Spring's key manager holds no key without a client certificate; "none" keeps the hint exact
            ClientCertificates keys = new ClientCertificates(tls.clientCertFile() == null ? null
                    : managerOf(X509ExtendedKeyManager.class, managers.getKeyManagers()));
            SSLContext context = SSLContext.getInstance(SslBundle.DEFAULT_PROTOCOL);
            context.init(new KeyManager[] {keys}, new TrustManager[] {trust}, null);
            return http.sslSocketFactory(context.getSocketFactory(), trust)
                    .addInterceptor(new HandshakeHint(tls, keys));
        } catch (GeneralSecurityException | IllegalStateException e) {
            throw new IllegalArgumentException((tls.clientCertFile() != null ? "thanos.client-cert-file" : "thanos.ca-file")
                    + " cannot be used for TLS: " + e.getMessage());
        }
    }

    /** The manager of {@code type} among those of a factory (the JDK's give one of each kind). */
    private static <T> T managerOf(Class<T> type, Object[] managers) {
        return Arrays.stream(managers).filter(type::isInstance).map(type::cast).findFirst()
                .orElseThrow(() -> new IllegalStateException("no " + type.getSimpleName()));
    }

    /**
     * The client side of a key manager (or none) that notes when a server asked for a client
     * certificate and whether it got one, until the next answer; what a broken connection is
     * then most likely about.
     */
    static final class ClientCertificates extends X509ExtendedKeyManager {
        private final X509ExtendedKeyManager delegate;
        private volatile String unansweredRequest;

        ClientCertificates(X509ExtendedKeyManager delegate) {
            this.delegate = delegate;
        }

        /** Why the connection may have broken, when a server asked for a client certificate since the last answer; else null. */
        String unansweredRequest() {
            return unansweredRequest;
        }

        void answered() {
            unansweredRequest = null;
        }

        private String asked(String alias) {
            unansweredRequest = delegate == null
                    ? "the server asked for a client certificate, and thanos.client-cert-file is not set"
                    : alias == null
                            ? "the server asked for a client certificate of a CA it trusts, and the one in thanos.client-cert-file is not"
                            : "the server asked for a client certificate and may have refused the one in thanos.client-cert-file";
            return alias;
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return asked(delegate == null ? null : delegate.chooseClientAlias(keyType, issuers, socket));
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
            return asked(delegate == null ? null : delegate.chooseEngineClientAlias(keyType, issuers, engine));
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return delegate == null ? null : delegate.getClientAliases(keyType, issuers);
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return delegate == null ? null : delegate.getCertificateChain(alias);
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return delegate == null ? null : delegate.getPrivateKey(alias);
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return null;
        }
    }

    /** A TLS failure, or a connection broken after a request for a client certificate, re-thrown with the settings to check named. */
    private record HandshakeHint(ThanosTlsProperties tls, ClientCertificates keys) implements Interceptor {
        @Override
        public Response intercept(Chain chain) throws IOException {
            try {
                Response response = chain.proceed(chain.request());
                keys.answered();
                return response;
            } catch (SSLPeerUnverifiedException e) {
                throw chained(new SSLPeerUnverifiedException(text(e) + " (the server's certificate is not issued for the host"
                        + " of thanos.url)"), e);
            } catch (SSLHandshakeException e) {
                throw chained(new SSLHandshakeException(text(e) + " (" + hint(e) + ")"), e);
            } catch (SSLException e) {
                throw chained(new SSLException(text(e) + " (" + hint(e) + ")"), e);
            } catch (IOException e) {
                String refused = keys.unansweredRequest();
                if (refused == null) {
                    throw e;
                }
                throw chained(new IOException(e + " (" + refused + ")"), e);
            }
        }

        /** An alert the server sent refuses us (our certificate, or its absence); anything else is our verdict on the server's. */
        private String hint(SSLException e) {
            if (String.valueOf(e.getMessage()).contains("Received fatal alert")) {
                String asked = keys.unansweredRequest();
                if (asked != null) {
                    return "the server refused the connection; " + asked;
                }
                return tls.clientCertFile() == null
                        ? "the server refused the connection; if it requires a client certificate, set thanos.client-cert-file and"
                                + " thanos.client-key-file"
                        : "the server refused the connection; it may not accept the certificate in thanos.client-cert-file";
            }
            return tls.caFile() == null
                    ? "thanos.ca-file is not set, so only the JVM's trusted CAs are accepted"
                    : "the server's certificate must be signed by a CA in thanos.ca-file";
        }

        private static String text(SSLException e) {
            return "TLS with thanos.url failed: " + e.getMessage();
        }
    }

    private static <T extends IOException> T chained(T replacement, IOException cause) {
        replacement.initCause(cause);
        return replacement;
    }
}
