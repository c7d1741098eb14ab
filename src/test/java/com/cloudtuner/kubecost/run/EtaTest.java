package com.cloudtuner.kubecost.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EtaTest {

    private static final long SECOND = 1_000_000_000L;

    /**
     * A run of 40 units of 10 tenant-hours processed 4 at a time, in waves: the first wave pays 30 s
     * of warm-up, every later one takes 5 s. After the first wave the truth is 5 s per 4 units.
     */
    static Stream<Arguments> waves() {
        return Stream.of(
                // units ended, expected estimate (empty: still estimating)
                Arguments.of(1, null),
                Arguments.of(4, null),   // the first wave only: its pace is the warm-up's
                Arguments.of(6, null),   // half a wave after it: too little to tell
                Arguments.of(8, 40L),    // 32 units left at 4 per 5 s
                Arguments.of(20, 25L),
                Arguments.of(40, 0L));
    }

    @ParameterizedTest(name = "after {0} units: {1} s left")
    @MethodSource("waves")
    void theEstimateWaitsForAWaveAfterTheFirstAndThenFollowsThePace(int ended, Long expectedSeconds) {
        Eta eta = new Eta(4);
        long now = 0;
        for (int unit = 1; unit <= ended; unit++) {
            now = unit <= 4 ? 30 * SECOND : (30 + 5 * ((unit - 1) / 4)) * SECOND; // units of a wave end together
            eta.unitEnded(now, 10L * unit);
        }
        Optional<Duration> left = eta.left(now, 10L * ended, 400);
        assertThat(left.map(Duration::toSeconds).orElse(null)).isEqualTo(expectedSeconds);
    }

    @ParameterizedTest(name = "one worker, after {0} units")
    @MethodSource("oneWorker")
    void withOneWorkerTheWarmUpIsTheFirstUnit(int ended, Long expectedSeconds) {
        Eta eta = new Eta(1);
        long now = 0;
        for (int unit = 1; unit <= ended; unit++) {
            now = (20 + 2L * (unit - 1)) * SECOND; // the first unit 20 s, then 2 s each
            eta.unitEnded(now, unit);
        }
        assertThat(eta.left(now, ended, 10).map(Duration::toSeconds).orElse(null)).isEqualTo(expectedSeconds);
    }

    static Stream<Arguments> oneWorker() {
        return Stream.of(Arguments.of(1, null), Arguments.of(2, null), Arguments.of(3, 14L), Arguments.of(10, 0L));
    }
}
