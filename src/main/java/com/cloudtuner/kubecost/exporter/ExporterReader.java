package com.cloudtuner.kubecost.exporter;

import com.cloudtuner.kubecost.cost.ExporterMetric;
import com.cloudtuner.kubecost.cost.Series;
import com.cloudtuner.kubecost.cost.SeriesHours;
import com.cloudtuner.kubecost.cost.SeriesRef;
import com.cloudtuner.kubecost.cost.Window;
import com.cloudtuner.kubecost.thanos.PromQl;
import com.cloudtuner.kubecost.thanos.PromSeries;
import com.cloudtuner.kubecost.thanos.ThanosClient;
import com.cloudtuner.kubecost.thanos.ThanosQueryException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the exporter's series for a batch of tenants and a window, in two ways:
 * <ul>
 *   <li>{@link #readSums}: the health series raw (one request), and per cost and efficiency metric
 *       the hourly sum and count of every series (one {@code query_range} stepping one hour), so an
 *       answer carries two numbers per series-hour however often the exporter is scraped;</li>
 *   <li>{@link #readRaw}: every raw sample, one request per metric (an instant query of a range
 *       selector, never points re-evaluated on a step grid, which would carry a value into a gap).</li>
 * </ul>
 * Requests per window: 1 + 10 × 3 + 6 × 2 = 43 for sums (the health series, then sum, count and
 * minimum of the 10 cost metrics, sum and count of the 6 efficiency metrics), {@value #ALL_METRICS} raw.
 */
public final class ExporterReader {

    static final int ALL_METRICS = 17;
    /**
     * The functions read for a cost series: the minimum, where it is below zero, tells the hours
     * with negative samples (the ledger counts them one by one, so those hours are read raw).
     */
    private static final List<String> COST_FUNCTIONS = List.of("sum", "count", "min");
    private static final List<String> EFFICIENCY_FUNCTIONS = List.of("sum", "count");
    private static final long HOUR_MS = Window.HOUR_MS;

    private final ThanosClient thanos;
    private final String prefix;
    private final Duration healthLookback;
    private final RangeProbe probe;

    public ExporterReader(ThanosClient thanos, String prefix, Duration healthLookback) {
        this.thanos = thanos;
        this.prefix = prefix;
        this.healthLookback = healthLookback;
        this.probe = new RangeProbe(thanos);
    }

    /** The server's range semantics once a read has probed them; null before. */
    public RangeSemantics rangeSemantics() {
        return probe.known();
    }

    /** Raw samples; {@code malformed} counts series without the labels a row needs. */
    public record RawRead(List<Series> series, int malformed, long samples) {
    }

    /**
     * Hourly sums of the cost and efficiency series, and the raw health series (window and look-back).
     * {@code unsettled} when the server's range semantics could not be probed on any sample of the
     * window (none, or only series' first samples and samples on the hour): sums would then be read
     * without knowing which hour a sample on an hour boundary falls in, so the window must be read raw.
     */
    public record SumsRead(List<SeriesHours> series, List<Series> health, int malformed, long points, boolean unsettled) {

        static SumsRead unsettledWindow() {
            return new SumsRead(List.of(), List.of(), 0, 0, true);
        }
    }

    /**
     * Every sample of the tenants' series in the window (the health series also in the look-back
     * before it), restricted to {@code clusters} unless that is empty; {@code intervals} are
     * passed on to the series they name.
     */
    public RawRead readRaw(Collection<String> tenants, Collection<String> clusters, Window window,
                           Map<SeriesRef, Long> intervals) {
        return readRaw(List.of(ExporterMetric.values()), tenants, clusters, window, intervals);
    }

    /** Like {@link #readRaw(Collection, Collection, Window, Map)}, for one metric of the tenants' series only. */
    public RawRead readRaw(ExporterMetric metric, Collection<String> tenants, Window window) {
        return readRaw(List.of(metric), tenants, List.of(), window, Map.of());
    }

    private RawRead readRaw(List<ExporterMetric> metrics, Collection<String> tenants, Collection<String> clusters, Window window,
                            Map<SeriesRef, Long> intervals) {
        ExporterLabels labels = new ExporterLabels();
        List<Series> series = new ArrayList<>();
        int malformed = 0;
        long samples = 0;
        for (ExporterMetric metric : metrics) {
            for (PromSeries s : thanos.rawSamples(selector(metric, tenants, clusters), fromFor(metric, window), window.end())) {
                SeriesRef ref = labels.ref(metric, s.labels());
                if (ref == null) {
                    malformed++;
                    continue;
                }
                series.add(new Series(metric, ref.tenant(), ref.cluster(), ref.namespace(), ref.currency(), ref.replica(),
                        intervals.getOrDefault(ref, 0L), s.timestamps(), s.values()));
                samples += s.size();
            }
        }
        return new RawRead(series, malformed, samples);
    }

    public SumsRead readSums(Collection<String> tenants, Window window) {
        ExporterLabels labels = new ExporterLabels();
        List<PromSeries> healthAnswer = thanos.rawSamples(selector(ExporterMetric.EXPORTER_SCRAPE_SUCCESS, tenants, List.of()),
                fromFor(ExporterMetric.EXPORTER_SCRAPE_SUCCESS, window), window.end());
        RangeSemantics semantics = probe.semantics(healthAnswer);
        if (semantics == null) {
            semantics = probeOnCostSamples(tenants, window);
            if (semantics == null) {
                return SumsRead.unsettledWindow(); // no sample to probe on: a raw read is exact either way
            }
        }
        List<Series> health = new ArrayList<>();
        int malformed = 0;
        for (PromSeries s : healthAnswer) {
            SeriesRef ref = labels.ref(ExporterMetric.EXPORTER_SCRAPE_SUCCESS, s.labels());
            if (ref == null) {
                malformed++;
                continue;
            }
            health.add(new Series(ExporterMetric.EXPORTER_SCRAPE_SUCCESS, ref.tenant(), ref.cluster(), null, null,
                    ref.replica(), 0, s.timestamps(), s.values()));
        }
        List<SeriesHours> series = new ArrayList<>();
        long points = 0;
        for (ExporterMetric metric : ExporterMetric.values()) {
            if (metric.scope() == ExporterMetric.Scope.HEALTH) {
                continue;
            }
            String sel = selector(metric, tenants, List.of()) + "[" + semantics.hourRange() + "]";
            Pairing pairing = new Pairing(metric, window, labels);
            // one query per function: an "or" of labelled functions costs Prometheus ten times as much
            for (String function : metric.quantity().isCost() ? COST_FUNCTIONS : EFFICIENCY_FUNCTIONS) {
                // of the minimums only those below zero: the answer is empty unless there are credits
                String expr = function + "_over_time(" + sel + ")" + (function.equals("min") ? " < 0" : "");
                List<PromSeries> answer = thanos.queryRange(expr,
                        window.start().plusMillis(HOUR_MS - 1), window.end().minusMillis(1), Duration.ofHours(1));
                for (PromSeries s : answer) {
                    if (!pairing.add(function, s)) {
                        malformed++;
                    }
                    points += s.size();
                }
            }
            series.addAll(pairing.complete(metric.metricName(prefix)));
        }
        return new SumsRead(series, health, malformed, points, false);
    }

    /** Without a health sample to probe on, the first cost metric with a sample gives one. */
    private RangeSemantics probeOnCostSamples(Collection<String> tenants, Window window) {
        RangeSemantics semantics = probe.known();
        for (ExporterMetric metric : ExporterMetric.values()) {
            if (semantics != null || !metric.quantity().isCost()) {
                continue;
            }
            semantics = probe.semantics(thanos.rawSamples(selector(metric, tenants, List.of()), window.start(), window.end()));
        }
        return semantics;
    }

    private Instant fromFor(ExporterMetric metric, Window window) {
        // Health samples from just before the window decide about its first cost samples.
        return metric.scope() == ExporterMetric.Scope.HEALTH ? window.start().minus(healthLookback) : window.start();
    }

    private String selector(ExporterMetric metric, Collection<String> tenants, Collection<String> clusters) {
        List<String> matchers = new ArrayList<>();
        matchers.add(PromQl.anyOf(ExporterLabels.TENANT, tenants));
        if (!clusters.isEmpty()) {
            matchers.add(PromQl.anyOf(ExporterLabels.CLUSTER, clusters));
        }
        return PromQl.selector(metric.metricName(prefix), matchers);
    }

    /** Joins each series' sum and count points into hourly arrays over the window. */
    private static final class Pairing {
        private final ExporterMetric metric;
        private final Window window;
        private final ExporterLabels labels;
        private final Map<SeriesRef, double[]> sums = new HashMap<>();
        private final Map<SeriesRef, BitSet> sumHours = new HashMap<>();
        private final Map<SeriesRef, int[]> counts = new LinkedHashMap<>();
        private final Map<SeriesRef, double[]> mins = new HashMap<>();

        Pairing(ExporterMetric metric, Window window, ExporterLabels labels) {
            this.metric = metric;
            this.window = window;
            this.labels = labels;
        }

        /** False when the series lacks a label a row needs (counted once, on its counts). */
        boolean add(String kind, PromSeries s) {
            SeriesRef ref = labels.ref(metric, s.labels());
            if (ref == null) {
                return kind.equals("count");
            }
            int hours = window.hours();
            if (kind.equals("min")) {
                double[] values = mins.computeIfAbsent(ref, k -> new double[hours]);
                for (int i = 0; i < s.size(); i++) {
                    values[hourIndex(s.timestamps()[i])] = s.values()[i];
                }
            } else if (kind.equals("sum")) {
                double[] values = sums.computeIfAbsent(ref, k -> new double[hours]);
                BitSet present = sumHours.computeIfAbsent(ref, k -> new BitSet(hours));
                for (int i = 0; i < s.size(); i++) {
                    int h = hourIndex(s.timestamps()[i]);
                    values[h] = s.values()[i];
                    present.set(h);
                }
            } else {
                int[] values = counts.computeIfAbsent(ref, k -> new int[hours]);
                for (int i = 0; i < s.size(); i++) {
                    double c = s.values()[i];
                    if (!(c >= 1 && c == Math.rint(c) && c < Integer.MAX_VALUE)) {
                        throw new ThanosQueryException(metric.metricName("") + " " + s.labels() + ": a sample count of " + c
                                + " is not a positive whole number", false);
                    }
                    values[hourIndex(s.timestamps()[i])] = (int) c;
                }
            }
            return true;
        }

        private int hourIndex(long pointMs) {
            return (int) ((pointMs + 1 - HOUR_MS - window.startMs()) / HOUR_MS);
        }

        /**
         * The series, each with a sum for the hours it has a count for. A count without a sum is an
         * hour whose sum is NaN: VictoriaMetrics leaves NaN points out of its answers (+Inf and -Inf
         * in one hour), and a NaN sum sends the hour to a raw read. A sum without a count is a defect.
         */
        List<SeriesHours> complete(String expr) {
            if (!counts.keySet().containsAll(sums.keySet())) {
                throw new ThanosQueryException(expr + ": the answers have sums of series they have no counts for", false);
            }
            List<SeriesHours> out = new ArrayList<>(counts.size());
            counts.forEach((ref, c) -> {
                double[] s = sums.getOrDefault(ref, new double[c.length]);
                BitSet present = sumHours.getOrDefault(ref, new BitSet());
                for (int i = 0; i < c.length; i++) {
                    if (c[i] == 0 && present.get(i)) {
                        throw new ThanosQueryException(expr + ": " + ref + " has a sum but no count for hour "
                                + Instant.ofEpochMilli(window.startMs() + i * HOUR_MS), false);
                    }
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
}
