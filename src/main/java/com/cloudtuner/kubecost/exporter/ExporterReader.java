package com.cloudtuner.kubecost.exporter;

import com.cloudtuner.kubecost.cost.ClusterHourKey;
import com.cloudtuner.kubecost.cost.ExporterMetric;
import com.cloudtuner.kubecost.cost.ScrapeHistory;
import com.cloudtuner.kubecost.cost.Series;
import com.cloudtuner.kubecost.cost.SeriesRef;
import com.cloudtuner.kubecost.cost.Window;
import com.cloudtuner.kubecost.thanos.PromSeries;
import com.cloudtuner.kubecost.thanos.ThanosClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
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
    private final ThanosClient thanos;
    private final String prefix;
    private final Duration healthLookback;
    private final RangeProbe probe;
    private final TenantCensus census;
    private final Selectors selectors;

    public ExporterReader(ThanosClient thanos, String prefix, Duration healthLookback) {
        this.thanos = thanos;
        this.prefix = prefix;
        this.healthLookback = healthLookback;
        this.probe = new RangeProbe(thanos);
        this.census = new TenantCensus(thanos, prefix);
        this.selectors = new Selectors(prefix);
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
            for (PromSeries s : thanos.rawSamples(selectors.of(metric, tenants, clusters), from, window.end())) {
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
        List<PromSeries> healthAnswer = thanos.rawSamples(selectors.of(ExporterMetric.EXPORTER_SCRAPE_SUCCESS, tenants, List.of()),
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
        SumsReading reading = new SumsReading(thanos, selectors, window, labels, semantics.hourRange());
        for (ExporterMetric metric : SumsReading.readOrder()) {
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

    /** Without a health sample to probe on, the first cost metric with a sample gives one. */
    private RangeSemantics probeOnCostSamples(Collection<String> tenants, Window window) {
        RangeSemantics semantics = probe.known();
        for (ExporterMetric metric : ExporterMetric.values()) {
            if (semantics != null || !metric.quantity().isCost()) {
                continue;
            }
            semantics = probe.semantics(thanos.rawSamples(selectors.of(metric, tenants, List.of()), window.start(), window.end()));
        }
        return semantics;
    }

    private Instant fromFor(ExporterMetric metric, Window window) {
        // Health samples from just before the window decide about its first cost samples.
        return metric.scope() == ExporterMetric.Scope.HEALTH ? window.start().minus(healthLookback) : window.start();
    }
}
