package com.cloudtuner.kubecost.diagnose;

import static org.assertj.core.api.Assertions.assertThat;

import com.cloudtuner.kubecost.cost.Window;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How check's text joins findings alike but for where they are, and when their joined backfill may drop --tenant. */
class CheckReportTest {

    private static final Instant NOW = Instant.parse("2025-10-14T12:10:00Z");
    private static final Window DAY = new Window(Instant.parse("2025-10-13T13:00:00Z"), Instant.parse("2025-10-14T13:00:00Z"));

    private static List<String> lines(boolean examinedAreAll, boolean problemsOnly, String... tenants) {
        CheckReport report = new CheckReport(NOW, DAY, examinedAreAll);
        for (String t : tenants) {
            report.tenant(t);
            report.add(Finding.ok("cluster", "tenant " + t + " cluster prod", "2 namespaces"));
            report.add(Finding.problem("watermark_lag", "tenant " + t, "watermark 2025-10-14T06:00:00Z is 6h behind",
                    "java -jar kubecost-worker.jar backfill --from=2025-10-14T06:00:00Z --to=2025-10-14T12:00:00Z --tenant=" + t));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        report.printText(new PrintStream(out, true, StandardCharsets.UTF_8), problemsOnly);
        List<String> all = out.toString(StandardCharsets.UTF_8).lines().toList();
        return all.subList(1, all.size() - 1); // between the heading and the summary
    }

    @Test
    void findingsAlikeButForTheirTenantPrintAsOneCountedLineWithOneBackfill() {
        List<String> lines = lines(false, false, "a", "b", "c");
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).startsWith("ok ").contains("tenant a cluster prod, tenant b cluster prod and 1 more (3)");
        assertThat(lines.get(1)).startsWith("PROBLEM ").contains("(3)").endsWith("--tenant=a --tenant=b --tenant=c");
    }

    @Test
    void theJoinedBackfillDropsTenantOnlyWhenTheCheckCoveredEveryTenant() {
        assertThat(lines(true, false, "a", "b").get(1)).endsWith("--to=2025-10-14T12:00:00Z");
        assertThat(lines(false, false, "a", "b").get(1)).endsWith("--tenant=a --tenant=b");
    }

    @Test
    void problemsOnlyLeavesOutTheOkLines() {
        assertThat(lines(false, true, "a", "b")).singleElement().satisfies(l -> assertThat(l).startsWith("PROBLEM "));
    }
}
