package com.cloudtuner.kubecost.cli;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * An instant given on the command line ({@code --now}, {@code --from}, {@code --to}, {@code --hour}):
 * a date (00:00 UTC that day) or an ISO-8601 instant, from {@link #EARLIEST} to a day after the
 * clock, and never past what ClickHouse's {@code DateTime} holds. Outside that range an instant
 * is a typo, and stored as a watermark or a row's hour it would wrap around (an unsigned 32-bit
 * count of seconds: 9999-12-31 becomes 2106-01-29).
 */
final class InstantOption {

    /** Before any Kubecost exporter, Thanos or Prometheus existed: no data can be that old. */
    static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");
    /** The last second ClickHouse's {@code DateTime} (unsigned 32-bit seconds) holds. */
    static final Instant DATETIME_MAX = Instant.ofEpochSecond(0xFFFF_FFFFL);
    /** How far ahead of the clock an instant may be: a clock a little behind, or a test of the next hours. */
    static final Duration AHEAD = Duration.ofDays(1);

    private InstantOption() {
    }

    /** {@code --name=value} as an instant in the allowed range, or a {@link UsageException} naming the option and the range. */
    static Instant parse(String name, String value, Clock clock) {
        Instant instant = parseText(name, value);
        Instant dayAfterNow = clock.instant().truncatedTo(ChronoUnit.SECONDS).plus(AHEAD);
        Instant latest = dayAfterNow.isAfter(DATETIME_MAX) ? DATETIME_MAX : dayAfterNow;
        if (instant.isBefore(EARLIEST) || instant.isAfter(latest)) {
            throw new UsageException("--" + name + " must be from " + EARLIEST + " to " + latest
                    + (latest == DATETIME_MAX ? " (the last second ClickHouse's DateTime holds)" : " (a day after now)"));
        }
        return instant;
    }

    /** A date (00:00 UTC that day) or an ISO-8601 instant; a date-time without offset is UTC. */
    private static Instant parseText(String name, String value) {
        try {
            if (value.length() == 10) {
                return LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            if (value.endsWith("Z") || value.endsWith("z")) {
                return Instant.parse(value.toUpperCase());
            }
            if (value.matches(".*[+-]\\d\\d:?\\d\\d$") && value.indexOf('T') > 0) {
                return OffsetDateTime.parse(value).toInstant();
            }
            return LocalDateTime.parse(value).toInstant(ZoneOffset.UTC);
        } catch (DateTimeException e) {
            // the value is not repeated: an argument error never prints what might be a secret given in the wrong place
            throw new UsageException("--" + name + " must be a date (2025-10-13) or an ISO-8601 instant (2025-10-13T05:00:00Z)");
        }
    }
}
