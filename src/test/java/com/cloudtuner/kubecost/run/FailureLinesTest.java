package com.cloudtuner.kubecost.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.cloudtuner.kubecost.clickhouse.WriteResult;
import com.cloudtuner.kubecost.cost.Window;
import com.cloudtuner.kubecost.thanos.ThanosQueryException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class FailureLinesTest {

    private static final Instant D0 = Instant.parse("2025-10-13T00:00:00Z");
    private static final Window DAY1 = new Window(D0, D0.plusSeconds(86_400));
    private static final Window DAY2 = new Window(DAY1.end(), DAY1.end().plusSeconds(86_400));

    /** What the HTTP client throws when Thanos is down: the request first, the network's failure last. */
    private static ThanosQueryException thanosDown(List<String> tenants) {
        ConnectException refused = new ConnectException("Failed to connect to localhost/127.0.0.1:9");
        String selector = "kubecost_cost{tenant=~\"" + String.join("|", tenants) + "\"}";
        return new ThanosQueryException("query_range sum by (tenant) (" + selector + "): " + refused, true, refused);
    }

    @Test
    void aFailureReadsCauseFirstWithTheSelectorCutAndStaysShort() {
        List<String> tenants = IntStream.rangeClosed(1, 200).mapToObj(i -> "tenant-" + i).toList();
        String text = Failures.describe(new RuntimeException("step failed", thanosDown(tenants)));
        assertThat(text).startsWith("ConnectException: ").contains("tenant=~<200 values>").doesNotContain("tenant-17");
        assertThat(text.length()).isLessThanOrEqualTo(Failures.MAX_LENGTH);
    }

    @Test
    void anAnswerThatFailedReadsWhatItSaidFirst() {
        List<String> tenants = IntStream.rangeClosed(1, 200).mapToObj(i -> "tenant-" + i).toList();
        String selector = "kubecost_cost{tenant=~\"" + String.join("|", tenants) + "\"}";
        String text = Failures.describe(new ThanosQueryException("query_range sum by (tenant) (" + selector + "): HTTP 503: overloaded", true));
        assertThat(text).startsWith("HTTP 503: overloaded (query_range ").contains("tenant=~<200 values>").doesNotContain("tenant-17");
        assertThat(text.length()).isLessThanOrEqualTo(Failures.MAX_LENGTH);
    }

    @Test
    void fiftyTenantsFailingTwoWindowsAlikeGiveOneLinePerWindowAndOneRepair() {
        List<String> tenants = IntStream.rangeClosed(1, 50).mapToObj(i -> String.format("t%02d", i)).toList();
        String reason = Failures.describe(thanosDown(tenants));
        List<TenantOutcome> outcomes = new ArrayList<>();
        for (String t : tenants) {
            TenantPlan plan = new TenantPlan(t, new Window(DAY1.start(), DAY2.end()), null, null);
            outcomes.add(new TenantOutcome(plan, WriteResult.NOTHING, D0,
                    List.of(reason + " (window " + DAY2 + ")", reason + " (window " + DAY1 + ")"), List.of(DAY2, DAY1), List.of(), D0, D0));
        }
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        FailureLines.print(new PrintStream(err, true, StandardCharsets.UTF_8), RunRequest.backfill(new Window(DAY1.start(), DAY2.end()),
                List.of(), false, false), outcomes);

        List<String> lines = err.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSize(3).allSatisfy(l -> assertThat(l.length()).isLessThan(500));
        assertThat(lines.subList(0, 2)).allSatisfy(l -> assertThat(l).contains("50 tenants", "failed: ConnectException"));
        assertThat(lines.get(2)).contains("--from=" + DAY1.start(), "--to=" + DAY2.end()).doesNotContain("--tenant");
    }

    @Test
    void oneTenantsFailureNamesItAndItsRepairNamesIt() {
        TenantPlan plan = new TenantPlan("acme", DAY1, null, null);
        List<TenantOutcome> outcomes = List.of(
                new TenantOutcome(plan, WriteResult.NOTHING, D0, List.of("boom (window " + DAY1 + ")"), List.of(DAY1), List.of(), D0, D0),
                new TenantOutcome(new TenantPlan("globex", DAY1, null, null), WriteResult.NOTHING, D0, List.of(), List.of(),
                        List.of(), D0, D0));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        FailureLines.print(new PrintStream(err, true, StandardCharsets.UTF_8), RunRequest.backfill(DAY1, List.of(), false, false),
                outcomes);
        assertThat(err.toString(StandardCharsets.UTF_8).lines().collect(Collectors.toList())).hasSize(2)
                .anySatisfy(l -> assertThat(l).startsWith("kubecost-worker: tenant acme failed: boom"))
                .anySatisfy(l -> assertThat(l).contains("--tenant=acme").doesNotContain("globex"));
    }
}
