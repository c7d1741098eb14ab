package com.cloudtuner.kubecost.diagnose;

import com.cloudtuner.kubecost.cost.AuditedSeries;
import com.cloudtuner.kubecost.cost.CostRow;
import com.cloudtuner.kubecost.cost.Figures;
import com.cloudtuner.kubecost.cost.HourlyCostCalculator.CoverageTerm;
import com.cloudtuner.kubecost.cost.MetricMode;
import com.cloudtuner.kubecost.cost.Quantity;
import com.cloudtuner.kubecost.cost.Series;
import com.cloudtuner.kubecost.cost.Window;
import java.io.PrintStream;
import java.time.Instant;
import java.util.stream.Collectors;

/** {@code explain}'s result for people: the samples, the formula with its numbers, coverage, and the verdict. */
final class ExplanationText {

    private final Explanation x;
    private final PrintStream out;

    private ExplanationText(Explanation x, PrintStream out) {
        this.x = x;
        this.out = out;
    }

    static void print(Explanation x, PrintStream out) {
        new ExplanationText(x, out).print();
    }

    private void print() {
        var request = x.request();
        var rules = x.rules();
        out.println("explain tenant " + request.tenant() + " cluster " + request.cluster() + " namespace " + request.namespace()
                + " hour " + x.hour().start() + " (" + x.hour() + ")");
        out.println("rules: " + rules.metricMode().name().toLowerCase() + " samples"
                + (rules.metricMode() == MetricMode.TOTAL ? " (totals over " + Texts.duration(rules.exporterWindow()) + ")" : " ($/h)")
                + ", health look-back " + Texts.duration(rules.healthLookback()));
        if (x.series().isEmpty()) {
            out.println("samples: none of " + (x.cluster() != null ? "the cluster's series" : "this namespace's series")
                    + " has a sample in or next to the hour");
            if (x.cluster() == null && !x.namespacesInCluster().contains(x.request().namespace())) {
                out.println("namespaces of cluster " + x.request().cluster() + " with series or rows then: "
                        + (x.namespacesInCluster().isEmpty() ? "none (is --cluster right?)" : String.join(", ", x.namespacesInCluster())));
            }
        } else {
            out.println("samples in and next to the hour, per series (HA replicas apart), with what the cost rules did with each:");
            x.series().forEach(this::printSeries);
        }
        CostRow fresh = x.fresh();
        if (x.cluster() != null) {
            out.println("the cluster's totals (rules 3 and 5: the mean of the counted samples, replicas pooled, x 1 h):");
            printFormula(x.cluster().figures());
            out.println("__unallocated__ = the cluster's total minus its namespaces' (rule 6; a remainder within 1e-9 of the total is rounding, 0):");
            printRemainder();
        } else if (fresh != null) {
            out.println("formula (rules 3 and 5: the mean of the counted samples, replicas pooled, x 1 h):");
            printFormula(fresh.figures());
        }
        if (fresh != null) {
            printCoverage();
        }
        out.println("fresh computation: " + (fresh == null ? (x.computeError() == null
                ? "no row (no counted cost sample in the hour, rule 4)"
                : "none, the cluster-hour is refused: " + x.computeError()) : describe(fresh.figures())));
        if (x.accrued() != null) {
            out.println("provisional: computed again as of " + x.stored().computedAt() + ", its computed_at; latest counted sample "
                    + x.accrued().latestSample() + ", " + Texts.number(x.accrued().fraction()) + " of the hour accrued (rule 8)");
        }
        out.println("stored in k8s_expenses_current: " + (x.storageError() != null ? "unknown, ClickHouse failed: " + x.storageError()
                : x.stored() == null ? "no row" : describe(x.stored().figures()) + " (version " + x.stored().version()
                + ", computed_at " + x.stored().computedAt() + ")"));
        if (x.storageError() == null) {
            out.println("verdict: " + verdict());
        }
        out.flush();
    }

    private String recompute() {
        return x.recompute() == null ? "the next run computes this hour in progress again" : "recompute with: " + x.recompute();
    }

    private String verdict() {
        return switch (x.verdict()) {
            case MATCHES -> "matches a fresh computation (every column within " + String.format("%.0e", Figures.RELATIVE_TOLERANCE)
                    + " relative, absolute below 1, as a run compares before it writes; the currency equal)";
            case STALE -> "stale (" + x.differences().stream().map(Texts::difference).collect(Collectors.joining(", "))
                    + "), " + recompute();
            case MISSING -> "missing: the samples give a row that is not stored, " + recompute();
            case NOT_COMPUTED -> "stored, but Thanos has no counted sample for it now (retention, downsampling or the series are"
                    + " gone); a backfill keeps it (backfill --erase-missing would remove it)";
            case NOTHING -> "no row stored and none to compute: no counted cost sample in this hour";
            case REFUSED -> "the cluster-hour is refused (" + x.computeError() + "): runs leave it unwritten and report it";
        };
    }

