package com.cloudtuner.kubecost.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.cloudtuner.kubecost.testing.JarProcess;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Bad input, as the packaged jar meets it: exit 2 and one line on stderr saying what is wrong,
 * with nothing before it (no log line) and nothing on stdout. None of these reaches a server.
 */
class BadInputIT {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            an unknown command          | frobnicate                                                           |                                  | unknown command in argument 1
            an unknown option           | backfill --from=2025-10-01 --to=2025-10-02 --force                  |                                  | unknown option --force
            a date that is not a date   | backfill --from=yesterday --to=2025-10-02                           |                                  | --from must be a date
            an instant ClickHouse cannot hold | hourly --now=9999-12-31T23:59:59Z                             |                                  | --now must be from 2000-01-01T00:00:00Z to
            a date before 2000          | backfill --from=1960-01-01 --to=2025-10-02                          |                                  | --from must be from 2000-01-01T00:00:00Z to
            from not before to          | backfill --from=2025-10-02 --to=2025-10-01                          |                                  | is not before --to
            a range over the limit      | backfill --from=2024-01-01 --to=2025-06-01                          |                                  | more than worker.max-backfill (400 days)
            a range over a set limit    | backfill --from=2025-01-01 --to=2025-03-01 --worker.max-backfill=30d |                                  | more than worker.max-backfill (30 days)
            only invalid tenant ids     | hourly --tenant=bad/id                                              |                                  | no tenant id given matches worker.tenant-pattern
            a setting that is no number | hourly                                                              | WORKER_REPROCESS_HOURS=three      | worker.reprocess-hours
            a setting out of its range  | hourly                                                              | WORKER_PARALLELISM=0              | worker.parallelism must be at least 1
            a URL that is no URL        | hourly                                                              | THANOS_URL=ftp://thanos:9090      | thanos.url must be an http(s) URL
            """)
    void badInputExitsWithTwoAndOneLine(String what, String args, String variable, String says) {
        Map<String, String> env = variable == null ? Map.of()
                : Map.of(variable.substring(0, variable.indexOf('=')), variable.substring(variable.indexOf('=') + 1));
        JarProcess.Result r = JarProcess.run(env, args.trim().split("\\s+"));
        assertThat(r.exitCode()).as(what + "\n" + r).isEqualTo(2);
        assertThat(r.err().lines().toList()).as(what + "\n" + r).singleElement()
                .satisfies(line -> assertThat(line).startsWith("kubecost-worker: ").contains(says));
        assertThat(r.out()).as(what).isEmpty();
    }

    /** {@code --name VALUE}: the value, most likely the secret, is never printed; the option is named. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"thanos.bearer-token", "clickhouse.password"})
    void aPropertyWhoseValueFollowsAfterASpaceIsRefusedWithoutPrintingTheValue(String property) {
        String secret = "Sp4ce-Separated-Secret";
        JarProcess.Result r = JarProcess.run(Map.of(), "backfill", "--" + property, secret, "--from=2025-10-01", "--to=2025-10-02");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.err().lines().toList()).as(r.toString()).singleElement()
                .satisfies(line -> assertThat(line).startsWith("kubecost-worker: --" + property + " "));
        assertThat(r.all()).doesNotContain(secret).doesNotContain(secret.toLowerCase());
    }
}
