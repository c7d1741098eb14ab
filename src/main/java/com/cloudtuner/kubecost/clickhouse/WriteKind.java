package com.cloudtuner.kubecost.clickhouse;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * What a write's fresh rows are, and so what it may replace and tombstone ({@link WritePlan}):
 * rows of complete hours, whose cluster-hours without fresh rows keep their stored rows
 * ({@link #FINAL}) or lose them ({@link #ERASING}, {@code --erase-missing}); or provisional rows of
 * hours not yet complete, computed as of an instant, which never replace a final row.
 *
 * @param provisionalAsOf the instant provisional rows were computed as of (whole seconds: it is their
 *                        {@code computed_at}, so {@code explain} computes them again alike); null for final rows
 */
public record WriteKind(boolean eraseMissing, Instant provisionalAsOf) {

    public static final WriteKind FINAL = new WriteKind(false, null);
    public static final WriteKind ERASING = new WriteKind(true, null);

    public WriteKind {
        if (provisionalAsOf != null && (eraseMissing || !provisionalAsOf.equals(provisionalAsOf.truncatedTo(ChronoUnit.SECONDS)))) {
            throw new IllegalArgumentException("provisional rows are computed as of a whole second and erase nothing");
        }
    }

    public static WriteKind provisional(Instant asOf) {
        return new WriteKind(false, asOf);
    }

    boolean provisional() {
        return provisionalAsOf != null;
    }
}
