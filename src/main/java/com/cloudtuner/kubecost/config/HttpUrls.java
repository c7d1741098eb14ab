package com.cloudtuner.kubecost.config;

import java.net.URI;
import java.util.Optional;

/**
 * The one check of the URL settings ({@code thanos.url}, {@code clickhouse.url},
 * {@code pushgateway.url}): an http or https URL with a host. The common mistake, a host and port
 * without the scheme ({@code thanos:9090}), gets the fix spelt out instead of the URI parser's
 * {@code Illegal character in scheme name}. The URL is shown without its user information.
 */
final class HttpUrls {

    private HttpUrls() {
    }

    /** Refuses {@code url} unless it is an http(s) URL with a host; the message starts with {@code setting}. */
    static void require(String setting, String url) {
        Optional<String> missing = withoutScheme(setting, url);
        if (missing.isPresent()) {
            throw new IllegalArgumentException(missing.get());
        }
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(setting + " is not a URL: " + UrlUserInfo.redacted(url));
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException(setting + " must be an http(s) URL, got " + UrlUserInfo.redacted(url));
        }
    }

    /** The line for a URL without {@code ://}, e.g. {@code thanos:9090}; empty when it has a scheme. */
    static Optional<String> withoutScheme(String setting, String url) {
        if (url == null || url.contains("://")) {
            return Optional.empty();
        }
        String shown = UrlUserInfo.redacted(url.strip());
        return Optional.of(setting + "=" + shown + " has no scheme; write http://" + shown + " (or https://" + shown + ")");
    }
}
