package com.cloudtuner.kubecost.config;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code clickhouse.ca-file}: a PEM bundle of the CAs to trust for an https {@code clickhouse.url},
 * instead of the JVM's. Unset: plain HTTP, or HTTPS trusting the JVM's CAs. Checked at start-up.
 */
@ConfigurationProperties("clickhouse")
public record ClickHouseTlsProperties(String caFile) {

    public ClickHouseTlsProperties {
        caFile = PemFiles.unsetIfBlank(caFile);
        if (caFile != null) {
            PemFiles.caCertificates("clickhouse.ca-file", caFile);
        }
    }

    public static ClickHouseTlsProperties none() {
        return new ClickHouseTlsProperties(null);
    }
}
