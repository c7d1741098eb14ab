package com.cloudtuner.kubecost.clickhouse;

import com.clickhouse.client.api.Client;
import com.cloudtuner.kubecost.config.ClickHouseProperties;
import com.cloudtuner.kubecost.config.ClickHouseTlsProperties;
import java.nio.file.Path;
import javax.net.ssl.SSLException;

/**
 * HTTPS to ClickHouse with client-v2: {@code setRootCertificate} makes the PEM bundle of
 * {@code clickhouse.ca-file} the only trusted CAs; without it the JVM's CAs are trusted. client-v2's
 * default SSL mode (STRICT) verifies the certificate chain and the host name either way.
 */
final class ClickHouseTls {

    private ClickHouseTls() {
    }

    static Client.Builder configure(Client.Builder builder, ClickHouseProperties props, ClickHouseTlsProperties tls) {
        if (tls.caFile() == null) {
            return builder;
        }
        if (!"https".equals(props.url().getScheme())) {
            throw new IllegalArgumentException("clickhouse.url must be an https URL when clickhouse.ca-file is set");
        }
        // a path (a value holding "-----BEGIN" would be taken as the PEM text itself)
        return builder.setRootCertificate(Path.of(tls.caFile()).toAbsolutePath().toString());
    }

    /** What to check when a statement failed for TLS (an SSLException among the causes); empty otherwise. */
    static String hint(Throwable failure, ClickHouseTlsProperties tls) {
        Throwable t = failure;
        while (t != null && !(t instanceof SSLException)) {
            t = t.getCause() == t ? null : t.getCause();
        }
        if (t == null) {
            return "";
        }
        return tls.caFile() == null
                ? " (TLS: clickhouse.ca-file is not set, so only the JVM's trusted CAs are accepted)"
                : " (TLS: the server's certificate must be signed by a CA in clickhouse.ca-file and issued for the host of clickhouse.url)";
    }
}