    private void printSeries(AuditedSeries a) {
        Series s = a.series();
        out.println("  " + s.metric().metricName(x.prefix()) + (s.replica().isEmpty() ? "" : "{" + s.replica() + "}")
                + (s.currency() == null ? "" : " currency " + s.currency()));
        for (Explanation.SampleRun run : x.runs(a)) {
            String when = run.first() == run.last() ? Texts.clock(run.first()) : Texts.clock(run.first()) + " .. " + Texts.clock(run.last());
            out.printf("    %-20s %4d x %-12s %s%n", when, run.count(), Texts.number(run.value()), reason(run));
        }
    }

    private String reason(Explanation.SampleRun run) {
        return switch (run.verdict()) {
            case COUNTED -> "counted";
            case OUTSIDE_WINDOW -> "outside the hour (rule 1: it belongs to the hour of " + Window.floorHour(
                    Instant.ofEpochMilli(run.first())) + ")";
            case NOT_FINITE -> "dropped: not a finite value (rule 2)";
            case EXPORTER_UNHEALTHY -> "dropped: exporter unhealthy (rule 2: exporter_scrape_success 0 at " + Texts.clock(run.vetoFirst())
                    + (run.vetoLast() == run.vetoFirst() ? "" : " .. " + Texts.clock(run.vetoLast())) + ", at most "
                    + Texts.duration(x.rules().healthLookback()) + " before)";
        };
    }

    private void printFormula(Figures f) {
        for (Quantity q : Explanation.COLUMNS) {
            if (x.cluster() == null && Explanation.clusterOnly(q)) {
                out.printf("  %-16s = 0 (namespaces have none; the cluster's are in its __unallocated__ row)%n", Explanation.column(q));
                continue;
            }
            out.printf("  %-16s = %s%n", Explanation.column(q), x.formula(q, Explanation.value(q, f)));
        }
    }

    private void printRemainder() {
        for (Quantity q : Explanation.COLUMNS.subList(0, 6)) {
            double total = Explanation.value(q, x.cluster().figures());
            String minus = x.namespaces().stream().map(r -> r.namespace() + " " + Texts.number(Explanation.value(q, r.figures())))
                    .collect(Collectors.joining(" + "));
            out.printf("  %-16s = %s%s = %s%n", Explanation.column(q), Texts.number(total),
                    Explanation.clusterOnly(q) || x.namespaces().isEmpty() ? " (namespaces have none)" : " - (" + minus + ")",
                    Texts.number(Explanation.value(q, x.fresh().figures())));
        }
        out.println("  efficiencies     = NULL (the cluster's own are in k8s_cluster_expenses)");
    }

    private void printCoverage() {
        out.println("coverage = " + Texts.number(x.fresh().coverage()) + " (rule 3): per scrape target, the counted samples of the"
                + " row's fullest cost series over the scrapes the target expects in the hour, the best target, capped at 1:");
        for (CoverageTerm t : x.coverage()) {
            out.println("  " + (t.replica().isEmpty() ? "the target" : "target {" + t.replica() + "}") + ": " + t.countedSamples()
                    + " counted of " + t.expectedScrapes() + " expected (the larger of " + t.dayMedian() + ", the median of its"
                    + " hourly scrape counts over the day ending with this hour, and " + t.busiestSeries()
                    + ", the samples of its busiest cost series in the hour)");
        }
    }

    private static String describe(Figures f) {
        var c = f.costs();
        var e = f.efficiencies();
        return "currency " + f.currency() + ", cost " + Texts.number(c.total()) + ", cpu_cost " + Texts.number(c.cpu()) + ", ram_cost "
                + Texts.number(c.ram()) + ", pv_cost " + Texts.number(c.pv()) + ", network_cost " + Texts.number(c.network())
                + ", lb_cost " + Texts.number(c.lb()) + ", cpu_efficiency " + Texts.number(e.cpu()) + ", ram_efficiency "
                + Texts.number(e.ram()) + ", total_efficiency " + Texts.number(e.total()) + ", coverage " + Texts.number(f.coverage());
    }
}
