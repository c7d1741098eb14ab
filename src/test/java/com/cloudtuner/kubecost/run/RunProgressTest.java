package com.cloudtuner.kubecost.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RunProgressTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void reportsAtMostEveryTenSecondsWithRateAndTimeLeftAndFinishesTheBar() {
        AtomicLong clock = new AtomicLong();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RunProgress progress = new RunProgress("r", 4, 96, Duration.ofSeconds(10), clock::get,
                new PrintStream(out, true, StandardCharsets.UTF_8));

        clock.set(3 * SECOND);
        progress.unitEnded(24, 600);   // too soon: nothing
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
        clock.set(12 * SECOND);
        progress.unitEnded(24, 600);   // 1,200 rows in 12 s = 100 rows/s; 2 units in 12 s, 2 to go: 12 s
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("\r[###############...............] 2/4 work units,"
                + " 48/96 tenant-hours, 1200 rows, 100 rows/s, about 12s left");
        out.reset();
        clock.set(15 * SECOND);
        progress.unitEnded(24, 300);   // 3 s after the last report: nothing
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
        clock.set(20 * SECOND);
        progress.unitEnded(24, 500);   // the last unit: always shown, and the bar's line ends
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("\r[##############################] 4/4 work units,"
                + " 96/96 tenant-hours, 2000 rows, 100 rows/s, about 0s left\n");
    }
}
