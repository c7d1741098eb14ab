package com.cloudtuner.kubecost.diagnose;

import com.cloudtuner.kubecost.cli.Command;
import com.cloudtuner.kubecost.cost.AuditedSeries;
import com.cloudtuner.kubecost.cost.ClusterHour;
import com.cloudtuner.kubecost.cost.CostRow;
import com.cloudtuner.kubecost.cost.CostRules;
import com.cloudtuner.kubecost.cost.Costs;
import com.cloudtuner.kubecost.cost.Efficiencies;
import com.cloudtuner.kubecost.cost.HourlyCostCalculator.CoverageTerm;
import com.cloudtuner.kubecost.cost.MetricMode;
import com.cloudtuner.kubecost.cost.Quantity;
import com.cloudtuner.kubecost.cost.SampleVerdict;
import com.cloudtuner.kubecost.cost.Series;
import com.cloudtuner.kubecost.cost.Window;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Why one row is what it is: the samples of its series around the hour with the calculator's
 * verdict on each, the mean and formula of every column with its numbers, coverage and how it was
 * counted, the {@code __unallocated__} subtraction, and the stored row against the fresh one.
 */
final class Explanation {

    enum Verdict { MATCHES, STALE, MISSING, NOT_COMPUTED, NOTHING, REFUSED }

    private static final List<Quantity> COLUMNS = List.of(Quantity.COST, Quantity.CPU_COST, Quantity.RAM_COST, Quantity.PV_COST,
            Quantity.NETWORK_COST, Quantity.LB_COST, Quantity.CPU_EFFICIENCY, Quantity.RAM_EFFICIENCY, Quantity.TOTAL_EFFICIENCY);

    private final Command.Explain request;
    private final Window hour;
    private final String prefix;
    private final CostRules rules;
    private final List<AuditedSeries> series;
    private final CostRow fresh;
    private final ClusterHour cluster;
    private final List<CostRow> namespaces;
    private final String computeError;
    private final StoredRow stored;
    private final String storageError;
    private final List<CoverageTerm> coverage;

    /**
     * @param series     the series the row is computed from (the cluster's, for a remainder), audited
     * @param cluster    for {@code __unallocated__}: the cluster's own figures; null otherwise
     * @param namespaces for {@code __unallocated__}: the cluster's namespace rows subtracted
     * @param coverage   how rule 3 counted the row's coverage, per scrape target
     */
    Explanation(Command.Explain request, Window hour, String prefix, CostRules rules, List<AuditedSeries> series, CostRow fresh,
                ClusterHour cluster, List<CostRow> namespaces, String computeError, StoredRow stored, String storageError,
                List<CoverageTerm> coverage) {
        this.request = request;
        this.hour = hour;
        this.prefix = prefix;
        this.rules = rules;
        this.series = series;
        this.fresh = fresh;
        this.cluster = cluster;
        this.namespaces = namespaces;
        this.computeError = computeError;
        this.stored = stored;
        this.storageError = storageError;
        this.coverage = List.copyOf(coverage);
    }

    /** 1 when the stored row could not be read (ClickHouse failed); explaining itself never fails otherwise. */
    int exitCode() {
        return storageError == null ? 0 : 1;
    }

    Verdict verdict() {
        if (computeError != null) {
            return Verdict.REFUSED;
        }
        if (fresh == null) {
            return stored == null ? Verdict.NOTHING : Verdict.NOT_COMPUTED;
        }
        if (stored == null) {
            return Verdict.MISSING;
        }
        return RowComparison.differences(stored, fresh).isEmpty() ? Verdict.MATCHES : Verdict.STALE;
    }

    String recompute() {
        return Texts.backfill(hour, request.tenant());
    }

    // ---- text

