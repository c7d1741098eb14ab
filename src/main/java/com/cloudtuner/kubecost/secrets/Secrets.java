package com.cloudtuner.kubecost.secrets;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The configured secrets (bearer token, passwords, header values, URL user information) and the
 * forms they take on the way out: as configured, base64 (a basic-auth header), URL-encoded,
 * escaped in JSON. Values shorter than {@value #MIN_LENGTH} characters are not hidden: hiding
 * every "ab" would make output unreadable, and such a secret protects nothing anyway.
 */
public final class Secrets {

    static final int MIN_LENGTH = 4;

    /** Settings holding a secret, as environment variables and as property names without separators. */
    private static final Map<String, String> SECRET_SETTINGS = Map.of(
            "THANOS_BEARER_TOKEN", "thanos.bearertoken",
            "THANOS_PASSWORD", "thanos.password",
            "CLICKHOUSE_PASSWORD", "clickhouse.password",
            "THANOS_HEADERS", "thanos.headers",
            "THANOS_URL", "thanos.url",
            "CLICKHOUSE_URL", "clickhouse.url",
            "PUSHGATEWAY_URL", "pushgateway.url");
    private static final Map<String, String> USER_SETTINGS = Map.of(
            "THANOS_USERNAME", "thanos.username",
            "CLICKHOUSE_USER", "clickhouse.user");

    private final Set<String> forms = new LinkedHashSet<>();

    private Secrets() {
    }

    public static Secrets none() {
        return new Secrets();
    }

    /**
     * What the environment and the command line set, before any of it is bound: a configuration
     * error must not print a password it could not parse.
     */
    public static Secrets fromEnvironment(Map<String, String> env, List<String> args) {
        Secrets s = new Secrets();
        Map<String, String> given = new java.util.HashMap<>();
        SECRET_SETTINGS.forEach((variable, property) -> {
            if (env.get(variable) != null) {
                given.put(property, env.get(variable));
            }
        });
        USER_SETTINGS.forEach((variable, property) -> {
            if (env.get(variable) != null) {
                given.put(property, env.get(variable));
            }
        });
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 2) {
                String name = arg.substring(2, eq).toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
                given.put(name, arg.substring(eq + 1));
            }
        }
        s.token(given.get("thanos.bearertoken"));
        s.password(given.get("thanos.username"), given.get("thanos.password"));
        s.password(given.get("clickhouse.user"), given.get("clickhouse.password"));
        s.headers(given.get("thanos.headers"));
        s.url(given.get("thanos.url"));
        s.url(given.get("clickhouse.url"));
        s.url(given.get("pushgateway.url"));
        return s;
    }

    /** A bearer token, or any single secret value. */
    public Secrets token(String token) {
        add(token);
        return this;
    }

    /** A password, and the basic-auth header value it makes with its user. */
    public Secrets password(String user, String password) {
        add(password);
        if (password != null && !password.isEmpty()) {
            String basic = (user == null ? "" : user) + ":" + password;
            forms.add(Base64.getEncoder().encodeToString(basic.getBytes(StandardCharsets.UTF_8)));
        }
        return this;
    }

    /** Header values of {@code Name: value} entries, separated by commas. */
    public Secrets headers(String headers) {
        if (headers != null) {
            for (String h : headers.split(",")) {
                int colon = h.indexOf(':');
                add(colon < 0 ? h.trim() : h.substring(colon + 1).trim());
            }
        }
        return this;
    }

    /** The user information of a URL ({@code user:password@}), and its password. */
    public Secrets url(String url) {
        if (url == null) {
            return this;
        }
        int scheme = url.indexOf("://");
        int at = url.indexOf('@', scheme < 0 ? 0 : scheme + 3);
        if (scheme < 0 || at < 0) {
            return this;
        }
        String userInfo = url.substring(scheme + 3, at);
        add(userInfo);
        int colon = userInfo.indexOf(':');
        if (colon >= 0) {
            password(userInfo.substring(0, colon), userInfo.substring(colon + 1));
        }
        try {
            String decoded = URI.create(url.substring(0, at + 1) + "x").getUserInfo();
            add(decoded);
        } catch (IllegalArgumentException e) {
            // not a parseable URL: its raw text is hidden above
        }
        return this;
    }

    private void add(String secret) {
        if (secret == null || secret.length() < MIN_LENGTH) {
            return;
        }
        forms.add(secret);
        forms.add(Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8)));
        forms.add(URLEncoder.encode(secret, StandardCharsets.UTF_8));
        forms.add(secret.replace("\\", "\\\\").replace("\"", "\\\""));
    }

    Secrets with(Secrets other) {
        Secrets s = new Secrets();
        s.forms.addAll(forms);
        s.forms.addAll(other.forms);
        return s;
    }

    /** Longest first, so that a secret inside a longer one never leaves the rest visible. */
    List<String> forms() {
        List<String> list = new ArrayList<>(forms);
        list.removeIf(f -> f.length() < MIN_LENGTH);
        list.sort(Comparator.comparingInt(String::length).reversed());
        return list;
    }
}
