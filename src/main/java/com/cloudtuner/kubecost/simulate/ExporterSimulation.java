package com.cloudtuner.kubecost.simulate;

import com.cloudtuner.kubecost.cost.ExporterMetric;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.LongToDoubleFunction;

/**
 * Plausible exporter output for demos and benchmarks, written as it is generated (family by
 * family, series by series) so that tens of millions of samples never sit in memory. Per tenant,
 * clusters of namespaces; rates change once an hour (a daily curve) and are constant within it,
 * so each hour's cost equals that hour's rate and anyone can check a row by eye. Cluster totals
 * are the namespaces plus idle capacity, network and load balancers. Every value is a function of
 * the tenant, cluster, namespace and time, so families can be written one after another.
 *
 * @param shape     null for the demo's shape: a production cluster of 5 namespaces and a staging one
 *                  of 3, scraped every 60 s
 * @param incidents what goes wrong, in order (see {@link Incident}); the values of every other sample stay as they are
 */
public record ExporterSimulation(String prefix, List<String> tenants, Instant from, int hours, long seed, Shape shape,
                                 List<Incident> incidents) {

    /** Every incident names a simulated tenant and, where it names one, a cluster that tenant has. */
    public ExporterSimulation {
        incidents = List.copyOf(incidents);
        List<String> clusters = clusterNames(shape);
        for (Incident i : incidents) {
            if (!tenants.contains(i.tenant()) || (i.cluster() != null && !clusters.contains(i.cluster()))) {
                throw new IllegalArgumentException("an --incident names a tenant or cluster the simulation does not have"
                        + " (its clusters: " + String.join(", ", clusters) + ")");
            }
        }
    }

    public ExporterSimulation(String prefix, List<String> tenants, Instant from, int hours, long seed, Shape shape) {
        this(prefix, tenants, from, hours, seed, shape, List.of());
    }

    private static final String[] DEMO_NAMESPACES = {"kube-system", "monitoring", "payments", "web", "batch"};

    /** Every tenant has {@code clusters} clusters of {@code namespaces} namespaces, scraped every {@code scrape}. */
    public record Shape(int clusters, int namespaces, Duration scrape) {
        public Shape {
            if (clusters < 1 || namespaces < 1 || scrape.isNegative() || scrape.isZero() || scrape.toMillis() > 3_600_000L) {
                throw new IllegalArgumentException("a shape needs clusters, namespaces and a scrape interval of at most 1h");
            }
        }
    }

    /** @param incidents those of {@link #incidents()} that apply to this cluster: nearly always none */
    private record Cluster(String tenant, String name, long offsetMs, long scrapeMs, String[] namespaces,
                           double[] cpuBase, double[] ramBase, double[] pvBase, double[] eff,
                           double idle, double network, double lb, List<Incident> incidents) {
    }

    /** Each tenant's cluster names: the demo's prod and staging, one prod, or c1..cN. */
    private static List<String> clusterNames(Shape shape) {
        if (shape == null) {
            return List.of("prod", "staging");
        }
        if (shape.clusters() == 1) {
            return List.of("prod");
        }
        List<String> names = new ArrayList<>();
        for (int c = 1; c <= shape.clusters(); c++) {
            names.add("c" + c);
        }
        return names;
    }

    private List<Cluster> clusters() {
        List<Cluster> out = new ArrayList<>();
        List<String> names = clusterNames(shape);
        for (String tenant : tenants) {
            Random random = new Random(seed * 31 + tenant.hashCode());
            for (int c = 0; c < names.size(); c++) {
                String name = names.get(c);
                List<Incident> own = incidents.stream().filter(i -> i.appliesTo(tenant, name)).toList();
                if (shape == null) {
                    out.add(cluster(tenant, name, Duration.ofSeconds(60), namespaces(c == 0 ? 5 : 3, true),
                            c == 0 ? 1.0 : 0.25, random, own));
                } else {
                    out.add(cluster(tenant, name, shape.scrape(), namespaces(shape.namespaces(), false), 1.0, random, own));
                }
            }
        }
        return out;
    }

    private static String[] namespaces(int n, boolean demo) {
        String[] names = new String[n];
        for (int i = 0; i < n; i++) {
            names[i] = demo ? DEMO_NAMESPACES[i] : String.format("ns-%02d", i + 1);
        }
        return names;
    }

    private static Cluster cluster(String tenant, String name, Duration scrape, String[] namespaces, double scale, Random random,
                                   List<Incident> incidents) {
        long offset = 1000L * random.nextInt((int) Math.min(60, scrape.toSeconds())); // where in the interval it is scraped
        int n = namespaces.length;
        double[] cpu = new double[n];
        double[] ram = new double[n];
        double[] pv = new double[n];
        double[] eff = new double[n];
        for (int i = 0; i < n; i++) {
            cpu[i] = round(scale * (0.05 + random.nextDouble() * 0.6));
            ram[i] = round(scale * (0.02 + random.nextDouble() * 0.3));
            pv[i] = round(scale * random.nextDouble() * 0.05);
            eff[i] = 0.2 + random.nextDouble() * 0.7;
        }
        return new Cluster(tenant, name, offset, scrape.toMillis(), namespaces, cpu, ram, pv, eff,
                round(scale * 0.4), round(scale * 0.03), round(scale * 0.025), incidents);
    }

    /** Receives the samples, a family at a time, each family's series one after another, in time order. */
    public interface Sink {
        void family(String metric);

        void series(Map<String, String> labels);

        void sample(long epochMillis, double value);
    }

    public void generate(Sink sink) {
        List<Cluster> clusters = clusters();
        long start = from.toEpochMilli();
        long end = start + hours * 3_600_000L;
        for (ExporterMetric m : ExporterMetric.values()) {
            sink.family(m.metricName(prefix));
            for (Cluster c : clusters) {
                if (m.scope() == ExporterMetric.Scope.NAMESPACE) {
                    for (int i = 0; i < c.namespaces.length; i++) {
                        int ns = i;
                        series(sink, c, m, ExporterDataset.exporterLabels(c.tenant, c.name, c.namespaces[i]), start, end,
                                t -> namespaceValue(m, c, ns, load(t)));
                    }
                } else {
                    series(sink, c, m, m.scope() == ExporterMetric.Scope.HEALTH ? Map.of("tenant_id", c.tenant, "cluster", c.name)
                            : ExporterDataset.exporterLabels(c.tenant, c.name, null), start, end, t -> clusterValue(m, c, load(t)));
                }
            }
        }
    }

    /** One series' samples; where incidents apply, with their silences, zeros and the series a currency change starts. */
    private static void series(Sink sink, Cluster c, ExporterMetric m, Map<String, String> labels, long start, long end,
                               LongToDoubleFunction value) {
        if (c.incidents.isEmpty()) { // the benchmark's tens of millions of samples: no check per sample
            sink.series(labels);
            for (long t = start + c.offsetMs; t < end; t += c.scrapeMs) {
                sink.sample(t, value.applyAsDouble(t));
            }
            return;
        }
        IncidentSeries.write(sink, c.incidents, m.quantity().isCost(), labels, start + c.offsetMs, end, c.scrapeMs, value);
    }

    /** The daily curve: 1 ± 0.3, highest at 14:00 UTC, constant within each hour. */
    private static double load(long t) {
        int hourOfDay = (int) Math.floorMod(Math.floorDiv(t, 3_600_000L), 24L);
        return round(1 + 0.3 * Math.sin(2 * Math.PI * (hourOfDay - 8) / 24.0));
    }

    private static double namespaceValue(ExporterMetric m, Cluster c, int i, double load) {
        double cpu = round(c.cpuBase[i] * load);
        return switch (m) {
            case NAMESPACE_TOTAL_COST -> round(cpu + c.ramBase[i] + c.pvBase[i]);
            case NAMESPACE_CPU_COST -> cpu;
            case NAMESPACE_RAM_COST -> c.ramBase[i];
            case NAMESPACE_PV_COST -> c.pvBase[i];
            case NAMESPACE_CPU_EFFICIENCY -> c.eff[i] * load / 1.3;
            case NAMESPACE_RAM_EFFICIENCY -> c.eff[i];
            case NAMESPACE_TOTAL_EFFICIENCY -> c.eff[i] * (1 + load / 1.3) / 2;
            default -> throw new IllegalArgumentException(m.toString());
        };
    }

    private static double clusterValue(ExporterMetric m, Cluster c, double load) {
        double cpuSum = 0;
        double ramSum = 0;
        double pvSum = 0;
        for (int i = 0; i < c.namespaces.length; i++) {
            cpuSum += round(c.cpuBase[i] * load);
            ramSum += c.ramBase[i];
            pvSum += c.pvBase[i];
        }
        double cpuTotal = cpuSum + c.idle * 0.6;
        double ramTotal = ramSum + c.idle * 0.4;
        return switch (m) {
            case CLUSTER_TOTAL_COST -> round(cpuTotal + ramTotal + pvSum + c.network + c.lb);
            case CLUSTER_CPU_COST -> round(cpuTotal);
            case CLUSTER_RAM_COST -> round(ramTotal);
            case CLUSTER_PV_COST -> round(pvSum);
            case CLUSTER_NETWORK_COST -> c.network;
            case CLUSTER_LB_COST -> c.lb;
            case CLUSTER_CPU_EFFICIENCY -> 0.55 * load / 1.3;
            case CLUSTER_RAM_EFFICIENCY -> 0.6;
            case CLUSTER_TOTAL_EFFICIENCY -> 0.58;
            case EXPORTER_SCRAPE_SUCCESS -> 1;
            default -> throw new IllegalArgumentException(m.toString());
        };
    }

    /** Four decimals: demo numbers a reader can add up. */
    private static double round(double v) {
        return Math.round(v * 10_000) / 10_000.0;
    }

    /** The samples in memory, for tests and the demo's small datasets. */
    public ExporterDataset toDataset() {
        ExporterDataset data = new ExporterDataset();
        ExporterDataset.SeriesData[] current = new ExporterDataset.SeriesData[1];
        String[] family = new String[1];
        generate(new Sink() {
            @Override
            public void family(String metric) {
                family[0] = metric;
            }

            @Override
            public void series(Map<String, String> labels) {
                current[0] = data.series(family[0], labels);
            }

            @Override
            public void sample(long epochMillis, double value) {
                current[0].add(epochMillis, value);
            }
        });
        return data;
    }

    /** Streams OpenMetrics text that {@code promtool tsdb create-blocks-from openmetrics} loads; returns the sample count. */
    public long writeOpenMetrics(Writer out) {
        long[] samples = new long[1];
        StringBuilder line = new StringBuilder(256);
        String[] metric = new String[1];
        String[] head = new String[1];
        try {
            generate(new Sink() {
                @Override
                public void family(String name) {
                    write("# TYPE " + name + " gauge\n");
                    metric[0] = name;
                }

                @Override
                public void series(Map<String, String> labels) {
                    head[0] = metric[0] + ExporterDataset.labelText(labels) + " ";
                }

                @Override
                public void sample(long t, double v) {
                    long ms = t % 1000;
                    line.setLength(0);
                    line.append(head[0]).append(ExporterDataset.valueText(v)).append(' ').append(t / 1000).append('.')
                            .append(ms < 100 ? ms < 10 ? "00" : "0" : "").append(ms).append('\n');
                    write(line);
                    samples[0]++;
                }

                private void write(CharSequence s) {
                    try {
                        out.append(s);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            });
            out.write("# EOF\n");
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return samples[0];
    }
}
