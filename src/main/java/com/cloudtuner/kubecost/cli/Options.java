package com.cloudtuner.kubecost.cli;

import com.cloudtuner.kubecost.cost.Window;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A command's options read as the types it needs; an error names the option, never its value. */
record Options(Map<String, List<String>> values, Clock clock) {

    private static final Pattern DURATION = Pattern.compile("(\\d{1,6})([smhd])");
    private static final Map<String, ChronoUnit> UNITS = Map.of("s", ChronoUnit.SECONDS, "m", ChronoUnit.MINUTES,
            "h", ChronoUnit.HOURS, "d", ChronoUnit.DAYS);

    boolean has(String name) {
        return values.containsKey(name);
    }

    /** The value of an option that is given. */
    String one(String name) {
        return values.get(name).get(0);
    }

    /** Every value of a repeatable option, in the order given; none when it is absent. */
    List<String> all(String name) {
        return values.getOrDefault(name, List.of());
    }

    String oneOr(String name, String absent) {
        return has(name) ? one(name) : absent;
    }

    List<String> tenants() {
        List<String> tenants = values.getOrDefault("tenant", List.of());
        for (String t : tenants) {
            if (t.isEmpty()) {
                throw new UsageException("--tenant needs a value");
            }
        }
        return tenants;
    }

    boolean flag(String name) {
        if (!has(name)) {
            return false;
        }
        String v = one(name);
        if (!v.equals("true") && !v.equals("false")) {
            throw new UsageException("--" + name + " takes no value");
        }
        return v.equals("true");
    }

    int integer(String name, int absent) {
        return has(name) ? integer(name) : absent;
    }

    int integer(String name) {
        try {
            return Integer.parseInt(one(name));
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " must be a whole number");
        }
    }

    /** {@code 90s}, {@code 30m}, {@code 2h} or {@code 1d}; positive. */
    Duration duration(String name, Duration absent) {
        if (!has(name)) {
            return absent;
        }
        Matcher m = DURATION.matcher(one(name));
        if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
            throw new UsageException("--" + name + " must be a positive duration like 90s, 30m, 2h or 1d");
        }
        return Duration.of(Long.parseLong(m.group(1)), UNITS.get(m.group(2)));
    }

    Instant instant(String name) {
        return InstantOption.parse(name, one(name), clock);
    }

    /** Null for the current time. */
    Instant instantOrNull(String name) {
        return has(name) ? instant(name) : null;
    }

    /** The start of the hour the clock is in: the end of the last complete hour. */
    Instant currentHour() {
        return Window.floorHour(clock.instant());
    }

    /** --from and --to as whole hours, the end clamped to the last complete hour. */
    Window hours(String command) {
        if (!has("from") || !has("to")) {
            throw new UsageException(command + " needs --from and --to, e.g. " + command + " --from=2025-10-13 --to=2025-10-16");
        }
        Instant from = Window.floorHour(instant("from"));
        Instant to = Window.ceilHour(instant("to"));
        Instant lastComplete = currentHour();
        if (to.isAfter(lastComplete)) {
            to = lastComplete;
        }
        if (!from.isBefore(to)) {
            throw new UsageException("--from " + from + " is not before --to " + to
                    + (to.equals(lastComplete) ? " (--to is clamped to the last complete hour)" : ""));
        }
        return new Window(from, to);
    }
}
