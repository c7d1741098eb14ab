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
            a mistyped property         | hourly --thanos.ulr=http://thanos:9090                              |                                  | --thanos.ulr; the closest known one is thanos.url
            a property name a letter short | hourly --worker.reprocess-hour=2                                 |                                  | --worker.reprocess-hour; the closest known one is worker.reprocess-hours
            a mistyped variable         | hourly                                                              | THANOS_ULR=http://thanos:9090     | THANOS_ULR; the closest known one is THANOS_URL (thanos.url)
            a variable a letter short   | hourly                                                              | WORKER_REPROCESS_HOUR=2           | WORKER_REPROCESS_HOUR; the closest known one is WORKER_REPROCESS_HOURS
            a duration without unit     | hourly --worker.settle-delay=10                                     |                                  | worker.settle-delay=10 (--worker.settle-delay) has no unit
            a variable's duration without unit | hourly                                                       | WORKER_SETTLE_DELAY=10            | worker.settle-delay=10 (WORKER_SETTLE_DELAY) has no unit
            an Indexed Job's pod without a shard count | hourly                                               | JOB_COMPLETION_INDEX=1            | WORKER_SHARD_COUNT
            a shard index past the count | hourly --worker.shard.index=3 --worker.shard.count=3                 |                                   | worker.shard.index
            a shard count without an index | hourly                                                           | WORKER_SHARD_COUNT=3              | WORKER_SHARD_INDEX
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

    /** A URL without its scheme: the line names the setting and the URL with http:// added. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "THANOS_URL, 127.0.0.1:9090, thanos.url",
            "THANOS_URL, thanos:9090, thanos.url",
            "CLICKHOUSE_URL, clickhouse.example:8123, clickhouse.url",
            "PUSHGATEWAY_URL, pushgateway:9091, pushgateway.url"})
    void aUrlWithoutSchemeIsNamedWithTheSchemeItLacks(String variable, String url, String setting) {
        JarProcess.Result r = JarProcess.run(Map.of(variable, url), "hourly");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.err().lines().toList()).as(r.toString()).singleElement()
                .satisfies(line -> assertThat(line).startsWith("kubecost-worker: ").contains(setting).contains("http://" + url));
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
