package com.cloudtuner.kubecost.testing;

import com.cloudtuner.kubecost.cost.ExporterMetric;
import com.cloudtuner.kubecost.simulate.ExporterDataset;
import java.util.Map;
import java.util.function.LongPredicate;
import java.util.function.LongToDoubleFunction;

/**
 * Writes exporter series for tests: which scrapes exist and what each one reports are functions of
 * the scrape time, so a test states its data and its expected costs from the same definitions.
 */
public final class Exporter {

    public static final String PREFIX = "cloudtuner_kubecost_";
    public static final long MINUTE = 60_000L;
    public static final long HOUR = 3_600_000L;

    private final ExporterDataset data = new ExporterDataset();

    public ExporterDataset dataset() {
        return data;
    }

    public static Map<String, String> labels(String tenant, String cluster, String namespace, String... extra) {
        return ExporterDataset.exporterLabels(tenant, cluster, namespace, extra);
    }

    /**
     * One series sampled every {@code stepMs} from {@code fromMs} (inclusive) to {@code toMs}
     * (exclusive), at the scrapes where {@code scraped} holds, with the value {@code value} gives.
     */
    public Exporter gauge(ExporterMetric metric, Map<String, String> labels, long fromMs, long toMs, long stepMs,
                          LongPredicate scraped, LongToDoubleFunction value) {
        ExporterDataset.SeriesData s = data.series(metric.metricName(PREFIX), labels);
        for (long t = fromMs; t < toMs; t += stepMs) {
            if (scraped.test(t)) {
                s.add(t, value.applyAsDouble(t));
            }
        }
        return this;
    }

    public static LongPredicate always() {
        return t -> true;
    }

    /** Scraped except in [fromMs, toMs). */
    public static LongPredicate except(long fromMs, long toMs) {
        return t -> t < fromMs || t >= toMs;
    }

    public static long hourOf(long t) {
        return Math.floorDiv(t, HOUR) * HOUR;
    }
}
