package com.cloudtuner.kubecost.exporter;

import com.cloudtuner.kubecost.cost.ClusterHourKey;
import com.cloudtuner.kubecost.cost.ClusterKey;
import com.cloudtuner.kubecost.cost.ExporterMetric;
import com.cloudtuner.kubecost.cost.ScrapeHistory;
import com.cloudtuner.kubecost.cost.SeriesHours;
import com.cloudtuner.kubecost.cost.SeriesRef;
import com.cloudtuner.kubecost.cost.Window;
import com.cloudtuner.kubecost.thanos.PromSeries;
import com.cloudtuner.kubecost.thanos.ThanosClient;
import com.cloudtuner.kubecost.thanos.ThanosQueryException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One aggregated read of a batch's window in progress ({@link ExporterReader#readSums}): per cost
 * and efficiency metric its hourly answers, then the server's census and the health series
 * counted again; what the answers gave so far.
 */
final class SumsReading {

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
    private final Selectors selectors;
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

    SumsReading(ThanosClient thanos, Selectors selectors, Window window, ExporterLabels labels, String hourRange) {
        this.thanos = thanos;
        this.selectors = selectors;
        this.window = window;
        this.horizon = ScrapeHistory.horizonOf(window);
        this.labels = labels;
        this.hourRange = hourRange;
        this.history = ScrapeHistory.builder(window);
    }

    void metric(ExporterMetric metric, Collection<String> tenants) {
        String sel = selectors.of(metric, tenants, List.of()) + "[" + hourRange + "]";
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
        for (PromSeries s : hourly(Census.query(m -> selectors.of(m, tenants, List.of()), hourRange), window)) {
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
        String expr = "count_over_time(" + selectors.of(ExporterMetric.EXPORTER_SCRAPE_SUCCESS, tenants, List.of())
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

    /** The cost and efficiency metrics, each kind of row starting with its total cost. */
    static List<ExporterMetric> readOrder() {
        List<ExporterMetric> order = new ArrayList<>(COUNTED_TWICE);
        for (ExporterMetric m : ExporterMetric.values()) {
            if (m.scope() != ExporterMetric.Scope.HEALTH && !order.contains(m)) {
                order.add(m);
            }
        }
        return order;
    }
}
