package com.cloudtuner.kubecost.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Settings given under the worker's prefixes that would otherwise pass silently: a name no setting
 * has ({@code --thanos.ulr}, {@code WORKER_REPROCESS_HOUR}), which Spring Boot ignores, and a
 * duration without a unit ({@code WORKER_SETTLE_DELAY=10}), which it reads as milliseconds. Checked
 * before the application starts, on the arguments and the environment, the places an operator
 * types settings into; the one line names the setting as given and never prints a value that could
 * be a secret (only the digits of a unitless duration).
 */
public final class SettingsCheck {

    /**
     * Environment variables under the prefixes that are not the worker's settings and must not stop
     * it. {@code CLICKHOUSE_NATIVE_PORT}: the test harness's external ClickHouse (the native port its
     * readers' driver uses), set for a whole build, the worker's in-process runs included. Service
     * links: Kubernetes gives every pod, for each Service of its namespace, {@code NAME_SERVICE_HOST},
     * {@code NAME_SERVICE_PORT[_PORTNAME]}, {@code NAME_PORT} and {@code NAME_PORT_8123_TCP[_PROTO|_PORT|_ADDR]}
     * (Docker's links use the same names), so a Service named {@code clickhouse} or {@code thanos-query}
     * beside the worker sets {@code CLICKHOUSE_PORT} or {@code THANOS_QUERY_SERVICE_HOST}.
     */
    static final Pattern NOT_SETTINGS = Pattern.compile("CLICKHOUSE_NATIVE_PORT"
            + "|[A-Z0-9_]+_(SERVICE_HOST|SERVICE_PORT(_[A-Z0-9_]+)?|PORT(_\\d+_(TCP|UDP|SCTP)(_(PROTO|PORT|ADDR))?)?)");
    private static final Pattern BARE_NUMBER = Pattern.compile("\\s*[-+]?\\d+\\s*");

    private final KnownSettings known;

    public SettingsCheck(KnownSettings known) {
        this.known = known;
    }

    /**
     * The one line saying what is wrong with the settings given, empty when nothing is.
     *
     * @param propertyArgs the command line's {@code --name=value} property arguments
     * @param env          the process environment
     */
    public Optional<String> problem(List<String> propertyArgs, Map<String, String> env) {
        List<String> problems = new ArrayList<>();
        for (GivenSetting given : given(propertyArgs, env)) {
            problemOf(given).ifPresent(problems::add);
        }
        if (problems.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(problems.get(0) + (problems.size() == 1 ? "" : " (and " + (problems.size() - 1) + " more)"));
    }

    private Optional<String> problemOf(GivenSetting given) {
        Optional<String> setting = known.names().stream()
                .filter(name -> given.sets(name, Collection.class.isAssignableFrom(known.type(name)))).findFirst();
        if (setting.isEmpty()) {
            return Optional.of("unknown setting " + given.shown() + "; the closest known one is " + given.shownAs(closest(given)));
        }
        if (known.type(setting.get()) == Duration.class && BARE_NUMBER.matcher(given.value()).matches()) {
            String n = given.value().strip();
            return Optional.of(setting.get() + "=" + n + " (" + given.shown() + ") has no unit; write " + n + "s, " + n + "m or " + n
                    + "h (ms and d work too)");
        }
        return Optional.empty();
    }

    /** The known setting whose name is fewest edits away, compared without case and separators (THANOS_ULR against thanos.url). */
    private String closest(GivenSetting given) {
        String typed = plain(given.name());
        return known.names().stream().min(Comparator.comparingInt((String name) -> EditDistance.between(typed, plain(name)))
                .thenComparing(Comparator.naturalOrder())).orElseThrow();
    }

    private static String plain(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[-._\\[\\]]", "");
    }

    /** The settings given under the prefixes: the arguments in their order, then the environment by name. */
    private List<GivenSetting> given(List<String> propertyArgs, Map<String, String> env) {
        List<String> prefixes = known.prefixes().stream().map(p -> p.toLowerCase(Locale.ROOT)).toList();
        List<GivenSetting> given = new ArrayList<>();
        for (String arg : propertyArgs) {
            String body = arg.startsWith("--") ? arg.substring(2) : arg;
            int eq = body.indexOf('=');
            String name = eq < 0 ? body : body.substring(0, eq);
            if (prefixes.stream().anyMatch(p -> name.toLowerCase(Locale.ROOT).startsWith(p + "."))) {
                given.add(new GivenSetting(name, eq < 0 ? "" : body.substring(eq + 1), false));
            }
        }
        new TreeMap<>(env).forEach((name, value) -> {
            String upper = name.toUpperCase(Locale.ROOT);
            if (prefixes.stream().anyMatch(p -> upper.startsWith(p.toUpperCase(Locale.ROOT) + "_")) && !NOT_SETTINGS.matcher(upper).matches()) {
                given.add(new GivenSetting(name, value, true));
            }
        });
        return given;
    }
}
