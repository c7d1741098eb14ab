package com.cloudtuner.kubecost.cost;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Rule 3's coverage: each valid cost sample backs one scrape interval from its timestamp; the
 * union of what the samples of a row-hour back, as a share of an hour, capped at 1.
 */
public final class Coverage {

    private Coverage() {
    }

    /** The union of {@code [start, end)} intervals as disjoint runs in time order; sorts its argument. */
    public static List<long[]> union(List<long[]> intervals) {
        intervals.sort(Comparator.comparingLong(a -> a[0]));
        List<long[]> runs = new ArrayList<>();
        long[] run = null;
        for (long[] b : intervals) {
            if (run == null || b[0] > run[1]) {
                run = new long[] {b[0], b[1]};
                runs.add(run);
            } else {
                run[1] = Math.max(run[1], b[1]);
            }
        }
        return runs;
    }

    /** The length of disjoint runs as a share of an hour, at most 1. */
    public static double shareOfHour(List<long[]> runs) {
        long covered = 0;
        for (long[] r : runs) {
            covered += r[1] - r[0];
        }
        return Math.min(1.0, covered / (double) Window.HOUR_MS);
    }
}
