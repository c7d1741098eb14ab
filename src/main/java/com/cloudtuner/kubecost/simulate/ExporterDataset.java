package com.cloudtuner.kubecost.simulate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Exporter series held in memory and written as OpenMetrics text that
 * {@code promtool tsdb create-blocks-from openmetrics} loads: one {@code # TYPE} block per metric,
 * every series in time order, {@code # EOF} last.
 */
public final class ExporterDataset {

    private final Map<String, List<SeriesData>> families = new LinkedHashMap<>();

    /**
     * The labels the exporter puts on a cost series: {@code tenant_id}, {@code cluster},
     * {@code namespace} (null for cluster-level series), {@code currency} USD, then any extra
     * name/value pairs (a {@code prometheus_replica}, say).
     */
    public static Map<String, String> exporterLabels(String tenant, String cluster, String namespace, String... extra) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("tenant_id", tenant);
        labels.put("cluster", cluster);
        if (namespace != null) {
            labels.put("namespace", namespace);
        }
        labels.put("currency", "USD");
        for (int i = 0; i + 1 < extra.length; i += 2) {
            labels.put(extra[i], extra[i + 1]);
        }
        return labels;
    }

    /** A new series of gauge {@code metric}; samples are added in time order. */
    public SeriesData series(String metric, Map<String, String> labels) {
        SeriesData s = new SeriesData(metric, labels);
        families.computeIfAbsent(metric, k -> new ArrayList<>()).add(s);
        return s;
    }

    public List<SeriesData> allSeries() {
        return families.values().stream().flatMap(List::stream).toList();
    }

    /** OpenMetrics text (what promtool turns into blocks): timestamps in seconds, a TYPE per family, {@code # EOF}. */
    public void writeOpenMetrics(Writer out) {
        write(out, true);
    }

    /**
     * The samples as Prometheus text lines, {@code name{labels} value timestamp_ms}, the format
     * VictoriaMetrics imports at {@code /api/v1/import/prometheus}.
     */
    public void writePrometheusText(Writer out) {
        write(out, false);
    }

    private void write(Writer out, boolean openMetrics) {
        try {
            for (Map.Entry<String, List<SeriesData>> family : families.entrySet()) {
                if (openMetrics) {
                    out.write("# TYPE " + family.getKey() + " gauge\n");
                }
                for (SeriesData s : family.getValue()) {
                    String head = family.getKey() + labelText(s.labels) + " ";
                    for (int i = 0; i < s.size; i++) {
                        out.write(head);
                        out.write(valueText(s.values[i]));
                        out.write(' ');
                        out.write(openMetrics ? BigDecimal.valueOf(s.times[i], 3).toPlainString() : Long.toString(s.times[i]));
                        out.write('\n');
                    }
                }
            }
            if (openMetrics) {
                out.write("# EOF\n");
            }
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String labelText(Map<String, String> labels) {
        if (labels.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder("{");
        String sep = "";
        for (Map.Entry<String, String> l : labels.entrySet()) {
            sb.append(sep).append(l.getKey()).append("=\"")
                    .append(l.getValue().replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n"))
                    .append('"');
            sep = ",";
        }
        return sb.append('}').toString();
    }

    static String valueText(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        return Double.toString(v);
    }

    /** Samples of one series. */
    public static final class SeriesData {
        private final String metric;
        private final Map<String, String> labels;
        private long[] times = new long[256];
        private double[] values = new double[256];
        private int size;

        private SeriesData(String metric, Map<String, String> labels) {
            this.metric = metric;
            this.labels = new LinkedHashMap<>(labels);
        }

        /** Appends a sample; timestamps must increase. */
        public SeriesData add(long epochMillis, double value) {
            if (size > 0 && epochMillis <= times[size - 1]) {
                throw new IllegalArgumentException("samples of " + metric + labels + " must be added in time order");
            }
            if (size == times.length) {
                times = Arrays.copyOf(times, size * 2);
                values = Arrays.copyOf(values, size * 2);
            }
            times[size] = epochMillis;
            values[size] = value;
            size++;
            return this;
        }

        public String metric() {
            return metric;
        }

        public Map<String, String> labels() {
            return Map.copyOf(labels);
        }

        public int size() {
            return size;
        }

        public long time(int i) {
            return times[i];
        }

        public double value(int i) {
            return values[i];
        }
    }
}
