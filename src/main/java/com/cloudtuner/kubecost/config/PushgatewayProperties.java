package com.cloudtuner.kubecost.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code pushgateway.*}: where a run pushes its metrics when it ends (the convention for batch
 * jobs); nothing is pushed without a URL.
 *
 * @param url empty for no push
 * @param job the {@code job} grouping label; runs are also grouped by {@code mode} (hourly, backfill)
 */
@ConfigurationProperties("pushgateway")
public record PushgatewayProperties(
        @DefaultValue("") String url,
        @DefaultValue("kubecost-worker") String job,
        @DefaultValue("10s") Duration timeout) {

    public PushgatewayProperties {
        url = url == null ? "" : url.trim();
        if (!url.isEmpty()) {
            HttpUrls.require("pushgateway.url", url);
        }
        if (job == null || job.isBlank()) {
            throw new IllegalArgumentException("pushgateway.job must not be empty");
        }
        WorkerProperties.requirePositive(timeout.toMillis(), "pushgateway.timeout");
    }

    public boolean enabled() {
        return !url.isEmpty();
    }
}
