package com.cloudtuner.kubecost.diagnose;

import com.cloudtuner.kubecost.cost.AccruedHour;
import com.cloudtuner.kubecost.cli.ExitCodes;
import com.cloudtuner.kubecost.cli.Command;
import com.cloudtuner.kubecost.clickhouse.ExpenseRecord;
import com.cloudtuner.kubecost.cost.AuditedSeries;
import com.cloudtuner.kubecost.cost.ClusterHour;
import com.cloudtuner.kubecost.cost.CostRow;
import com.cloudtuner.kubecost.cost.CostRules;
import com.cloudtuner.kubecost.cost.Costs;
import com.cloudtuner.kubecost.cost.Efficiencies;
import com.cloudtuner.kubecost.cost.Figures;
import com.cloudtuner.kubecost.cost.HourlyCostCalculator.CoverageTerm;
import com.cloudtuner.kubecost.cost.MetricMode;
import com.cloudtuner.kubecost.cost.Quantity;
import com.cloudtuner.kubecost.cost.SampleVerdict;
import com.cloudtuner.kubecost.cost.Series;
import com.cloudtuner.kubecost.cost.Window;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code explain} found about one row, rendered by {@link ExplanationText} or
 * {@link ExplanationJson}: the samples of its series around the hour with the calculator's verdict
 * on each, the fresh row (and for {@code __unallocated__} the cluster's figures and the namespace
 * rows subtracted), coverage and how it was counted, and the stored row.
 *
 * @param series       the series the row is computed from (the cluster's, for a remainder), audited
 * @param fresh        the row a run computes now; null when it computes none
 * @param cluster      for {@code __unallocated__}: the cluster's own figures; null otherwise
 * @param namespaces   for {@code __unallocated__}: the cluster's namespace rows subtracted
 * @param computeError why the cluster-hour is refused (its data contradict themselves); null otherwise
 * @param stored       the row {@code k8s_expenses_current} shows; null for none (or when it could not be read)
 * @param storageError why the stored row could not be read; null when it was
 * @param coverage     how rule 3 counted the row's coverage, per scrape target
 * @param accrued      for a provisional row (computed again as of its computed_at): how far its hour had
 *                     accrued (rule 8); null for a complete hour
 * @param namespacesInCluster the namespaces of the cluster with series next to the hour or stored rows in it, sorted
 */
record Explanation(Command.Explain request, Window hour, String prefix, CostRules rules, List<AuditedSeries> series, CostRow fresh,
                   ClusterHour cluster, List<CostRow> namespaces, String computeError, ExpenseRecord stored, String storageError,
                   List<CoverageTerm> coverage, AccruedHour accrued, List<String> namespacesInCluster) {

    enum Verdict { MATCHES, STALE, MISSING, NOT_COMPUTED, NOTHING, REFUSED }

    static final List<Quantity> COLUMNS = List.of(Quantity.COST, Quantity.CPU_COST, Quantity.RAM_COST, Quantity.PV_COST,
            Quantity.NETWORK_COST, Quantity.LB_COST, Quantity.CPU_EFFICIENCY, Quantity.RAM_EFFICIENCY, Quantity.TOTAL_EFFICIENCY);

    Explanation {
        series = List.copyOf(series);
        namespaces = List.copyOf(namespaces);
        coverage = List.copyOf(coverage);
        namespacesInCluster = List.copyOf(namespacesInCluster);
    }

    /** 1 when the stored row could not be read (ClickHouse failed); explaining itself never fails otherwise. */
    int exitCode() {
        return storageError == null ? ExitCodes.OK : ExitCodes.FAILED;
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
        return differences().isEmpty() ? Verdict.MATCHES : Verdict.STALE;
    }

    /** How the stored row differs from the fresh one; empty without both. */
    List<Figures.Difference> differences() {
        return fresh == null || stored == null ? List.of() : fresh.figures().differencesFrom(stored.figures());
    }

    /** The backfill that recomputes the hour; null for a provisional row, which the next run computes again. */
    String recompute() {
        return stored != null && stored.provisional() ? null : Texts.backfill(hour, request.tenant());
    }

    /** The figures the formula shows: the cluster's for a remainder, else the fresh row's; null without either. */
    Figures shownFigures() {
        return cluster != null ? cluster.figures() : fresh == null ? null : fresh.figures();
    }

    /** The sum and number of the counted samples of one series (one replica) of a column; only series with any. */
    record Term(String replica, double sum, int counted) {
    }

    /** Per series of the column's quantity (HA replicas apart), its counted samples' sum and number; those without any left out. */
    List<Term> terms(Quantity q) {
        List<Term> terms = new ArrayList<>();
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
                terms.add(new Term(a.series().replica(), sum, n));
            }
        }
        return terms;
    }

    /** {@code (Σ a + Σ b) / (n_a + n_b) [x factor] = value}, the sums from the counted samples of the series. */
    String formula(Quantity q, Double value) {
        List<String> sums = new ArrayList<>();
        List<String> counts = new ArrayList<>();
        for (Term t : terms(q)) {
            sums.add(Texts.number(t.sum()));
            counts.add(Integer.toString(t.counted()));
        }
        if (sums.isEmpty()) {
            return q.isCost() ? "0 (no counted sample; rule 4)" : "NULL (no counted sample)";
        }
        String mean = (sums.size() == 1 ? sums.get(0) : "(" + String.join(" + ", sums) + ")") + " / "
                + (counts.size() == 1 ? counts.get(0) : "(" + String.join(" + ", counts) + ")");
        if (q.isCost() && rules.metricMode() == MetricMode.TOTAL) {
            mean += " x 1h/" + Texts.duration(rules.exporterWindow()) + " (rule 7)";
        }
        if (q.isCost() && accrued != null) {
            mean += " x " + Texts.number(accrued.fraction()) + " of the hour accrued (rule 8)";
        }
        return mean + " = " + Texts.number(value);
    }

    /** The samples shown of a series: the hour's, and the nearest one on either side. */
    List<Integer> shown(AuditedSeries a) {
        long[] t = a.series().timestamps();
        int from = 0;
        while (from + 1 < t.length && t[from + 1] < hour.startMs()) {
            from++;
        }
        int to = t.length - 1;
        while (to - 1 >= 0 && t[to - 1] >= hour.endMs()) {
            to--;
        }
        List<Integer> shown = new ArrayList<>();
        for (int i = from; i <= to && i < a.series().size(); i++) {
            shown.add(i);
        }
        return shown;
    }

    /** Consecutive shown samples with the same value and verdict. */
    record SampleRun(long first, long last, int count, double value, SampleVerdict verdict, long vetoFirst, long vetoLast) {
    }

    List<SampleRun> runs(AuditedSeries a) {
        List<SampleRun> runs = new ArrayList<>();
        Series s = a.series();
        for (int i : shown(a)) {
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
    static boolean clusterOnly(Quantity q) {
        return q == Quantity.NETWORK_COST || q == Quantity.LB_COST;
    }

    static String column(Quantity q) {
        return q.name().toLowerCase();
    }

    static Double value(Quantity q, Figures f) {
        Costs c = f.costs();
        Efficiencies e = f.efficiencies();
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
}
