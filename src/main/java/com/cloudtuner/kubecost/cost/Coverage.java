package com.cloudtuner.kubecost.cost;

import java.util.HashMap;
import java.util.Map;

/**
 * Rule 3's coverage of a row-hour: for each scrape target of the row (an HA pair is two), the
 * valid samples of the row's fullest cost series in the hour divided by the scrapes the target's
 * {@link ScrapeHistory} expects in that hour; the best target counts; capped at 1. Both
 * reductions count samples, so raw samples and hourly counts give the same number.
 */
final class Coverage {

    private Coverage() {
    }

    /** Per target and hour, the largest sample count of its cost series: what an hour without history is measured by. */
    static final class Busiest {
        private final Map<ScrapeHistory.Target, Map<Long, Integer>> counts = new HashMap<>();

        void add(ScrapeHistory.Target target, long hourMs, int count) {
            counts.computeIfAbsent(target, k -> new HashMap<>()).merge(hourMs, count, Math::max);
        }

        int of(ScrapeHistory.Target target, long hourMs) {
            Map<Long, Integer> hours = counts.get(target);
            return hours == null ? 0 : hours.getOrDefault(hourMs, 0);
        }
    }

    static double of(RowRef row, long hourMs, Map<String, Integer> validByReplica, ScrapeHistory history, Busiest busiest) {
        double best = 0;
        for (Map.Entry<String, Integer> e : validByReplica.entrySet()) {
            ScrapeHistory.Target target = new ScrapeHistory.Target(row.tenant(), row.cluster(), e.getKey());
            int expected = history.expected(target, hourMs, busiest.of(target, hourMs));
            if (expected > 0) {
                best = Math.max(best, e.getValue() / (double) expected);
            }
        }
        return Math.min(1.0, best);
    }
}