    void printText(PrintStream out) {
        out.println("explain tenant " + request.tenant() + " cluster " + request.cluster() + " namespace " + request.namespace()
                + " hour " + hour.start() + " (" + hour + ")");
        out.println("rules: " + rules.metricMode().name().toLowerCase() + " samples"
                + (rules.metricMode() == MetricMode.TOTAL ? " (totals over " + Texts.duration(rules.exporterWindow()) + ")" : " ($/h)")
                + ", health look-back " + Texts.duration(rules.healthLookback()));
        if (series.isEmpty()) {
            out.println("samples: none of " + (cluster != null ? "the cluster's series" : "this namespace's series")
                    + " has a sample in or next to the hour");
        } else {
            out.println("samples in and next to the hour, per series (HA replicas apart), with what the cost rules did with each:");
            for (AuditedSeries a : series) {
                printSeries(a, out);
            }
        }
        if (cluster != null) {
            out.println("the cluster's totals (rules 3 and 5: the mean of the counted samples, replicas pooled, x 1 h):");
            printFormula(cluster.costs(), cluster.efficiencies(), out);
            out.println("__unallocated__ = the cluster's total minus its namespaces' (rule 6):");
            printRemainder(out);
        } else if (fresh != null) {
            out.println("formula (rules 3 and 5: the mean of the counted samples, replicas pooled, x 1 h):");
            printFormula(fresh.costs(), fresh.efficiencies(), out);
        }
        if (fresh != null) {
            printCoverage(out);
        }
        out.println("fresh computation: " + (fresh == null ? (computeError == null ? "no row (no counted cost sample in the hour, rule 4)"
                : "none, the cluster-hour is refused: " + computeError) : describe(fresh.currency(), fresh.costs(), fresh.efficiencies(), fresh.coverage())));
        out.println("stored in k8s_expenses_current: " + (storageError != null ? "unknown, ClickHouse failed: " + storageError
                : stored == null ? "no row" : describe(stored.currency(), stored.costs(), stored.efficiencies(), stored.coverage())
                + " (version " + stored.version() + ", computed_at " + stored.computedAt() + ")"));
        if (storageError == null) {
            out.println("verdict: " + verdictText());
        }
        out.flush();
    }

    private String verdictText() {
        return switch (verdict()) {
            case MATCHES -> "matches a fresh computation (costs and efficiencies within 1e-9 relative, coverage within 0.01)";
            case STALE -> "stale (" + String.join(", ", RowComparison.differences(stored, fresh)) + "), recompute with: " + recompute();
            case MISSING -> "missing: the samples give a row that is not stored, recompute with: " + recompute();
            case NOT_COMPUTED -> "stored, but Thanos has no counted sample for it now (retention, downsampling or the series are"
                    + " gone); a backfill keeps it (backfill --erase-missing would remove it)";
            case NOTHING -> "no row stored and none to compute: no counted cost sample in this hour";
            case REFUSED -> "the cluster-hour is refused (" + computeError + "): runs leave it unwritten and report it";
        };
    }

    private void printSeries(AuditedSeries a, PrintStream out) {
        Series s = a.series();
        boolean cost = s.metric().quantity().isCost();
        out.println("  " + s.metric().metricName(prefix) + (s.replica().isEmpty() ? "" : "{" + s.replica() + "}")
                + (s.currency() == null ? "" : " currency " + s.currency()));
        for (SampleRun run : runs(a)) {
            String when = run.first == run.last ? Texts.clock(run.first) : Texts.clock(run.first) + " .. " + Texts.clock(run.last);
            out.printf("    %-20s %4d x %-12s %s%n", when, run.count, Texts.number(run.value), reason(run));
        }
    }

    private String reason(SampleRun run) {
        return switch (run.verdict) {
            case COUNTED -> "counted";
            case OUTSIDE_WINDOW -> "outside the hour (rule 1: it belongs to the hour of " + Window.floorHour(
                    Instant.ofEpochMilli(run.first)) + ")";
            case NOT_FINITE -> "dropped: not a finite value (rule 2)";
            case EXPORTER_UNHEALTHY -> "dropped: exporter unhealthy (rule 2: exporter_scrape_success 0 at " + Texts.clock(run.vetoFirst)
                    + (run.vetoLast == run.vetoFirst ? "" : " .. " + Texts.clock(run.vetoLast)) + ", at most "
                    + Texts.duration(rules.healthLookback()) + " before)";
        };
    }

    private void printFormula(Costs costs, Efficiencies eff, PrintStream out) {
        for (Quantity q : COLUMNS) {
            if (cluster == null && clusterOnly(q)) {
                out.printf("  %-16s = 0 (namespaces have none; the cluster's are in its __unallocated__ row)%n", column(q));
                continue;
            }
            out.printf("  %-16s = %s%n", column(q), formula(q, value(q, costs, eff)));
        }
    }

    /** {@code (Σ a + Σ b) / (n_a + n_b) [x factor] = value}, the sums from the counted samples shown above. */
    private String formula(Quantity q, Double value) {
        List<String> sums = new ArrayList<>();
        List<String> counts = new ArrayList<>();
        for (AuditedSeries a : series) {
            if (a.series().metric().quantity() != q) {
                continue;
            }
            double sum = 0;
            int n = 0;
            for (int i = 0; i < a.series().size(); i++) {
                if (a.verdicts()[i] == SampleVerdict.COUNTED) {
                    sum += a.series().values()[i];
                    n++;
                }
            }
            if (n > 0) {
                sums.add(Texts.number(sum));
                counts.add(Integer.toString(n));
            }
        }
        if (sums.isEmpty()) {
            return q.isCost() ? "0 (no counted sample; rule 4)" : "NULL (no counted sample)";
        }
        String mean = (sums.size() == 1 ? sums.get(0) : "(" + String.join(" + ", sums) + ")") + " / "
                + (counts.size() == 1 ? counts.get(0) : "(" + String.join(" + ", counts) + ")");
        if (q.isCost() && rules.metricMode() == MetricMode.TOTAL) {
            mean += " x 1h/" + Texts.duration(rules.exporterWindow()) + " (rule 7)";
        }
        return mean + " = " + Texts.number(value);
    }

