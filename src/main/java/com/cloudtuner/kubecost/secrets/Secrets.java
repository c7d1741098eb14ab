package com.cloudtuner.kubecost.secrets;

import com.cloudtuner.kubecost.config.UrlUserInfo;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.springframework.core.env.Environment;

/**
 * The configured secrets (bearer token, passwords, header values and each of their parts, URL user
 * information) and the forms they take on the way out: as configured, base64 (a basic-auth header,
 * a whole header line), URL-encoded, escaped in JSON; {@link Redactor} finds them in any letter
 * case. Values shorter than {@value #MIN_LENGTH} characters are not hidden: hiding every "ab" would
 * make output unreadable, and such a secret protects nothing anyway.
 */
public final class Secrets {

    static final int MIN_LENGTH = 4;

    private final Set<String> forms = new LinkedHashSet<>();
    private String unreadableJson;

    private Secrets() {
    }

    public static Secrets none() {
        return new Secrets();
    }

    /**
     * The secrets the environment, the system properties and the command line give, before any of
     * it is bound: a configuration error must not print a password it could not parse.
     */
    public static Secrets fromEnvironment(Map<String, String> env, Properties systemProperties, List<String> args) {
        GivenSettings given = new GivenSettings(env, systemProperties, args);
        Secrets s = of(given);
        s.unreadableJson = given.unreadableJson();
        return s;
    }

    /** The secrets of the configuration the application bound: it may come from a file the places above do not include. */
    public static Secrets fromBound(Environment environment) {
        return of(SettingValues.bound(environment));
    }

    /** Which settings are secrets, and how each is one. */
    private static Secrets of(SettingValues given) {
        Secrets s = new Secrets();
        given.values("thanos.bearer-token").forEach(s::token);
        s.passwords(given.values("thanos.username"), given.values("thanos.password"));
        s.passwords(given.values("clickhouse.user"), given.values("clickhouse.password"));
        given.entries("thanos.headers").forEach(s::headers);
        for (String url : List.of("thanos.url", "clickhouse.url", "pushgateway.url")) {
            given.values(url).forEach(s::url);
        }
        return s;
    }

    /**
     * Why a {@code SPRING_APPLICATION_JSON} given could not be read as a JSON object, without its
     * text: Spring Boot's own error quotes the offending token, which may be a password.
     */
    public Optional<String> unreadableJson() {
        return Optional.ofNullable(unreadableJson);
    }

    /**
     * How Spring Boot's relaxed binding compares names: {@code THANOS_BEARER_TOKEN} is
     * {@code thanos.bearer-token}. Its binder applies the rule in {@link GivenSettings}; this spells
     * it out for the tests that check it.
     */
    static String relaxed(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[-._\\[\\]]", "");
    }

    /** Each password with each user it may go with: the basic-auth header is made of both. */
    private void passwords(List<String> users, List<String> passwords) {
        for (String password : passwords) {
            for (String user : users.isEmpty() ? Collections.<String>singletonList(null) : users) {
                password(user, password);
            }
        }
    }

    /** A bearer token, or any single secret value. */
    public Secrets token(String token) {
        add(token);
        if (token != null && token.length() >= MIN_LENGTH) {
            headerLine("Authorization", "Bearer " + token);
        }
        return this;
    }

    /** A password, and the basic-auth header value it makes with its user. */
    public Secrets password(String user, String password) {
        add(password);
        if (password != null && !password.isEmpty()) {
            String basic = (user == null ? "" : user) + ":" + password;
            // OkHttp's Credentials.basic encodes ISO-8859-1: a password beyond ASCII makes another header
            for (Charset charset : List.of(StandardCharsets.UTF_8, StandardCharsets.ISO_8859_1)) {
                if (charset == StandardCharsets.UTF_8 || charset.newEncoder().canEncode(basic)) {
                    String encoded = Base64.getEncoder().encodeToString(basic.getBytes(charset));
                    forms.add(encoded);
                    headerLine("Authorization", "Basic " + encoded);
                }
            }
        }
        return this;
    }

    /**
     * Header values of {@code Name: value} entries, separated by commas. Each part of a value is a
     * secret of its own, since an upstream may echo one cookie and not the header: each
     * {@code name=value} pair of {@code a=b; c=d} and each value. The line as sent is one too, for
     * its base64 form.
     */
    public Secrets headers(String headers) {
        if (headers == null) {
            return this;
        }
        for (String h : headers.split(",")) {
            int colon = h.indexOf(':');
            String value = (colon < 0 ? h : h.substring(colon + 1)).trim();
            add(value);
            for (String pair : value.split(";")) {
                add(pair.trim());
                int eq = pair.indexOf('=');
                if (eq >= 0) {
                    String v = pair.substring(eq + 1).trim();
                    add(v);
                    if (v.length() > 2 && v.startsWith("\"") && v.endsWith("\"")) {
                        add(v.substring(1, v.length() - 1)); // a quoted cookie value
                    }
                }
            }
            if (colon > 0 && value.length() >= MIN_LENGTH) {
                headerLine(h.substring(0, colon).trim(), value);
            }
        }
        return this;
    }

    private void headerLine(String name, String value) {
        forms.addAll(EncodedHeaderLine.forms(name, value));
    }

    /**
     * The user information of a URL ({@code user:password@}), and its password. A password may hold
     * an {@code @} of its own, and a URL may lack its scheme: every text before an {@code @} could be
     * the user information, and each is hidden.
     */
    public Secrets url(String url) {
        if (url == null) {
            return this;
        }
        int start = UrlUserInfo.start(url);
        boolean scheme = start > 0;
        for (int at = url.indexOf('@', start); at >= 0; at = url.indexOf('@', at + 1)) {
            String userInfo = url.substring(start, at);
            add(userInfo);
            int colon = userInfo.indexOf(':');
            if (colon >= 0) {
                password(userInfo.substring(0, colon), userInfo.substring(colon + 1));
            }
            if (scheme) {
                try {
                    String decoded = URI.create(url.substring(0, at + 1) + "x").getUserInfo();
                    add(decoded);
                    int decodedColon = decoded == null ? -1 : decoded.indexOf(':');
                    if (decodedColon >= 0) {
                        password(decoded.substring(0, decodedColon), decoded.substring(decodedColon + 1));
                    }
                } catch (IllegalArgumentException e) {
                    // not a parseable URL: its raw text is hidden above
                }
            }
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
