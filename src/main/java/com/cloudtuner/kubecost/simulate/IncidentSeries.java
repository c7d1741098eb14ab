package com.cloudtuner.kubecost.simulate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongToDoubleFunction;

/**
 * One simulated series with its cluster's incidents played into it: no sample while a hole
 * silences it, costs of 0 during a restart, and a new series (its currency label changed) from a
 * currency change on.
 */
final class IncidentSeries {

    private IncidentSeries() {
    }

    /**
     * @param cost  whether the series is a cost family (a restart zeroes only those)
     * @param first the first scrape's time; then every {@code step} ms before {@code end}
     */
    static void write(ExporterSimulation.Sink sink, List<Incident> incidents, boolean cost, Map<String, String> labels, long first,
                      long end, long step, LongToDoubleFunction value) {
        String currency = null;
        boolean begun = false;
        for (long t = first; t < end; t += step) {
            long at = t;
            if (incidents.stream().anyMatch(i -> i.silences(at))) {
                continue;
            }
            String now = labels.containsKey("currency") ? currencyAt(incidents, labels.get("currency"), t) : null;
            if (!begun || !Objects.equals(now, currency)) {
                Map<String, String> l = new LinkedHashMap<>(labels);
                if (now != null) {
                    l.put("currency", now);
                }
                sink.series(l);
                begun = true;
                currency = now;
            }
            boolean zero = cost && incidents.stream().anyMatch(i -> i.zeroesCosts(at));
            sink.sample(t, zero ? 0.0 : value.applyAsDouble(t));
        }
    }

    private static String currencyAt(List<Incident> incidents, String usual, long t) {
        for (Incident i : incidents) {
            String changed = i.currencyAt(t);
            if (changed != null) {
                return changed;
            }
        }
        return usual;
    }
}
