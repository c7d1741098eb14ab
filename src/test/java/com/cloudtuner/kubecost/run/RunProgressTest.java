package com.cloudtuner.kubecost.run;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class RunProgressTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void reportsAtMostEveryTenSecondsWithRateAndTimeLeftAndFinishesTheBar() {
        AtomicLong clock = new AtomicLong();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        // two batches of 3 tenants, two work units each
        RunProgress progress = new RunProgress("r", 6, 4, 96, Duration.ofSeconds(10), clock::get,
                new PrintStream(out, true, StandardCharsets.UTF_8));

        clock.set(3 * SECOND);
        progress.unitEnded(24, 600, 0);   // too soon: nothing
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
        clock.set(12 * SECOND);
        progress.unitEnded(24, 600, 3);   // the first batch's last unit; 1,200 rows in 12 s = 100 rows/s; 2 of 4 units in 12 s: 12 s left
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("\r[###############...............] 3/6 tenants, 2/4 work units,"
                + " 48/96 tenant-hours, 1200 rows, 100 rows/s, about 12s left");
        out.reset();
        clock.set(15 * SECOND);
        progress.unitEnded(24, 300, 0);   // 3 s after the last report: nothing
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
        clock.set(20 * SECOND);
        progress.unitEnded(24, 500, 3);   // the last unit: always shown, and the bar's line ends
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("\r[##############################] 6/6 tenants, 4/4 work units,"
                + " 96/96 tenant-hours, 2000 rows, 100 rows/s, about 0s left\n");
    }

    @Test
    void withoutATerminalEachReportIsOneLogLineWithTheRunId() {
        Logger logger = (Logger) LoggerFactory.getLogger(RunProgress.class);
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        logger.addAppender(lines);
        try {
            AtomicLong clock = new AtomicLong();
            RunProgress progress = new RunProgress("run-7", 2, 2, 48, Duration.ofSeconds(10), clock::get, null);
            clock.set(10 * SECOND);
            progress.unitEnded(24, 250, 1);   // 250 rows in 10 s; 1 of 2 units in 10 s: 10 s left
            clock.set(12 * SECOND);
            progress.unitEnded(24, 250, 1);   // 2 s later: no line (no bar to finish either)
            assertThat(lines.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
                    "run=run-7 progress: 1/2 tenants, 1/2 work units, 24/48 tenant-hours, 250 rows, 25 rows/s, about 10s left");
        } finally {
            logger.detachAppender(lines);
        }
    }
}
