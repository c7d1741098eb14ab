package com.cloudtuner.kubecost.cost;

import java.time.Instant;

/**
 * How far a provisional cluster-hour has accrued (rule 8, {@link Accrual}).
 *
 * @param latestSample the time of its latest valid cost sample: how recent its rows are
 * @param fraction     the part of the hour its costs stand for, 0..1
 */
public record AccruedHour(Instant latestSample, double fraction) {
}
