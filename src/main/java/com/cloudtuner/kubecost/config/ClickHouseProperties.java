package com.cloudtuner.kubecost.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code clickhouse.*}: the ClickHouse HTTP endpoint that holds k8s_expenses; {@code cluster}, when
 * set, names the ClickHouse cluster whose replicated and Distributed tables hold it (see ClusterDdl).
 */
@ConfigurationProperties("clickhouse")
public record ClickHouseProperties(
        @DefaultValue("http://127.0.0.1:8123") URI url,
        @DefaultValue("default") String user,
        @DefaultValue("") String password,
        @DefaultValue("default") String database,
        @DefaultValue("300s") Duration socketTimeout,
        @DefaultValue("30s") Duration migrationLockTimeout,
        @DefaultValue("100000") int maxInsertRows,
        @DefaultValue("2") int retries,
        @DefaultValue("1s") Duration retryBackoff,
        @DefaultValue("") String cluster,
        @DefaultValue List<URI> fallbackUrls) {

    /** What a database or cluster name must be: it is written into SQL unquoted. */
    private static final String PLAIN_IDENTIFIER = "[A-Za-z_][A-Za-z0-9_]*";

    /** A single node (no clickhouse.cluster). */
    public ClickHouseProperties(URI url, String user, String password, String database, Duration socketTimeout,
            Duration migrationLockTimeout, int maxInsertRows, int retries, Duration retryBackoff) {
        this(url, user, password, database, socketTimeout, migrationLockTimeout, maxInsertRows, retries, retryBackoff, "", List.of());
    }

    @ConstructorBinding
    public ClickHouseProperties {
        fallbackUrls = fallbackUrls == null ? List.of() : List.copyOf(fallbackUrls);
        requireEndpoint("clickhouse.url", url);
        fallbackUrls.forEach(u -> requireEndpoint("clickhouse.fallback-urls", u));
        if (!database.matches(PLAIN_IDENTIFIER)) {
            throw new IllegalArgumentException("clickhouse.database must be a plain identifier, got '" + database + "'");
        }
        password = password == null ? "" : password;
        cluster = cluster == null ? "" : cluster.strip();
        if (!cluster.isEmpty() && !cluster.matches(PLAIN_IDENTIFIER)) {
            throw new IllegalArgumentException("clickhouse.cluster must be the plain name of a cluster in the servers' remote_servers, got '"
                    + cluster + "'");
        }
        WorkerProperties.requirePositive(socketTimeout.toMillis(), "clickhouse.socket-timeout");
        WorkerProperties.requireAtLeast(maxInsertRows, 1, "clickhouse.max-insert-rows");
        WorkerProperties.requireAtLeast(retries, 0, "clickhouse.retries");
    }

    /** Every endpoint, in the order they are tried: clickhouse.url, then clickhouse.fallback-urls. */
    public List<URI> endpoints() {
        return Stream.concat(Stream.of(url), fallbackUrls.stream()).toList();
    }

    private static void requireEndpoint(String name, URI endpoint) {
        HttpUrls.require(name, endpoint.toString());
        if (endpoint.getUserInfo() != null) {
            throw new IllegalArgumentException("put ClickHouse credentials in CLICKHOUSE_USER / CLICKHOUSE_PASSWORD, not in " + name);
        }
    }

    @Override
    public String toString() {
        return "ClickHouseProperties[url=" + UrlUserInfo.redacted(url.toString()) + ", user=" + user + ", database=" + database
                + (cluster.isEmpty() ? "" : ", cluster=" + cluster) + "]";
    }
}
