package com.cloudtuner.kubecost.diagnose;

import com.cloudtuner.kubecost.cost.AuditedSeries;
import com.cloudtuner.kubecost.cost.Figures;
import com.cloudtuner.kubecost.cost.Quantity;
import com.cloudtuner.kubecost.cost.SampleVerdict;
import com.cloudtuner.kubecost.cost.Series;
import java.io.PrintStream;
import java.time.Instant;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code explain --json}: the same result as one JSON document, for scripts. */
final class ExplanationJson {

    private ExplanationJson() {
    }

    static void print(Explanation x, PrintStream out) {
        ObjectNode doc = Json.object()
                .put("command", "explain")
                .put("tenant", x.request().tenant())
                .put("cluster", x.request().cluster())
                .put("namespace", x.request().namespace())
                .put("hour", x.hour().start().toString());
        doc.putObject("rules").put("metric_mode", x.rules().metricMode().name().toLowerCase())
                .put("exporter_window_seconds", x.rules().exporterWindow().toSeconds())
                .put("health_lookback_seconds", x.rules().healthLookback().toSeconds());
        ArrayNode present = doc.putArray("namespaces_in_cluster");
        x.namespacesInCluster().forEach(present::add);
        ArrayNode list = doc.putArray("series");
        x.series().forEach(a -> series(x, a, list.addObject()));
        Figures shown = x.shownFigures();
        ArrayNode formula = doc.putArray(x.cluster() != null ? "cluster_formula" : "formula");
        if (shown != null) {
            for (Quantity q : Explanation.COLUMNS) {
                Double value = Explanation.value(q, shown);
                ObjectNode f = formula.addObject().put("column", Explanation.column(q));
                Json.putNumber(f, "value", value);
                boolean none = x.cluster() == null && Explanation.clusterOnly(q);
                f.put("text", none ? "0" : x.formula(q, value));
                ArrayNode terms = f.putArray("terms");
                if (!none) {
                    x.terms(q).forEach(t -> terms.addObject().put("replica", t.replica()).put("sum", t.sum())
                            .put("counted", t.counted()));
                }
            }
        }
        if (x.cluster() != null) {
            ObjectNode u = doc.putObject("unallocated");
            ArrayNode ns = u.putArray("namespaces");
            x.namespaces().forEach(r -> ns.add(row(r.namespace(), r.figures())));
            u.set("cluster", row(null, x.cluster().figures()));
        }
        if (x.fresh() != null) {
            ArrayNode targets = doc.putObject("coverage").put("value", x.fresh().coverage()).putArray("targets");
            x.coverage().forEach(t -> targets.addObject().put("replica", t.replica()).put("counted", t.countedSamples())
                    .put("expected", t.expectedScrapes()).put("day_median", t.dayMedian()).put("busiest_series", t.busiestSeries()));
        }
        doc.set("fresh", x.fresh() == null ? null : row(x.fresh().namespace(), x.fresh().figures()));
        if (x.stored() != null) {
            doc.set("stored", row(x.stored().namespace(), x.stored().figures()).put("version", x.stored().version())
                    .put("computed_at", x.stored().computedAt().toString()));
        } else {
            doc.putNull("stored");
        }
        if (x.storageError() != null) {
            doc.put("error", x.storageError());
        } else {
            verdict(x, doc);
        }
        Json.print(doc, out);
    }

    private static void series(Explanation x, AuditedSeries a, ObjectNode n) {
        Series s = a.series();
        n.put("metric", s.metric().metricName(x.prefix())).put("replica", s.replica()).put("currency", s.currency());
        ArrayNode samples = n.putArray("samples");
        for (int i : x.shown(a)) {
            ObjectNode sample = samples.addObject().put("t", Instant.ofEpochMilli(s.timestamps()[i]).toString());
            Json.putNumber(sample, "value", s.values()[i]);
            sample.put("verdict", a.verdicts()[i].name().toLowerCase());
            if (a.verdicts()[i] == SampleVerdict.EXPORTER_UNHEALTHY) {
                sample.put("vetoed_by", Instant.ofEpochMilli(a.vetoedBy()[i]).toString());
            }
        }
    }

    private static void verdict(Explanation x, ObjectNode doc) {
        Explanation.Verdict v = x.verdict();
        doc.put("verdict", v.name().toLowerCase());
        if (x.stored() != null && x.stored().provisional()) {
            ObjectNode p = doc.putObject("provisional").put("as_of", x.stored().computedAt().toString());
            p.put("latest_sample", x.accrued() == null ? null : x.accrued().latestSample().toString());
            Json.putNumber(p, "accrued_fraction", x.accrued() == null ? null : x.accrued().fraction());
        } else {
            doc.putNull("provisional");
        }
        ArrayNode diffs = doc.putArray("differences");
        ArrayNode columns = doc.putArray("column_differences");
        if (v == Explanation.Verdict.STALE) {
            x.differences().forEach(d -> diffs.add(Texts.difference(d)));
            x.differences().forEach(d -> Json.difference(d, columns.addObject()));
        }
        doc.put("recompute", v == Explanation.Verdict.STALE || v == Explanation.Verdict.MISSING ? x.recompute() : null);
        if (x.computeError() != null) {
            doc.put("compute_error", x.computeError());
        }
    }

    private static ObjectNode row(String namespace, Figures f) {
        ObjectNode n = Json.object();
        if (namespace != null) {
            n.put("namespace", namespace);
        }
        n.put("currency", f.currency()).put("cost", f.costs().total()).put("cpu_cost", f.costs().cpu())
                .put("ram_cost", f.costs().ram()).put("pv_cost", f.costs().pv()).put("network_cost", f.costs().network())
                .put("lb_cost", f.costs().lb());
        Json.putNumber(n, "cpu_efficiency", f.efficiencies().cpu());
        Json.putNumber(n, "ram_efficiency", f.efficiencies().ram());
        Json.putNumber(n, "total_efficiency", f.efficiencies().total());
        return n.put("coverage", f.coverage());
    }
}
