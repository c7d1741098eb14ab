package com.cloudtuner.kubecost.exporter;

import com.cloudtuner.kubecost.thanos.PromQl;
import com.cloudtuner.kubecost.thanos.PromSeries;
import com.cloudtuner.kubecost.thanos.ThanosClient;
import com.cloudtuner.kubecost.thanos.ThanosQueryException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds out the server's {@link RangeSemantics} once, on a sample whose timestamp is known: a
 * one-millisecond range ending at the sample must hold it on every engine, and the same range
 * ending a millisecond later holds it only where ranges include their left end.
 */
final class RangeProbe {

    private static final Logger log = LoggerFactory.getLogger(RangeProbe.class);
    private static final int ATTEMPTS = 3;

    private final ThanosClient thanos;
    private volatile RangeSemantics known;

    RangeProbe(ThanosClient thanos) {
        this.thanos = thanos;
    }

    RangeSemantics known() {
        return known;
    }

    /**
     * The server's semantics, probing on one of these raw series' samples the first time; null
     * when none of them has a sample to probe on.
     */
    RangeSemantics semantics(List<PromSeries> raw) {
        RangeSemantics k = known;
        if (k != null) {
            return k;
        }
        synchronized (this) {
            if (known != null) {
                return known;
            }
            int attempts = 0;
            for (PromSeries s : raw) {
                // Not a series' first sample, and not on the hour: VictoriaMetrics 1.79 misses a series'
                // first sample in a range ending exactly on it at a day boundary.
                for (int i = s.size() - 1; i >= 1 && attempts < ATTEMPTS; i--) {
                    long t = s.timestamps()[i];
                    if (t % 3_600_000L == 0) {
                        continue;
                    }
                    attempts++;
                    RangeSemantics found = probe(s.labels(), t);
                    if (found != null) {
                        log.info("thanos: range selectors are {} (probed on a sample at {})",
                                found == RangeSemantics.CLOSED ? "closed [t-d, t]" : "left-open (t-d, t]", Instant.ofEpochMilli(t));
                        known = found;
                        return found;
                    }
                    break; // next series
                }
            }
            if (attempts > 0) {
                throw new ThanosQueryException("cannot tell whether the server's range selectors include their left end:"
                        + " a one-millisecond range ending on a known sample did not return it", false);
            }
            return null;
        }
    }

    private RangeSemantics probe(Map<String, String> labels, long t) {
        Map<String, String> matchers = new LinkedHashMap<>(labels);
        String metric = matchers.remove("__name__");
        if (metric == null) {
            return null;
        }
        String selector = PromQl.selector(metric, matchers) + "[1ms]";
        if (countAt(selector, t) != 1) {
            return null; // the engine does not show this sample even at the range's right end
        }
        int afterwards = countAt(selector, t + 1);
        return afterwards == 1 ? RangeSemantics.CLOSED : afterwards == 0 ? RangeSemantics.LEFT_OPEN : null;
    }

    private int countAt(String rangeSelector, long t) {
        List<PromSeries> answer = thanos.instantVector("count_over_time(" + rangeSelector + ")", Instant.ofEpochMilli(t));
        if (answer.isEmpty()) {
            return 0;
        }
        return answer.size() == 1 && answer.get(0).size() == 1 ? (int) answer.get(0).values()[0] : -1;
    }
}
