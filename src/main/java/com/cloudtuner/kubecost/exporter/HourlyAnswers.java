package com.cloudtuner.kubecost.exporter;

import com.cloudtuner.kubecost.cost.ClusterHourKey;
import com.cloudtuner.kubecost.cost.ExporterMetric;
import com.cloudtuner.kubecost.cost.SeriesHours;
import com.cloudtuner.kubecost.cost.SeriesRef;
import com.cloudtuner.kubecost.cost.Window;
import com.cloudtuner.kubecost.thanos.PromSeries;
import com.cloudtuner.kubecost.thanos.ThanosQueryException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Joins one metric's hourly answers (sum, count and, for costs, the minimum below zero) into a
 * {@link SeriesHours} per series. A series-hour with a sum but no count is an answer that lost a
 * series: its cluster-hour goes to {@code suspect} (to be read raw), never to a sum of nothing. A
 * count without a sum is an hour whose sum is NaN (VictoriaMetrics leaves NaN points out of its
 * answers), which sends the hour to a raw read too.
 */
final class HourlyAnswers {

    private final ExporterMetric metric;
    private final Window window;
    private final ExporterLabels labels;
    private final Map<SeriesRef, double[]> sums = new HashMap<>();
    private final Map<SeriesRef, BitSet> sumHours = new HashMap<>();
    private final Map<SeriesRef, int[]> counts = new LinkedHashMap<>();
    private final Map<SeriesRef, double[]> mins = new HashMap<>();
    private final Map<SeriesRef, int[]> firstCounts = new HashMap<>();
    private boolean countedFirst;
    private int malformed;

    HourlyAnswers(ExporterMetric metric, Window window, ExporterLabels labels) {
        this.metric = metric;
        this.window = window;
        this.labels = labels;
    }

    /** Series of the answers that lack a label a row needs (counted once, on their counts). */
    int malformed() {
        return malformed;
    }

    void sums(List<PromSeries> answer) {
        for (PromSeries s : answer) {
            SeriesRef ref = labels.ref(metric, s.labels());
            if (ref != null) {
                double[] values = sums.computeIfAbsent(ref, k -> new double[window.hours()]);
                BitSet present = sumHours.computeIfAbsent(ref, k -> new BitSet(window.hours()));
                for (int i = 0; i < s.size(); i++) {
                    int h = hourIndex(s.timestamps()[i]);
                    values[h] = s.values()[i];
                    present.set(h);
                }
            }
        }
    }

    void minimums(List<PromSeries> answer) {
        for (PromSeries s : answer) {
            SeriesRef ref = labels.ref(metric, s.labels());
            if (ref != null) {
                double[] values = mins.computeIfAbsent(ref, k -> new double[window.hours()]);
                for (int i = 0; i < s.size(); i++) {
                    values[hourIndex(s.timestamps()[i])] = s.values()[i];
                }
            }
        }
    }

    /** Counts read before the sums, to be compared with those read after them. */
    void firstCounts(List<PromSeries> answer) {
        countedFirst = true;
        for (PromSeries s : answer) {
            SeriesRef ref = labels.ref(metric, s.labels());
            if (ref != null) {
                int[] values = firstCounts.computeIfAbsent(ref, k -> new int[window.hours()]);
                for (int i = 0; i < s.size(); i++) {
                    values[hourIndex(s.timestamps()[i])] = (int) s.values()[i];
                }
            }
        }
    }

    /** The counts of the window's hours; series present in an hour are noted in {@code presence}. */
    void counts(List<PromSeries> answer, SeriesPresence presence) {
        for (PromSeries s : answer) {
            SeriesRef ref = labels.ref(metric, s.labels());
            int[] values = ref == null ? null : counts.computeIfAbsent(ref, k -> new int[window.hours()]);
            if (ref == null) {
                malformed++;
            }
            for (int i = 0; i < s.size(); i++) {
                double c = s.values()[i];
                if (!(c >= 1 && c == Math.rint(c) && c < Integer.MAX_VALUE)) {
                    throw new ThanosQueryException(metric.metricName("") + " " + s.labels() + ": a sample count of " + c
                            + " is not a positive whole number", false);
                }
                int h = hourIndex(s.timestamps()[i]);
                presence.add(metric, s.labels(), window.startMs() + h * Window.HOUR_MS);
                if (values != null) {
                    values[h] = (int) c;
                }
            }
        }
    }

    private ClusterHourKey key(SeriesRef ref, int hour) {
        return ClusterHourKey.ofMillis(ref.tenant(), ref.cluster(), window.startMs() + hour * Window.HOUR_MS);
    }

    private int hourIndex(long pointMs) {
        return HourlyPoints.index(window, pointMs);
    }

    /**
     * The series, each with a sum for the hours it has a count for. The cluster-hours of series-hours
     * with a sum but no count, or counted differently before and after the sums, are added to
     * {@code suspect} with why.
     */
    List<SeriesHours> complete(Map<ClusterHourKey, String> suspect) {
        String name = metric.metricName("");
        sums.forEach((ref, s) -> {
            int[] c = counts.get(ref);
            BitSet present = sumHours.get(ref);
            for (int i = present.nextSetBit(0); i >= 0; i = present.nextSetBit(i + 1)) {
                if (c == null || c[i] == 0) {
                    suspect.putIfAbsent(key(ref, i), name + ": a series has a sum but no count");
                }
            }
        });
        if (countedFirst) {
            java.util.Set<SeriesRef> refs = new java.util.HashSet<>(counts.keySet());
            refs.addAll(firstCounts.keySet());
            for (SeriesRef ref : refs) {
                int[] before = firstCounts.getOrDefault(ref, new int[window.hours()]);
                int[] after = counts.getOrDefault(ref, new int[window.hours()]);
                for (int i = 0; i < window.hours(); i++) {
                    if (before[i] != after[i]) {
                        suspect.putIfAbsent(key(ref, i), name + ": counted " + before[i] + " samples, then " + after[i]);
                    }
                }
            }
        }
        List<SeriesHours> out = new ArrayList<>(counts.size());
        counts.forEach((ref, c) -> {
            double[] s = sums.getOrDefault(ref, new double[c.length]);
            BitSet present = sumHours.getOrDefault(ref, new BitSet());
            for (int i = 0; i < c.length; i++) {
                if (c[i] > 0 && !present.get(i)) {
                    s[i] = Double.NaN;
                }
            }
            out.add(new SeriesHours(ref, window.startMs(), s, c, metric.quantity().isCost()
                    ? mins.getOrDefault(ref, new double[c.length]) : null));
        });
        return out;
    }
}
