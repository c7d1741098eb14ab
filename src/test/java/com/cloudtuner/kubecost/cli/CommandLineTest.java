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

class CommandLineTest {

    private static final Clock NOW = Clock.fixed(Instant.parse("2025-10-20T12:34:56Z"), ZoneOffset.UTC);

    private static CommandLine.Parsed parse(String... args) {
        return CommandLine.parse(args, NOW);
    }

    @Test
    void noCommandMeansHourly() {
        assertThat(parse().command()).isEqualTo(new Command.Hourly(null, List.of()));
        assertThat(parse("hourly", "--now=2025-10-13T05:00:00Z", "--tenant=a").command())
                .isEqualTo(new Command.Hourly(Instant.parse("2025-10-13T05:00:00Z"), List.of("a")));
    }

    @ParameterizedTest
    @CsvSource({
            "2025-10-13, 2025-10-16, 2025-10-13T00:00:00Z, 2025-10-16T00:00:00Z",
            "2025-10-13T05:30:00Z, 2025-10-13T07:10:00Z, 2025-10-13T05:00:00Z, 2025-10-13T08:00:00Z",
            "2025-10-13T05:00:00+02:00, 2025-10-13T06:00, 2025-10-13T03:00:00Z, 2025-10-13T06:00:00Z",
            "2025-10-19, 2099-01-01, 2025-10-19T00:00:00Z, 2025-10-20T12:00:00Z",
    })
    void backfillRangesAreWholeHoursAndEndAtTheLastCompleteHour(String from, String to, String start, String end) {
        Command c = parse("backfill", "--from=" + from, "--to=" + to).command();
        assertThat(c).isEqualTo(new Command.Backfill(new Window(Instant.parse(start), Instant.parse(end)), List.of(), false, false));
    }

    @Test
    void backfillOptions() {
        assertThat(parse("backfill", "--from", "2025-10-13", "--to=2025-10-14", "--tenant=a", "--tenant", "b.c",
                "--dry-run", "--erase-missing").command())
                .isEqualTo(new Command.Backfill(new Window(Instant.parse("2025-10-13T00:00:00Z"), Instant.parse("2025-10-14T00:00:00Z")),
                        List.of("a", "b.c"), true, true));
    }

    @Test
    void dottedOptionsAreConfigurationProperties() {
        CommandLine.Parsed p = parse("migrate", "--clickhouse.url=http://ch:8123", "--worker.reprocess-hours=5");
        assertThat(p.command()).isEqualTo(new Command.Migrate());
        assertThat(p.propertyArgs()).containsExactly("--clickhouse.url=http://ch:8123", "--worker.reprocess-hours=5");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "backfill --to=2025-10-14 | backfill needs --from and --to",
            "backfill --from=2025-10-14 --to=2025-10-13 | is not before",
            "backfill --from=2025-10-21 --to=2025-10-22 | clamped to the last complete hour",
            "backfill --from=yesterday --to=2025-10-13 | neither a date",
            "backfill --from=2025-10-13 --to=2025-10-14 --frm=1 | unknown option --frm",
            "backfill --from=2025-10-13 --from=2025-10-12 --to=2025-10-14 | given more than once",
            "backfill --from=2025-10-13 --to=2025-10-14 --dry-run=yes | takes no value",
            "hourly --dry-run | unknown option --dry-run for hourly",
            "hourly --now=soon | neither a date",
            "backfil | unknown command 'backfil'",
            "backfill extra | unexpected argument 'extra'",
            "backfill --from | --from needs a value",
    })
    void invalidCommandLinesSayWhatIsWrong(String args, String message) {
        assertThatThrownBy(() -> parse(args.trim().split(" "))).isInstanceOf(UsageException.class).hasMessageContaining(message);
    }

    @Test
    void help() {
        assertThat(parse("backfill", "--help").command()).isInstanceOf(Command.Help.class);
        assertThat(CommandLine.USAGE).contains("backfill", "--dry-run", "--erase-missing", "Exit codes");
    }
}