    private void printRemainder(PrintStream out) {
        for (Quantity q : COLUMNS.subList(0, 6)) {
            double total = value(q, cluster.costs(), cluster.efficiencies());
            String minus = namespaces.stream().map(r -> r.namespace() + " " + Texts.number(value(q, r.costs(), r.efficiencies())))
                    .collect(Collectors.joining(" + "));
            out.printf("  %-16s = %s%s = %s%n", column(q), Texts.number(total),
                    clusterOnly(q) || namespaces.isEmpty() ? " (namespaces have none)" : " - (" + minus + ")",
                    Texts.number(value(q, fresh.costs(), fresh.efficiencies())));
        }
        out.println("  efficiencies     = NULL (the cluster's own are in k8s_cluster_expenses)");
    }

    private void printCoverage(PrintStream out) {
        out.println("coverage = " + Texts.number(fresh.coverage()) + " (rule 3): per scrape target, the counted samples of the"
                + " row's fullest cost series over the scrapes the target expects in the hour, the best target, capped at 1:");
        for (CoverageTerm t : coverage) {
            out.println("  " + (t.replica().isEmpty() ? "the target" : "target {" + t.replica() + "}") + ": " + t.countedSamples()
                    + " counted of " + t.expectedScrapes() + " expected (the larger of " + t.dayMedian() + ", the median of its"
                    + " hourly scrape counts over the day ending with this hour, and " + t.busiestSeries()
                    + ", the samples of its busiest cost series in the hour)");
        }
    }

    private static String describe(String currency, Costs c, Efficiencies e, double coverage) {
        return "currency " + currency + ", cost " + Texts.number(c.total()) + ", cpu_cost " + Texts.number(c.cpu()) + ", ram_cost "
                + Texts.number(c.ram()) + ", pv_cost " + Texts.number(c.pv()) + ", network_cost " + Texts.number(c.network())
                + ", lb_cost " + Texts.number(c.lb()) + ", cpu_efficiency " + Texts.number(e.cpu()) + ", ram_efficiency "
                + Texts.number(e.ram()) + ", total_efficiency " + Texts.number(e.total()) + ", coverage " + Texts.number(coverage);
    }

    // ---- samples shown: the hour's, and the nearest one on either side

    private record SampleRun(long first, long last, int count, double value, SampleVerdict verdict, long vetoFirst, long vetoLast) {
    }

    private int[] shown(AuditedSeries a) {
        long[] t = a.series().timestamps();
        int from = 0;
        while (from + 1 < t.length && t[from + 1] < hour.startMs()) {
            from++;
        }
        int to = t.length - 1;
        while (to - 1 >= 0 && t[to - 1] >= hour.endMs()) {
            to--;
        }
        return new int[] {from, to};
    }

    private List<SampleRun> runs(AuditedSeries a) {
        int[] range = shown(a);
        List<SampleRun> runs = new ArrayList<>();
        Series s = a.series();
        for (int i = range[0]; i <= range[1] && i < s.size(); i++) {
            SampleRun last = runs.isEmpty() ? null : runs.get(runs.size() - 1);
            double v = s.values()[i];
            long t = s.timestamps()[i];
            if (last != null && last.verdict == a.verdicts()[i] && Double.compare(last.value, v) == 0) {
                runs.set(runs.size() - 1, new SampleRun(last.first, t, last.count + 1, v, last.verdict, last.vetoFirst,
                        Math.max(last.vetoLast, a.vetoedBy()[i])));
            } else {
                runs.add(new SampleRun(t, t, 1, v, a.verdicts()[i], a.vetoedBy()[i], a.vetoedBy()[i]));
            }
        }
        return runs;
    }

    /** Network and load balancer costs exist for clusters only. */
    private static boolean clusterOnly(Quantity q) {
        return q == Quantity.NETWORK_COST || q == Quantity.LB_COST;
    }

    private static String column(Quantity q) {
        return q.name().toLowerCase();
    }

    private static Double value(Quantity q, Costs c, Efficiencies e) {
        return switch (q) {
            case COST -> c.total();
            case CPU_COST -> c.cpu();
            case RAM_COST -> c.ram();
            case PV_COST -> c.pv();
            case NETWORK_COST -> c.network();
            case LB_COST -> c.lb();
            case CPU_EFFICIENCY -> e.cpu();
            case RAM_EFFICIENCY -> e.ram();
            case TOTAL_EFFICIENCY -> e.total();
            case SCRAPE_SUCCESS -> null;
        };
    }

