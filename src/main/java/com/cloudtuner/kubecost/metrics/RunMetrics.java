package com.cloudtuner.kubecost.metrics;

import com.cloudtuner.kubecost.config.PushgatewayProperties;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.util.List;
import java.time.Duration;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
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
 * pushed to a Prometheus Pushgateway when the run ends, grouped by {@code job} and {@code mode}, and
 * by {@code shard} when the worker is one of several shards.
 * The push adds to its group (POST): a run that failed does not carry
 * {@code kubecost_worker_last_success_timestamp_seconds}, so the last success's stays. Since the push
 * replaces every metric name it carries, the per-tenant series cover every current tenant of the
 * mode (of the shard), not only the run's ({@link com.cloudtuner.kubecost.run.TenantStates}): a run over some
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
                + "/mode/" + segment(facts.outcome().mode())
                // N shards' pods push at once: each into a group of its own, or each push would replace the others'
                + (facts.outcome().shard().isEmpty() ? "" : "/shard/" + segment(facts.outcome().shard()));
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

    static void record(MeterRegistry registry, RunFacts facts) {
        RunFacts.Outcome o = facts.outcome();
        gauge(registry, "kubecost.worker.run.duration.seconds", "how long the run took", o.duration().toMillis() / 1000.0);
        gauge(registry, "kubecost.worker.run.succeeded", "1 when every tenant succeeded, else 0", o.succeeded() ? 1 : 0);
        if (o.succeeded()) {
            gauge(registry, "kubecost.worker.last.success.timestamp.seconds", "when the last run that succeeded ended",
                    o.finishedAt().toEpochMilli() / 1000.0);
        }
        gauge(registry, "kubecost.worker.hours", "tenant-hours the run computed", o.hours());
        // a run skips them once (the watermark moves past them), so this series says so only until the next run
        gauge(registry, "kubecost.worker.skipped.hours", "tenant-hours the run left unprocessed, older than worker.max-catch-up:"
                + " backfill them (check lists them as skipped_hours)", o.skippedHours());
        RunFacts.Tenants t = facts.tenants();
        String tenants = "tenants the run processed, by outcome";
        tagged(registry, "kubecost.worker.tenants", tenants, "outcome", "succeeded", t.succeeded());
        tagged(registry, "kubecost.worker.tenants", tenants, "outcome", "failed", t.failed());
        tagged(registry, "kubecost.worker.tenants", tenants, "outcome", "skipped", t.skipped());
        RunFacts.Rows r = facts.rows();
        String rows = "rows of k8s_expenses: computed and current, inserted as new or changed, tombstoned";
        tagged(registry, "kubecost.worker.rows", rows, "kind", "written", r.written());
        tagged(registry, "kubecost.worker.rows", rows, "kind", "changed", r.changed());
        tagged(registry, "kubecost.worker.rows", rows, "kind", "tombstoned", r.tombstoned());
        t.watermarkLag().forEach((tenant, lag) -> tagged(registry, "kubecost.worker.watermark.lag.seconds",
                "how far the tenant's watermark is behind the end of the last complete hour as of the run", "tenant", tenant,
                lag.toMillis() / 1000.0));
        // per tenant, so that an alert can tell one tenant failing run after run from different ones failing once
        t.latestFailed().forEach((tenant, failed) -> tagged(registry, "kubecost.worker.tenant.failed",
                "1 when the tenant's latest run failed, 0 when it succeeded", "tenant", tenant, failed ? 1 : 0));
        List<Duration> freshness = t.freshnessMaxAndMedian();
        if (!freshness.isEmpty()) {
            String what = "how far the newest row the run wrote lags behind the run's instant, over its tenants";
            tagged(registry, "kubecost.worker.freshness.seconds", what, "stat", "max", freshness.get(0).toMillis() / 1000.0);
            tagged(registry, "kubecost.worker.freshness.seconds", what, "stat", "p50", freshness.get(1).toMillis() / 1000.0);
        }
        RunFacts.Traffic x = facts.traffic();
        gauge(registry, "kubecost.worker.thanos.requests", "requests sent to Thanos, retries included", x.thanosRequests());
        gauge(registry, "kubecost.worker.thanos.retries", "requests to Thanos sent again", x.thanosRetries());
        gauge(registry, "kubecost.worker.thanos.errors", "requests to Thanos that failed for good", x.thanosErrors());
        gauge(registry, "kubecost.worker.clickhouse.statements", "statements sent to ClickHouse", x.clickhouseStatements());
        gauge(registry, "kubecost.worker.clickhouse.inserts", "inserts sent to ClickHouse", x.clickhouseInserts());
    }

    private static void gauge(MeterRegistry registry, String name, String description, double value) {
        Gauge.builder(name, () -> value).description(description).register(registry);
    }

    private static void tagged(MeterRegistry registry, String name, String description, String tag, String tagValue, double value) {
        Gauge.builder(name, () -> value).tag(tag, tagValue).description(description).register(registry);
    }

    private static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
