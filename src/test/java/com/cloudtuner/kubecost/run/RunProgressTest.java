package com.cloudtuner.kubecost.run;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.cloudtuner.kubecost.terminal.StatusLine;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class RunProgressTest {

    private static final long SECOND = 1_000_000_000L;

    private final AtomicLong clock = new AtomicLong();
    private final ByteArrayOutputStream screen = new ByteArrayOutputStream();

    private RunProgress onTerminal(int tenants, int units, long hours, int parallelism) {
        return new RunProgress("r", tenants, units, hours, parallelism, Duration.ofSeconds(1), Duration.ofSeconds(10), clock::get,
                StatusLine.on(new PrintStream(screen, true, StandardCharsets.UTF_8), true));
    }

    private String drawn() {
        String s = screen.toString(StandardCharsets.UTF_8);
        screen.reset();
        return s;
    }

    @Test
    void tenantsCountAsTheirBatchEndsNotOnlyAtTheEnd() {
        // three batches of 2 tenants, two units each, one worker
        RunProgress progress = onTerminal(6, 6, 144, 1);
        int[] finishing = {0, 2, 0, 2, 0, 2};
        int[] expected = {0, 2, 2, 4, 4, 6};
        for (int i = 0; i < 6; i++) {
            clock.addAndGet(2 * SECOND);
            progress.unitEnded(24, 100, finishing[i]);
            assertThat(drawn()).as("unit %d", i + 1).contains(expected[i] + "/6 tenants");
        }
    }

    @Test
    void theBarFollowsTenantHoursAndIsDrawnAtMostOncePerIntervalThenEnded() {
        RunProgress progress = onTerminal(2, 4, 100, 1);
        clock.set(SECOND / 2);
        progress.unitEnded(10, 0, 0);      // within the first second: not drawn
        assertThat(drawn()).isEmpty();
        clock.set(2 * SECOND);
        progress.unitEnded(40, 0, 0);      // 50 of 100 tenant-hours: half the bar, the line cleared first
        assertThat(drawn()).startsWith(StatusLine.CLEAR + "[" + "#".repeat(15) + ".".repeat(15) + "]").doesNotEndWith("\n");
        clock.set(3 * SECOND);
        progress.unitEnded(25, 0, 0);
        assertThat(drawn()).contains("75/100 tenant-hours");
        clock.set(3 * SECOND + 1);
        progress.unitEnded(25, 0, 2);      // the last unit: drawn at once, and the line ended
        assertThat(drawn()).contains("[" + "#".repeat(30) + "]", "2/2 tenants", "4/4 work units").endsWith(System.lineSeparator());
    }

    @Test
    void noBarWhereTheLineIsNotAvailableButLogLinesWithTheFiguresAsFields() {
        Logger logger = (Logger) LoggerFactory.getLogger(RunProgress.class);
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        logger.addAppender(lines);
        try {
            StatusLine jsonLogs = StatusLine.on(new PrintStream(screen, true, StandardCharsets.UTF_8), true);
            jsonLogs.logsAreStructured();
            RunProgress progress = new RunProgress("run-7", 2, 2, 48, 1, Duration.ofSeconds(1), Duration.ofSeconds(10), clock::get,
                    jsonLogs);
            clock.set(10 * SECOND);
            progress.unitEnded(24, 250, 1);
            clock.set(12 * SECOND);
            progress.unitEnded(24, 250, 1);   // 2 s later: no line, and no bar to end
            assertThat(screen.size()).isZero();
            assertThat(lines.list).singleElement().satisfies(e -> assertThat(fields(e)).containsExactlyInAnyOrderEntriesOf(Map.of(
                    "tenants_done", "1", "tenants", "2", "units_done", "1", "units", "2", "tenant_hours_done", "24",
                    "tenant_hours", "48", "rows", "250")));
        } finally {
            logger.detachAppender(lines);
        }
    }

    private static Map<String, String> fields(ILoggingEvent e) {
        return e.getKeyValuePairs().stream().collect(Collectors.toMap(kv -> kv.key, kv -> String.valueOf(kv.value)));
    }
}
