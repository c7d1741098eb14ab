package com.cloudtuner.kubecost.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.cloudtuner.kubecost.cost.Window;
import java.time.Clock;
import java.time.Duration;
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
        assertThat(parse().command()).isEqualTo(new Command.Hourly(null, List.of(), false));
        assertThat(parse("hourly", "--now=2025-10-13T05:00:00Z", "--tenant=a").command())
                .isEqualTo(new Command.Hourly(Instant.parse("2025-10-13T05:00:00Z"), List.of("a"), false));
        assertThat(parse("hourly", "--current-hour").command()).isEqualTo(new Command.Hourly(null, List.of(), true));
    }

    @ParameterizedTest
    @CsvSource({
            "2025-10-13, 2025-10-16, 2025-10-13T00:00:00Z, 2025-10-16T00:00:00Z",
            "2025-10-13T05:30:00Z, 2025-10-13T07:10:00Z, 2025-10-13T05:00:00Z, 2025-10-13T08:00:00Z",
            "2025-10-13T05:00:00+02:00, 2025-10-13T06:00, 2025-10-13T03:00:00Z, 2025-10-13T06:00:00Z",
            "2025-10-19, 2025-10-21T12:00:00Z, 2025-10-19T00:00:00Z, 2025-10-20T12:00:00Z",
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
            "backfill --from=2025-10-21 --to=2025-10-21T06:00:00Z | clamped to the last complete hour",
            "backfill --from=yesterday --to=2025-10-13 | --from must be a date",
            "backfill --from=2025-10-13 --to=2025-10-14 --frm=1 | unknown option --frm",
            "backfill --from=2025-10-13 --from=2025-10-12 --to=2025-10-14 | given more than once",
            "backfill --from=2025-10-13 --to=2025-10-14 --dry-run=yes | takes no value",
            "hourly --dry-run | unknown option --dry-run for hourly",
            "hourly --now=soon | --now must be a date",
            "backfil | unknown command in argument 1",
            "backfill extra | unexpected argument 2",
            "backfill --from | --from needs a value",
    })
    void invalidCommandLinesSayWhatIsWrong(String args, String message) {
        assertThatThrownBy(() -> parse(args.trim().split(" "))).isInstanceOf(UsageException.class).hasMessageContaining(message);
    }

    @Test
    void checkTakesThresholdsWithDefaults() {
        assertThat(parse("check").command()).isEqualTo(new Command.Check(null, List.of(), Duration.ofMinutes(30), Duration.ofHours(2), false,
                false));
        assertThat(parse("check", "--now=2025-10-14T12:10:00Z", "--tenant=a", "--stale-after=90s", "--max-lag=1d", "--json", "--problems").command())
                .isEqualTo(new Command.Check(Instant.parse("2025-10-14T12:10:00Z"), List.of("a"), Duration.ofSeconds(90),
                        Duration.ofDays(1), true, true));
    }

    @Test
    void explainNamesOneRowAndItsHourIsRoundedDown() {
        assertThat(parse("explain", "--tenant=a", "--cluster=prod", "--namespace=__unallocated__", "--hour=2025-10-13T10:45:00Z").command())
                .isEqualTo(new Command.Explain("a", "prod", "__unallocated__", Instant.parse("2025-10-13T10:00:00Z"), false));
    }

    @Test
    void gapsRangesAreThoseOfABackfill() {
        assertThat(parse("gaps", "--from=2025-10-13T05:30:00Z", "--to=2025-10-21", "--tenant=a", "--min-coverage=0.5").command())
                .isEqualTo(new Command.Gaps(new Window(Instant.parse("2025-10-13T05:00:00Z"), Instant.parse("2025-10-20T12:00:00Z")),
                        List.of("a"), 0.5, false, false));
        assertThat(((Command.Gaps) parse("gaps", "--from=2025-10-13", "--to=2025-10-14").command()).minCoverage()).isEqualTo(0.9);
        assertThat(((Command.Gaps) parse("gaps", "--from=2025-10-13", "--to=2025-10-14", "--backfill").command()).backfill()).isTrue();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "check --stale-after=30 | --stale-after must be a positive duration",
            "check --max-lag=0h | --max-lag must be a positive duration",
            "check --json=maybe | --json takes no value",
            "check --from=2025-10-13 | unknown option --from for check",
            "explain --tenant=a --cluster=c --namespace=n | explain needs --tenant, --cluster, --namespace and --hour",
            "explain --tenant=a --tenant=b --cluster=c --namespace=n --hour=2025-10-13 | explain takes one --tenant",
            "explain --tenant=a --cluster=c --namespace=n --hour=2025-10-21 | has not begun yet",
            "gaps --from=2025-10-13 | gaps needs --from and --to",
            "gaps --from=2025-10-13 --to=2025-10-14 --min-coverage=1.5 | --min-coverage must be a number from 0 to 1",
    })
    void invalidToolCommandLinesSayWhatIsWrong(String args, String message) {
        assertThatThrownBy(() -> parse(args.trim().split(" "))).isInstanceOf(UsageException.class).hasMessageContaining(message);
    }

    private static final String SECRET = "S3cret-Value-17";

    /** The value after the space is most likely the secret itself; the error names the option. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            backfill --thanos.bearer-token S3cret-Value-17 --from=2025-10-13 --to=2025-10-14 | thanos.bearer-token
            --clickhouse.password S3cret-Value-17 backfill --from=2025-10-13 --to=2025-10-14 | clickhouse.password
            hourly --thanos.headers Cookie:S3cret-Value-17                                   | thanos.headers
            """)
    void aPropertyWhoseValueFollowsAfterASpaceIsRefusedNamingTheOptionNotTheValue(String args, String property) {
        assertThatThrownBy(() -> parse(args.trim().split(" "))).isInstanceOf(UsageException.class)
                .message().contains("--" + property + " ", "--" + property + "=VALUE").doesNotContain(SECRET);
    }

    /** Whatever the mistake, an argument error never repeats an argument's text or an option's value. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            a word where the command belongs          | S3cret-Value-17
            a stray word                              | backfill S3cret-Value-17
            a property without its dashes             | hourly thanos.password=S3cret-Value-17
            a secret the shell split in two           | hourly --thanos.bearer-token=abc S3cret-Value-17
            a JVM option after the jar                | -Dthanos.password=S3cret-Value-17
            an instant that is none                   | hourly --now=S3cret-Value-17
            a duration that is none                   | check --stale-after=S3cret-Value-17
            a number that is none                     | gaps --from=2025-10-13 --to=2025-10-14 --min-coverage=S3cret-Value-17
            a whole number that is none               | simulate --out=x.om --from=2025-10-13 --hours=S3cret-Value-17
            """)
    void noArgumentErrorPrintsAnArgumentsText(String what, String args) {
        assertThatThrownBy(() -> parse(args.trim().split(" "))).isInstanceOf(UsageException.class)
                .message().doesNotContain(SECRET);
    }

    @Test
    void help() {
        assertThat(parse("backfill", "--help").command()).isInstanceOf(Command.Help.class);
        assertThat(CommandLine.USAGE).contains("backfill", "--dry-run", "--erase-missing", "Exit codes", "check", "explain", "gaps");
    }
}
