package com.cloudtuner.kubecost.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each rule the developer docs' "Where each rule lives" table names, as far as its text gives it
 * away, is written in its one home only: a second copy somewhere else fails here, before two
 * copies can disagree.
 */
class OneHomeTest {

    private static final Path MAIN = Path.of("src/main/java/com/cloudtuner/kubecost");

    /** A rule, the text that gives a copy of it away, and its one home (a path below the main package), or its homes. */
    record Rule(String name, Pattern copy, List<String> homes) {
        Rule(String name, Pattern copy, String home) {
            this(name, copy, List.of(home));
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static List<Rule> rules() {
        return List.of(
                new Rule("row_tolerance", Pattern.compile("static final double \\w*(TOLERANCE|RELATIVE)\\w*"), "cost/Figures.java"),
                new Rule("null_marker", Pattern.compile(Pattern.quote("\"\\\\N\"")), "clickhouse/TabSeparated.java"),
                // Rows read into the worker, and the daily relation derived from them inside ClickHouse (its
                // newest-version rule as argMax over the version, where FINAL would merge a whole month).
                new Rule("stored_row_reader", Pattern.compile("FROM \" \\+ EXPENSES|FROM k8s_expenses\\b|k8s_expenses FINAL"),
                        List.of("clickhouse/ClickHouseDailyExpenses.java", "clickhouse/ClickHouseExpenseStore.java")),
                new Rule("newest_version_in_sql", Pattern.compile("argMax\\(\\w+, version\\)"), "clickhouse/ClickHouseDailyExpenses.java"),
                new Rule("hourly_point", Pattern.compile("HOUR_MS - 1\\b|1 - (Window\\.)?HOUR_MS"), "exporter/HourlyPoints.java"),
                new Rule("settle_delay", Pattern.compile("minus\\(settleDelay\\)"), "run/WatermarkPolicy.java"),
                new Rule("exit_codes", Pattern.compile("static final int (EXIT_\\w+|OK|FAILED|USAGE) ="), "cli/ExitCodes.java"),
                new Rule("url_user_info", Pattern.compile("indexOf\\(\"://\"\\)"), "config/UrlUserInfo.java"),
                new Rule("secret_settings", Pattern.compile("\"(thanos\\.bearer-token|thanos\\.password|clickhouse\\.password)\""),
                        "secrets/Secrets.java"),
                new Rule("tenant_shard", Pattern.compile("remainderUnsigned\\("), "run/Shard.java"),
                new Rule("backfill_command", Pattern.compile("\" backfill --from=|\"backfill\", \"--from="), "cli/BackfillCommand.java"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void everyRuleIsWrittenInItsOneHomeOnly(Rule rule) throws IOException {
        try (Stream<Path> files = Files.walk(MAIN)) {
            List<String> copies = files.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> rule.copy().matcher(read(p)).find())
                    .map(p -> MAIN.relativize(p).toString())
                    .toList();
            // the home itself matches: the pattern does recognise the rule
            assertThat(copies).as(rule.name()).containsExactlyInAnyOrderElementsOf(rule.homes());
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