    // ---- JSON

    void printJson(PrintStream out) {
        ObjectNode doc = Json.object()
                .put("command", "explain")
                .put("tenant", request.tenant())
                .put("cluster", request.cluster())
                .put("namespace", request.namespace())
                .put("hour", hour.start().toString());
        doc.putObject("rules").put("metric_mode", rules.metricMode().name().toLowerCase())
                .put("exporter_window_seconds", rules.exporterWindow().toSeconds())
                .put("health_lookback_seconds", rules.healthLookback().toSeconds());
        ArrayNode list = doc.putArray("series");
        for (AuditedSeries a : series) {
            Series s = a.series();
            ObjectNode n = list.addObject().put("metric", s.metric().metricName(prefix)).put("replica", s.replica())
                    .put("currency", s.currency());
            ArrayNode samples = n.putArray("samples");
            int[] range = shown(a);
            for (int i = range[0]; i <= range[1] && i < s.size(); i++) {
                ObjectNode x = samples.addObject().put("t", Instant.ofEpochMilli(s.timestamps()[i]).toString());
                Json.putNumber(x, "value", s.values()[i]);
                x.put("verdict", a.verdicts()[i].name().toLowerCase());
                if (a.verdicts()[i] == SampleVerdict.EXPORTER_UNHEALTHY) {
                    x.put("vetoed_by", Instant.ofEpochMilli(a.vetoedBy()[i]).toString());
                }
            }
        }
        Costs costs = cluster != null ? cluster.costs() : fresh == null ? null : fresh.costs();
        Efficiencies eff = cluster != null ? cluster.efficiencies() : fresh == null ? null : fresh.efficiencies();
        ArrayNode formula = doc.putArray(cluster != null ? "cluster_formula" : "formula");
        if (costs != null) {
            for (Quantity q : COLUMNS) {
                ObjectNode f = formula.addObject().put("column", column(q));
                Json.putNumber(f, "value", value(q, costs, eff));
                f.put("text", cluster == null && clusterOnly(q) ? "0" : formula(q, value(q, costs, eff)));
            }
        }
        if (cluster != null) {
            ObjectNode u = doc.putObject("unallocated");
            ArrayNode ns = u.putArray("namespaces");
            namespaces.forEach(r -> ns.add(row(r.namespace(), r.currency(), r.costs(), r.efficiencies(), r.coverage())));
            u.set("cluster", row(null, cluster.currency(), cluster.costs(), cluster.efficiencies(), cluster.coverage()));
        }
        if (fresh != null) {
            ArrayNode targets = doc.putObject("coverage").put("value", fresh.coverage()).putArray("targets");
            coverage.forEach(t -> targets.addObject().put("replica", t.replica()).put("counted", t.countedSamples())
                    .put("expected", t.expectedScrapes()).put("day_median", t.dayMedian()).put("busiest_series", t.busiestSeries()));
        }
        doc.set("fresh", fresh == null ? null
                : row(fresh.namespace(), fresh.currency(), fresh.costs(), fresh.efficiencies(), fresh.coverage()));
        if (stored != null) {
            ObjectNode s = row(stored.namespace(), stored.currency(), stored.costs(), stored.efficiencies(), stored.coverage());
            s.put("version", stored.version()).put("computed_at", stored.computedAt().toString());
            doc.set("stored", s);
        } else {
            doc.putNull("stored");
        }
        if (storageError != null) {
            doc.put("error", storageError);
        } else {
            Verdict v = verdict();
            doc.put("verdict", v.name().toLowerCase());
            ArrayNode diffs = doc.putArray("differences");
            if (v == Verdict.STALE) {
                RowComparison.differences(stored, fresh).forEach(diffs::add);
            }
            doc.put("recompute", v == Verdict.STALE || v == Verdict.MISSING ? recompute() : null);
            if (computeError != null) {
                doc.put("compute_error", computeError);
            }
        }
        Json.print(doc, out);
    }

    private static ObjectNode row(String namespace, String currency, Costs c, Efficiencies e, double coverage) {
        ObjectNode n = Json.object();
        if (namespace != null) {
            n.put("namespace", namespace);
        }
        n.put("currency", currency).put("cost", c.total()).put("cpu_cost", c.cpu()).put("ram_cost", c.ram()).put("pv_cost", c.pv())
                .put("network_cost", c.network()).put("lb_cost", c.lb());
        Json.putNumber(n, "cpu_efficiency", e.cpu());
        Json.putNumber(n, "ram_efficiency", e.ram());
        Json.putNumber(n, "total_efficiency", e.total());
        return n.put("coverage", coverage);
    }
}
