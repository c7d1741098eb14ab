package com.cloudtuner.kubecost.exporter;

import com.cloudtuner.kubecost.cost.ClusterHourKey;
import com.cloudtuner.kubecost.cost.ClusterKey;
import com.cloudtuner.kubecost.cost.ExporterMetric;
import com.cloudtuner.kubecost.cost.ScrapeHistory;
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
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the exporter's series for a batch of tenants and a window, in two ways:
 * <ul>
 *   <li>{@link #readSums}: the health series raw, then per cost and efficiency metric the hourly
 *       sum (and, for costs, the minimum below zero) and the count of every series (one
 *       {@code query_range} each, stepping one hour), then the server's census of series per
 *       cluster-hour and the health series counted again; the answers are cross-checked
 *       ({@link AnswerAgreement}, {@link Census}) and every cluster-hour they disagree about is
 *       named to be read raw;</li>
 *   <li>{@link #readRaw}: every raw sample, one request per metric (an instant query of a range
 *       selector, never points re-evaluated on a step grid, which would carry a value into a gap).</li>
 * </ul>
 * Both also give the {@link ScrapeHistory} coverage is measured by: the reference series' counts
 * over the day before each hour. Requests per window: 1 + 10 × 3 + 6 × 2 + 2 + 2 = 47 for sums,
 * {@value #ALL_METRICS} raw.
 */
public final class ExporterReader implements ExporterSource {

    static final int ALL_METRICS = 17;
    /**
     * A cost series' functions. The count comes last, so that a sample arriving after the sum shows in
     * it; the first metric of each kind of row is counted before its sum too, so that samples of a
     * whole row arriving after that count show either in a count of another metric of the row or in
     * the second count ({@link AnswerAgreement}).
     */
    private static final List<String> COST_FUNCTIONS = List.of("sum", "min", "count");
    private static final List<String> EFFICIENCY_FUNCTIONS = List.of("sum", "count");
    /** The metrics read first for a namespace row and for a cluster row. */
    private static final List<ExporterMetric> COUNTED_TWICE = List.of(ExporterMetric.CLUSTER_TOTAL_COST,
            ExporterMetric.NAMESPACE_TOTAL_COST);

    private final ThanosClient thanos;
    private final String prefix;
    private final Duration healthLookback;
    private final RangeProbe probe;
    private final TenantCensus census;

    public ExporterReader(ThanosClient thanos, String prefix, Duration healthLookback) {
        this.thanos = thanos;
        this.prefix = prefix;
        this.healthLookback = healthLookback;
        this.probe = new RangeProbe(thanos);
        this.census = new TenantCensus(thanos, prefix);
    }

    @Override
    public List<String> discover(Window window) {
        return census.discover(window);
    }

    @Override
    public Map<String, Integer> namespaceSeries(Window window) {
        return census.namespaceSeries(window);
    }

    /**
     * Per tenant and cluster, the hours of the window in which the exporter's main series have
     * samples, for every tenant in one request.
     */
    public Map<String, Map<String, java.util.BitSet>> presence(Window window) {
        return TenantPresence.read(thanos, prefix, window, probe.known());
    }

    /** The server's range semantics once a read has probed them; null before. */
    public RangeSemantics rangeSemantics() {
        return probe.known();
    }

    /**
     * Every sample of the tenants' series in the window (the health series also in the look-back
     * before it), restricted to {@code clusters} unless that is empty. With {@code withHistory} the
     * reference series are read over the window's horizon too, for the scrape history.
     */
    @Override
    public RawRead readRaw(Collection<String> tenants, Collection<String> clusters, Window window, boolean withHistory) {
        return readRaw(List.of(ExporterMetric.values()), tenants, clusters, window, withHistory);
    }

    /** Like {@link #readRaw(Collection, Collection, Window, boolean)}, for one metric of the tenants' series only. */
    public RawRead readRaw(ExporterMetric metric, Collection<String> tenants, Window window) {
        return readRaw(List.of(metric), tenants, List.of(), window, false);
    }

    private RawRead readRaw(List<ExporterMetric> metrics, Collection<String> tenants, Collection<String> clusters, Window window,
                            boolean withHistory) {
        ExporterLabels labels = new ExporterLabels();
        List<Series> series = new ArrayList<>();
        SeriesPresence presence = new SeriesPresence();
        int malformed = 0;
        long samples = 0;
        for (ExporterMetric metric : metrics) {
            Instant from = fromFor(metric, window);
            if (withHistory && ScrapeHistory.isReference(metric) && ScrapeHistory.horizonOf(window).start().isBefore(from)) {
                from = ScrapeHistory.horizonOf(window).start();
            }
            for (PromSeries s : thanos.rawSamples(selector(metric, tenants, clusters), from, window.end())) {
                presence.addSamples(metric, s.labels(), s.timestamps(), window);
                SeriesRef ref = labels.ref(metric, s.labels());
                if (ref == null) {
                    malformed++;
                    continue;
                }
                series.add(new Series(metric, ref.tenant(), ref.cluster(), ref.namespace(), ref.currency(), ref.replica(),
                        s.timestamps(), s.values()));
                samples += s.size();
            }
        }
        return new RawRead(series, malformed, samples, ScrapeHistory.fromSamples(window, series), presence);
    }

    @Override
    public SumsRead readSums(Collection<String> tenants, Window window) {
        ExporterLabels labels = new ExporterLabels();
        List<PromSeries> healthAnswer = thanos.rawSamples(selector(ExporterMetric.EXPORTER_SCRAPE_SUCCESS, tenants, List.of()),
                fromFor(ExporterMetric.EXPORTER_SCRAPE_SUCCESS, window), window.end());
        RangeSemantics semantics = probe.semantics(healthAnswer);
        if (semantics == null) {
            semantics = probeOnCostSamples(tenants, window);
            if (semantics == null) {
                return SumsRead.unsettled(window); // no sample to probe on: a raw read is exact either way
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
                    ref.replica(), s.timestamps(), s.values()));
        }
        Reading reading = new Reading(window, labels, semantics.hourRange());
        for (ExporterMetric metric : readOrder()) {
            reading.metric(metric, tenants);
        }
        Census census = reading.census(tenants);
        Map<SeriesRef, Map<Long, Integer>> recount = reading.healthRecount(tenants);
        Map<ClusterHourKey, String> suspect = new LinkedHashMap<>(reading.suspect);
        AnswerAgreement.rowsDisagreeing(window, reading.series).forEach(suspect::putIfAbsent);
        AnswerAgreement.healthChanged(window, health, recount).forEach(suspect::putIfAbsent);
        census.disagreements(reading.presence).forEach(suspect::putIfAbsent);
        return new SumsRead(reading.series, health, reading.history.build(), suspect, census, malformed + reading.malformed,
                reading.points, false);
    }

    /** One aggregated read in progress: what its answers gave so far. */
    private final class Reading {
        final Window window;
        final Window horizon;
        final ExporterLabels labels;
        final String hourRange;
        final List<SeriesHours> series = new ArrayList<>();
        final SeriesPresence presence = new SeriesPresence();
        final ScrapeHistory.Builder history;
        final Map<ClusterHourKey, String> suspect = new LinkedHashMap<>();
        int malformed;
        long points;

        Reading(Window window, ExporterLabels labels, String hourRange) {
            this.window = window;
            this.horizon = ScrapeHistory.horizonOf(window);
            this.labels = labels;
            this.hourRange = hourRange;
            this.history = ScrapeHistory.builder(window);
        }

        void metric(ExporterMetric metric, Collection<String> tenants) {
            String sel = selector(metric, tenants, List.of()) + "[" + hourRange + "]";
            HourlyAnswers answers = new HourlyAnswers(metric, window, labels);
            if (COUNTED_TWICE.contains(metric)) {
                answers.firstCounts(hourly("count_over_time(" + sel + ")", window));
            }
            // one query per function: an "or" of labelled functions costs Prometheus ten times as much
            for (String function : metric.quantity().isCost() ? COST_FUNCTIONS : EFFICIENCY_FUNCTIONS) {
                // of the minimums only those below zero: the answer is empty unless there are credits
                String expr = function + "_over_time(" + sel + ")" + (function.equals("min") ? " < 0" : "");
                boolean referenceCount = function.equals("count") && ScrapeHistory.isReference(metric);
                List<PromSeries> answer = hourly(expr, referenceCount ? horizon : window);
                switch (function) {
                    case "sum" -> answers.sums(answer);
                    case "min" -> answers.minimums(answer);
                    default -> answers.counts(referenceCount ? inWindow(metric, answer) : answer, presence);
                }
            }
            series.addAll(answers.complete(suspect));
            malformed += answers.malformed();
        }

        /** The reference counts of the whole horizon go to the history; the window's to the sums. */
        private List<PromSeries> inWindow(ExporterMetric metric, List<PromSeries> answer) {
            List<PromSeries> out = new ArrayList<>(answer.size());
            for (PromSeries s : answer) {
                SeriesRef ref = labels.ref(metric, s.labels());
                int first = 0;
                for (int i = 0; i < s.size(); i++) {
                    long hour = HourlyPoints.hourStart(s.timestamps()[i]);
                    if (ref != null) {
                        history.add(ClusterKey.of(ref), hour, (int) s.values()[i]);
                    }
                    if (hour < window.startMs()) {
                        first = i + 1;
                    }
                }
                out.add(first == 0 ? s : new PromSeries(s.labels(), Arrays.copyOfRange(s.timestamps(), first, s.size()),
                        Arrays.copyOfRange(s.values(), first, s.size())));
            }
            return out;
        }

        Census census(Collection<String> tenants) {
            Map<SeriesPresence.Key, Integer> counted = new HashMap<>();
            for (PromSeries s : hourly(Census.query(m -> selector(m, tenants, List.of()), hourRange), window)) {
                String family = s.labels().get(Census.FAMILY_LABEL);
                String tenant = s.labels().get(ExporterLabels.TENANT);
                if (tenant == null || Census.METRICS.stream().noneMatch(m -> m.name().equals(family))) {
                    throw new ThanosQueryException("the census answer has a series it did not ask for: " + s.labels(), false);
                }
                for (int i = 0; i < s.size(); i++) {
                    double n = s.values()[i];
                    if (!(n >= 0 && n == Math.rint(n) && n < Integer.MAX_VALUE)) {
                        throw new ThanosQueryException("the census answer counts " + n + " series for " + s.labels(), false);
                    }
                    ClusterHourKey key = ClusterHourKey.ofMillis(tenant, s.labels().getOrDefault(ExporterLabels.CLUSTER, ""),
                            HourlyPoints.hourStart(s.timestamps()[i]));
                    counted.put(new SeriesPresence.Key(ExporterMetric.valueOf(family), key), (int) n);
                }
            }
            return new Census(counted);
        }

        /** The health series counted again, last: per target and hour of the window; the horizon's go to the history. */
        Map<SeriesRef, Map<Long, Integer>> healthRecount(Collection<String> tenants) {
            Map<SeriesRef, Map<Long, Integer>> recount = new HashMap<>();
            String expr = "count_over_time(" + selector(ExporterMetric.EXPORTER_SCRAPE_SUCCESS, tenants, List.of())
                    + "[" + hourRange + "])";
            for (PromSeries s : hourly(expr, horizon)) {
                SeriesRef ref = labels.ref(ExporterMetric.EXPORTER_SCRAPE_SUCCESS, s.labels());
                if (ref == null) {
                    continue;
                }
                for (int i = 0; i < s.size(); i++) {
                    long hour = HourlyPoints.hourStart(s.timestamps()[i]);
                    history.add(ClusterKey.of(ref), hour, (int) s.values()[i]);
                    if (hour >= window.startMs()) {
                        recount.computeIfAbsent(ref, k -> new HashMap<>()).merge(hour, (int) s.values()[i], Integer::sum);
                    }
                }
            }
            return recount;
        }

        /** A query_range over the hours of {@code hours}, each point at its hour's last millisecond. */
        private List<PromSeries> hourly(String expr, Window hours) {
            List<PromSeries> answer = HourlyPoints.query(thanos, expr, hours);
            for (PromSeries s : answer) {
                points += s.size();
            }
            return answer;
        }
    }

    /** The cost and efficiency metrics, each kind of row starting with its total cost. */
    private static List<ExporterMetric> readOrder() {
        List<ExporterMetric> order = new ArrayList<>(COUNTED_TWICE);
        for (ExporterMetric m : ExporterMetric.values()) {
            if (m.scope() != ExporterMetric.Scope.HEALTH && !order.contains(m)) {
                order.add(m);
            }
        }
        return order;
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
}
