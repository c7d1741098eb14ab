package com.cloudtuner.kubecost.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.cloudtuner.kubecost.cost.Window;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every instant of the command line lies in [2000-01-01T00:00:00Z, now + 1 day] and within
 * ClickHouse's DateTime (unsigned 32-bit seconds: its last second is 2^32 - 1 = 4294967295 =
 * 2106-02-07T06:28:15Z). Outside, the option is refused with the range.
 */
class InstantsInRangeTest {

    private static final Clock NOW = Clock.fixed(Instant.parse("2025-10-20T12:34:56Z"), ZoneOffset.UTC);
    /** NOW + 24 h. */
    private static final String DAY_AFTER_NOW = "2025-10-21T12:34:56Z";

    private static Command parse(Clock clock, String args) {
        return CommandLine.parse(args.trim().split(" "), clock).command();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            hourly --now=9999-12-31T23:59:59Z                                               | now
            hourly --now=2025-10-21T12:34:57Z                                               | now
            hourly --now=1999-12-31T23:59:59Z                                               | now
            check --now=1999-12-31                                                          | now
            backfill --from=1960-01-01 --to=2025-10-14                                      | from
            backfill --from=2025-10-13 --to=2025-10-22                                      | to
            backfill --from=+12025-10-13T00:00:00Z --to=2025-10-14                          | from
            gaps --from=1960-01-01 --to=2025-10-14                                          | from
            gaps --from=2025-10-13 --to=2099-01-01                                          | to
            explain --tenant=a --cluster=c --namespace=n --hour=1999-12-31T23:00:00Z        | hour
            simulate --out=x.om --from=1960-01-01                                           | from
            simulate --out=x.om --from=2025-10-22                                           | from
            """)
    void anInstantOutsideTheRangeIsRefusedNamingTheOptionAndTheRange(String args, String option) {
        assertThatThrownBy(() -> parse(NOW, args)).isInstanceOf(UsageException.class)
                .message().startsWith("--" + option + " ").contains("2000-01-01T00:00:00Z", DAY_AFTER_NOW);
    }

    @Test
    void theEndsOfTheRangeAreAccepted() {
        assertThat(parse(NOW, "hourly --now=2000-01-01T00:00:00Z"))
                .isEqualTo(new Command.Hourly(Instant.parse("2000-01-01T00:00:00Z"), List.of(), false));
        assertThat(parse(NOW, "hourly --now=" + DAY_AFTER_NOW)).isEqualTo(new Command.Hourly(Instant.parse(DAY_AFTER_NOW), List.of(), false));
        assertThat(parse(NOW, "backfill --from=2000-01-01 --to=" + DAY_AFTER_NOW)).isEqualTo(new Command.Backfill(
                new Window(Instant.parse("2000-01-01T00:00:00Z"), Instant.parse("2025-10-20T12:00:00Z")), List.of(), false, false));
        assertThat(parse(NOW, "simulate --out=x.om --from=" + DAY_AFTER_NOW))
                .isInstanceOfSatisfying(Command.Simulate.class, s -> assertThat(s.from()).isEqualTo(Instant.parse("2025-10-21T12:00:00Z")));
    }

    @Test
    void nothingPastTheLastSecondOfClickHouseDateTimeIsAcceptedWhateverTheClock() {
        Clock late = Clock.fixed(Instant.parse("2106-02-07T00:00:00Z"), ZoneOffset.UTC);
        assertThat(parse(late, "hourly --now=2106-02-07T06:28:15Z"))
                .isEqualTo(new Command.Hourly(Instant.ofEpochSecond(4_294_967_295L), List.of(), false));
        assertThatThrownBy(() -> parse(late, "hourly --now=2106-02-07T06:28:16Z")).isInstanceOf(UsageException.class)
                .message().startsWith("--now ").contains("2000-01-01T00:00:00Z", "2106-02-07T06:28:15Z");
    }
}
