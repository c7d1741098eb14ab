package com.cloudtuner.kubecost.metrics;

import com.cloudtuner.kubecost.config.PushgatewayProperties;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.function.ToDoubleFunction;
import okhttp3.Credentials;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A run's metrics, in the Micrometer registry Spring Batch's own observations also go to, and
 * pushed to a Prometheus Pushgateway when the run ends, grouped by {@code job} and {@code mode}.
 * The push adds to its group (POST): a run that failed does not carry
 * {@code kubecost_worker_last_success_timestamp_seconds}, so the last success's stays. Since the push
 * replaces every metric name it carries, the per-tenant series cover every current tenant of the
 * mode, not only the run's ({@link com.cloudtuner.kubecost.run.TenantStates}): a run over some
 * tenants never removes another's failure or lag. A push that fails is logged once and never fails the run.
 */
public final class RunMetrics {

    private static final Logger log = LoggerFactory.getLogger(RunMetrics.class);
    private static final MediaType TEXT = MediaType.get("text/plain; version=0.0.4; charset=utf-8");

    private final PrometheusMeterRegistry registry;
    private final PushgatewayProperties pushgateway;
    private final OkHttpClient http;

    public RunMetrics(PrometheusMeterRegistry registry, PushgatewayProperties pushgateway) {
        this.registry = registry;
        this.pushgateway = pushgateway;
        this.http = new OkHttpClient.Builder().callTimeout(pushgateway.timeout()).build();
    }

    /** Records the run's figures and, with a Pushgateway configured, pushes every metric of the registry. */
    public void publish(RunFacts facts) {
        record(registry, facts);
        if (!pushgateway.enabled()) {
            return;
        }
        String url = pushgateway.url().replaceAll("/+$", "") + "/metrics/job/" + segment(pushgateway.job())
                + "/mode/" + segment(facts.mode());
        Request.Builder request = new Request.Builder().url(url).post(RequestBody.create(registry.scrape(), TEXT));
        HttpUrl parsed = HttpUrl.parse(url);
        if (parsed != null && !parsed.username().isEmpty()) { // OkHttp sends no credentials a URL carries by itself
            request.header("Authorization", Credentials.basic(parsed.username(), parsed.password()));
        }
        try (Response response = http.newCall(request.build()).execute()) {
            if (!response.isSuccessful()) {
                log.warn("metrics: the Pushgateway at {} answered HTTP {}; the run's metrics were not pushed (the run is unaffected)",
                        pushgateway.url(), response.code());
            }
        } catch (IOException | RuntimeException e) {
            log.warn("metrics: could not push to the Pushgateway at {}: {}; the run's metrics were not pushed (the run is unaffected)",
                    pushgateway.url(), e.getMessage());
        }
    }

    static void record(MeterRegistry registry, RunFacts f) {
        gauge(registry, "kubecost.worker.run.duration.seconds", "how long the run took", f, x -> x.duration().toMillis() / 1000.0);
        gauge(registry, "kubecost.worker.run.succeeded", "1 when every tenant succeeded, else 0", f, x -> x.succeeded() ? 1 : 0);
        if (f.succeeded()) {
            gauge(registry, "kubecost.worker.last.success.timestamp.seconds", "when the last run that succeeded ended", f,
                    x -> x.finishedAt().toEpochMilli() / 1000.0);
        }
        Gauge.builder("kubecost.worker.tenants", f, RunFacts::tenantsSucceeded).strongReference(true).tag("outcome", "succeeded")
                .description("tenants the run processed, by outcome").register(registry);
        Gauge.builder("kubecost.worker.tenants", f, RunFacts::tenantsFailed).strongReference(true).tag("outcome", "failed").register(registry);
        Gauge.builder("kubecost.worker.tenants", f, RunFacts::tenantsSkipped).strongReference(true).tag("outcome", "skipped").register(registry);
        gauge(registry, "kubecost.worker.hours", "tenant-hours the run computed", f, RunFacts::hours);
        Gauge.builder("kubecost.worker.rows", f, RunFacts::rowsWritten).strongReference(true).tag("kind", "written")
                .description("rows of k8s_expenses: computed and current, inserted as new or changed, tombstoned").register(registry);
        Gauge.builder("kubecost.worker.rows", f, RunFacts::rowsChanged).strongReference(true).tag("kind", "changed").register(registry);
        Gauge.builder("kubecost.worker.rows", f, RunFacts::rowsTombstoned).strongReference(true).tag("kind", "tombstoned").register(registry);
        f.watermarkLag().forEach((tenant, lag) -> Gauge.builder("kubecost.worker.watermark.lag.seconds", lag, d -> d.toMillis() / 1000.0).strongReference(true)
                .tag("tenant", tenant).description("how far the tenant's watermark is behind the end of the last complete hour as of the run")
                .register(registry));
        // per tenant, so that an alert can tell one tenant failing run after run from different ones failing once
        f.tenantFailed().forEach((tenant, failed) -> Gauge.builder("kubecost.worker.tenant.failed", failed, x -> x ? 1 : 0)
                .strongReference(true).tag("tenant", tenant).description("1 when the tenant's latest run failed, 0 when it succeeded")
                .register(registry));
        gauge(registry, "kubecost.worker.thanos.requests", "requests sent to Thanos, retries included", f, RunFacts::thanosRequests);
        gauge(registry, "kubecost.worker.thanos.retries", "requests to Thanos sent again", f, RunFacts::thanosRetries);
        gauge(registry, "kubecost.worker.thanos.errors", "requests to Thanos that failed for good", f, RunFacts::thanosErrors);
        gauge(registry, "kubecost.worker.clickhouse.statements", "statements sent to ClickHouse", f, RunFacts::clickhouseStatements);
        gauge(registry, "kubecost.worker.clickhouse.inserts", "inserts sent to ClickHouse", f, RunFacts::clickhouseInserts);
    }

    private static void gauge(MeterRegistry registry, String name, String description, RunFacts f, ToDoubleFunction<RunFacts> value) {
        Gauge.builder(name, f, value).strongReference(true).description(description).register(registry);
    }

    private static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
