package com.cloudtuner.kubecost.diagnose;

import com.cloudtuner.kubecost.cost.ClusterHourKey;
import com.cloudtuner.kubecost.cost.Window;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.node.ObjectNode;

/** What {@code gaps} found per cluster-hour, joined into ranges: consecutive hours of one tenant, cluster and kind. */
final class GapRanges {

    private record RangeKey(String tenant, String cluster, GapReport.Kind kind) {
    }

    /** What one cluster-hour showed: the text and the facts behind it. */
    private record Detail(String text, ObjectNode facts) {
    }

    private final Map<RangeKey, TreeMap<Instant, Detail>> hours = new HashMap<>();

    boolean reported(ClusterHourKey key) {
        return hours.entrySet().stream().anyMatch(e -> e.getKey().tenant().equals(key.tenant())
                && e.getKey().cluster().equals(key.cluster()) && e.getValue().containsKey(key.hour()));
    }

    void add(ClusterHourKey key, GapReport.Kind kind, String detail, ObjectNode facts) {
        hours.computeIfAbsent(new RangeKey(key.tenant(), key.cluster(), kind), k -> new TreeMap<>()).put(key.hour(),
                new Detail(detail, facts));
    }

    /** Each range's detail (and its facts) is its first hour's. */
    void into(GapReport report) {
        hours.forEach((k, byHour) -> {
            Instant start = null;
            Instant end = null;
            Detail detail = null;
            for (Map.Entry<Instant, Detail> e : byHour.entrySet()) {
                if (start != null && !e.getKey().equals(end)) {
                    report.add(new GapReport.Range(k.tenant(), k.cluster(), k.kind(), new Window(start, end), detail.text(),
                            detail.facts()));
                    start = null;
                }
                if (start == null) {
                    start = e.getKey();
                    detail = e.getValue();
                }
                end = e.getKey().plusSeconds(3600);
            }
            report.add(new GapReport.Range(k.tenant(), k.cluster(), k.kind(), new Window(start, end), detail.text(), detail.facts()));
        });
    }
}
