package com.cloudtuner.kubecost.run;

import java.time.Duration;
import java.util.Optional;

/**
 * The time a run has left, from the pace of its finished tenant-hours. The pace is measured from the
 * moment the first wave of work units has ended ({@code parallelism} of them), not from the start:
 * before it the workers were busy but nothing had finished, and the first units also pay for the
 * connections and the JIT, so an estimate from the start overstates the time left several times
 * over. Until a whole wave more has ended after that moment there is no estimate ("estimating").
 */
final class Eta {

    private final int wave;
    private int unitsEnded;
    private long anchorNanos;
    private long anchorHours;

    /** @param parallelism work units processed at once */
    Eta(int parallelism) {
        this.wave = Math.max(1, parallelism);
    }

    /** @param hoursDone tenant-hours done, this unit's included */
    void unitEnded(long nanos, long hoursDone) {
        unitsEnded++;
        if (unitsEnded == wave) {
            anchorNanos = nanos;
            anchorHours = hoursDone;
        }
    }

    /** Empty while estimating; zero when nothing is left. */
    Optional<Duration> left(long nanos, long hoursDone, long hoursTotal) {
        if (hoursDone >= hoursTotal) {
            return Optional.of(Duration.ZERO);
        }
        long sinceAnchor = nanos - anchorNanos;
        long hoursSinceAnchor = hoursDone - anchorHours;
        if (unitsEnded < wave + Math.max(2, wave) || sinceAnchor <= 0 || hoursSinceAnchor <= 0) {
            return Optional.empty();
        }
        double nanosPerHour = (double) sinceAnchor / hoursSinceAnchor;
        return Optional.of(Duration.ofSeconds(Math.round(nanosPerHour * (hoursTotal - hoursDone) / 1e9)));
    }
}
