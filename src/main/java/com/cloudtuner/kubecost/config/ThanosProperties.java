package com.cloudtuner.kubecost.config;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** {@code thanos.*}: where and how to query the Thanos (or Prometheus) HTTP API. */
@ConfigurationProperties("thanos")
public record ThanosProperties(
        @DefaultValue("http://127.0.0.1:9090") URI url,
        String bearerToken,
        String username,
        String password,
        @DefaultValue List<String> headers,
        @DefaultValue("60s") Duration timeout,
        @DefaultValue("0s") String maxSourceResolution,
        @DefaultValue("3") int retries,
        @DefaultValue("1s") Duration retryBackoff) {

    public ThanosProperties {
        HttpUrls.require("thanos.url", url.toString());
        bearerToken = blankToNull(bearerToken);
        username = blankToNull(username);
        password = blankToNull(password);
        headers = headers == null ? List.of() : headers.stream().map(String::trim).filter(h -> !h.isEmpty()).toList();
        parseHeaders(headers);
        if (bearerToken != null && username != null) {
            throw new IllegalArgumentException("set either thanos.bearer-token or thanos.username, not both");
        }
        if (!maxSourceResolution.matches("\\d+[smhd]")) {
            throw new IllegalArgumentException("thanos.max-source-resolution must look like 0s, 5m or 1h, got " + maxSourceResolution);
        }
        WorkerProperties.requirePositive(timeout.toMillis(), "thanos.timeout");
        WorkerProperties.requireAtLeast(retries, 0, "thanos.retries");
    }

    /** Extra request headers, each configured as {@code Name: value}. */
    public Map<String, String> extraHeaders() {
        return parseHeaders(headers);
    }

    private static Map<String, String> parseHeaders(List<String> headers) {
        Map<String, String> parsed = new LinkedHashMap<>();
        for (int i = 0; i < headers.size(); i++) {
            String h = headers.get(i);
            int colon = h.indexOf(':');
            if (colon <= 0) {
                // the entry may be a bare secret: never echo it
                throw new IllegalArgumentException("thanos.headers entry " + (i + 1) + " of " + headers.size()
                        + " must look like 'Name: value' (no ':' found)");
            }
            parsed.put(h.substring(0, colon).trim(), h.substring(colon + 1).trim());
        }
        return parsed;
    }

    static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    /** The URL without user information, safe to log. */
    public static String redacted(URI uri) {
        return UrlUserInfo.redacted(uri.toString());
    }

    @Override
    public String toString() {
        return "ThanosProperties[url=" + redacted(url) + ", auth=" + (bearerToken != null ? "bearer" : username != null ? "basic" : "none")
                + ", headers=" + extraHeaders().keySet() + ", timeout=" + timeout + ", maxSourceResolution=" + maxSourceResolution + "]";
    }
}
