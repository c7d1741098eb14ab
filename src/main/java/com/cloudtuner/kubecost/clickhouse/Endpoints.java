package com.cloudtuner.kubecost.clickhouse;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.ConnectionInitiationException;
import com.cloudtuner.kubecost.config.UrlUserInfo;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ClickHouse endpoints a gateway may use: {@code clickhouse.url}, then {@code clickhouse.fallback-urls}
 * in order. Every call goes to the one in use; when it cannot be reached (no connection, no answer to
 * the connection, or a 503: client-v2's ConnectionInitiationException, which comes before ClickHouse
 * has read the statement), the call is made on the next one, which then stays in use. Any other
 * failure is the statement's and is not tried elsewhere. client-v2 itself uses only its first endpoint.
 */
final class Endpoints implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Endpoints.class);

    /** A call that may fail as client-v2's futures do. */
    interface Call<T> {
        T on(Client client) throws Exception;
    }

    private final List<String> urls;
    private final List<Client> clients;
    private final AtomicInteger inUse = new AtomicInteger();

    Endpoints(List<String> urls, Function<String, Client> clientFor) {
        this.urls = List.copyOf(urls);
        this.clients = this.urls.stream().map(clientFor).toList();
    }

    <T> T call(Call<T> call) throws Exception {
        int first = inUse.get();
        Exception unreachable = null;
        for (int i = 0; i < clients.size(); i++) {
            int index = (first + i) % clients.size();
            try {
                T result = call.on(clients.get(index));
                if (index != first && inUse.compareAndSet(first, index)) {
                    log.warn("clickhouse: {} cannot be reached ({}); using {} from now on", UrlUserInfo.redacted(urls.get(first)),
                            unreachable == null ? "" : unreachable.getMessage(), UrlUserInfo.redacted(urls.get(index)));
                }
                return result;
            } catch (Exception e) {
                if (!unreachable(e) || clients.size() == 1) {
                    throw e;
                }
                unreachable = e;
            }
        }
        throw unreachable;
    }

    private static boolean unreachable(Exception e) {
        Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        return cause instanceof ConnectionInitiationException;
    }

    @Override
    public void close() {
        clients.forEach(Client::close);
    }
}
