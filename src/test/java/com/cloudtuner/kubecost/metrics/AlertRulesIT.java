package com.cloudtuner.kubecost.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.cloudtuner.kubecost.testing.Promtool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.StringJoiner;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped alerting rules (monitoring/kubecost-worker.rules.yml), evaluated by Prometheus' own rule
 * engine ({@code promtool test rules}) over series shaped like those a run pushes, minute by minute:
 * a job that never succeeds, hourly successes that stop, an hourly run that skipped hours.
 */
class AlertRulesIT {

    private static final Path ROOT = Path.of(System.getProperty("basedir", "")).toAbsolutePath();
    private static final Path RULES = ROOT.resolve("monitoring/kubecost-worker.rules.yml");
    private static final String GROUP = "{job=\"kubecost-worker\",mode=\"hourly\"}";
    private static final int MINUTES = 300;

    @TempDir
    Path dir;

    @Test
    void aJobThatNeverSucceededAlertsOnce90MinutesHaveGivenItsFirstRunsTheirChance() throws IOException {
        // a fresh deploy whose runs all fail: they push run_succeeded 0 and never a last success
        promtool(series("kubecost_worker_run_succeeded" + GROUP, IntStream.rangeClosed(0, MINUTES).mapToObj(m -> "0").toList()), """
                      - eval_time: 85m
                        alertname: KubecostWorkerNoSuccessfulRun
                        exp_alerts: []
                      - eval_time: 95m
                        alertname: KubecostWorkerNoSuccessfulRun
                        exp_alerts:
                          - exp_labels: {mode: hourly}
                """);
    }

    @Test
    void hourlySuccessesKeepItQuietAndItAlertsTwoHoursAfterTheLastOne() throws IOException {
        // successes at :15 of the first three hours (minutes 15, 75, 135), then none
        promtool(series("kubecost_worker_last_success_timestamp_seconds" + GROUP, successesThatStop()), """
                - eval_time: 14m
                  alertname: KubecostWorkerNoSuccessfulRun
                  exp_alerts: []
                - eval_time: 130m
                  alertname: KubecostWorkerNoSuccessfulRun
                  exp_alerts: []
                """ + quietThenFiring("KubecostWorkerNoSuccessfulRun", "250m", "260m", "{}"));
    }

    @Test
    void hoursSkippedOnceAlertForADayAlthoughTheNextRunPushesZero() throws IOException {
        // the run at minute 15 skipped 8 tenant-hours; the next ones skip none
        promtool(series("kubecost_worker_skipped_hours" + GROUP, IntStream.rangeClosed(0, MINUTES).mapToObj(m ->
                m >= 15 && m < 75 ? "8" : "0").toList()), """
                      - eval_time: 10m
                        alertname: KubecostWorkerSkippedHours
                        exp_alerts: []
                      - eval_time: 280m
                        alertname: KubecostWorkerSkippedHours
                        exp_alerts:
                          - exp_labels: {job: kubecost-worker, mode: hourly}
                """);
    }

    @Test
    void aShardWhoseSuccessesStopAlertsForItselfWhileTheOthersSucceed() throws IOException {
        // shard 0 succeeds at :15 of every hour; shard 1 at minutes 15, 75 and 135, then no more
        String shards = series("kubecost_worker_last_success_timestamp_seconds" + shard("0"), hourlySuccesses())
                + series("kubecost_worker_last_success_timestamp_seconds" + shard("1"), successesThatStop());
        promtool(shards, quietThenFiring("KubecostWorkerNoSuccessfulRun", "250m", "260m", "{shard: \"1\"}"));
    }

    @Test
    void aShardThatNeverSucceededAlertsWhileTheOthersSucceed() throws IOException {
        String shards = series("kubecost_worker_last_success_timestamp_seconds" + shard("0"), hourlySuccesses())
                + series("kubecost_worker_run_succeeded" + shard("0"), IntStream.rangeClosed(0, MINUTES).mapToObj(m -> m < 15 ? "_" : "1")
                .toList())
                + series("kubecost_worker_run_succeeded" + shard("1"), IntStream.rangeClosed(0, MINUTES).mapToObj(m -> m < 15 ? "_" : "0")
                .toList());
        promtool(shards, quietThenFiring("KubecostWorkerNoSuccessfulRun", "100m", "110m", "{shard: \"1\"}"));
    }

    /** A last success per minute: successes at :15 of the first three hours (minutes 15, 75, 135), then none. */
    private static List<String> successesThatStop() {
        return IntStream.rangeClosed(0, MINUTES).mapToObj(m -> m < 15 ? "_" : String.valueOf(60 * (m < 75 ? 15 : m < 135 ? 75 : 135)))
                .toList();
    }

    /** A last success per minute: a success at :15 of every hour. */
    private static List<String> hourlySuccesses() {
        return IntStream.rangeClosed(0, MINUTES).mapToObj(m -> m < 15 ? "_" : String.valueOf(60 * (15 + (m - 15) / 60 * 60))).toList();
    }

    /** promtool's expectations of one alert: none at {@code quietAt}, one with {@code labels} at {@code firingAt}. */
    private static String quietThenFiring(String alert, String quietAt, String firingAt, String labels) {
        return """
                - eval_time: %s
                  alertname: %s
                  exp_alerts: []
                - eval_time: %s
                  alertname: %s
                  exp_alerts:
                    - exp_labels: %s
                """.formatted(quietAt, alert, firingAt, alert, labels);
    }

    /** The group of one worker shard. */
    private static String shard(String index) {
        return "{job=\"kubecost-worker\",mode=\"hourly\",shard=\"" + index + "\"}";
    }

    @Test
    void theRunbookShowsTheRulesAsShipped() throws IOException {
        String rules = Files.readString(RULES);
        String groups = rules.substring(rules.indexOf("groups:"));
        assertThat(Files.readString(ROOT.resolve("docs/runbook.md"))).contains(groups);
    }

    private static String series(String name, List<String> perMinute) {
        StringJoiner values = new StringJoiner(" ");
        perMinute.forEach(values::add);
        return "      - series: '" + name + "'\n        values: '" + values + "'\n";
    }

    private void promtool(String inputSeries, String alertTests) throws IOException {
        Path test = dir.resolve("test.yml");
        Files.writeString(test, "rule_files:\n  - " + RULES + "\nevaluation_interval: 1m\ntests:\n  - interval: 1m\n"
                + "    input_series:\n" + inputSeries.indent(2) + "    alert_rule_test:\n" + alertTests.stripIndent().indent(6));
        Promtool.testRules(test);
    }
}
