package com.cloudtuner.kubecost.cost;

import java.util.Arrays;

import java.util.Objects;

/**
 * One stored series summarised per UTC hour by the metrics store: the sum and the number of its
 * samples in each hour {@code [h, h+1h)} of a window, {@code sums[i]} and {@code counts[i]} for the
 * i-th hour. An hour without samples has count 0. A sum that is not finite means the hour held a
 * NaN or infinite sample. For cost series, {@code mins} holds each hour's smallest sample where
 * it is below zero, else 0 (null when not read): a negative one is a credit the ledger counts.
 */
public record SeriesHours(SeriesRef ref, long firstHourMs, double[] sums, int[] counts, double[] mins) {

    public SeriesHours(SeriesRef ref, long firstHourMs, double[] sums, int[] counts) {
        this(ref, firstHourMs, sums, counts, null);
    }

    public SeriesHours {
        if (mins != null && mins.length != counts.length) {
            throw new IllegalArgumentException("mins and counts differ in length");
        }
        Objects.requireNonNull(ref, "ref");
        if (sums.length != counts.length) {
            throw new IllegalArgumentException("sums and counts differ in length");
        }
        if (firstHourMs % Window.HOUR_MS != 0) {
            throw new IllegalArgumentException("not a whole hour: " + firstHourMs);
        }
        if (ref.metric().scope() == ExporterMetric.Scope.HEALTH) {
            throw new IllegalArgumentException("health series are read raw");
        }
    }

    public int hours() {
        return counts.length;
    }

    public long hourStart(int i) {
        return firstHourMs + i * Window.HOUR_MS;
    }

    /** Whether the hour's smallest sample is known to be negative. */
    public boolean hasNegative(int i) {
        return mins != null && counts[i] > 0 && mins[i] < 0;
    }

    /** Equal when the same series has the same hourly figures (a record would compare the arrays by identity). */
    @Override
    public boolean equals(Object o) {
        return o instanceof SeriesHours h && ref.equals(h.ref) && firstHourMs == h.firstHourMs && Arrays.equals(sums, h.sums)
                && Arrays.equals(counts, h.counts) && Arrays.equals(mins, h.mins);
    }

    @Override
    public int hashCode() {
        return 31 * ref.hashCode() + Long.hashCode(firstHourMs);
    }
}
