package com.cloudtuner.kubecost.diagnose;

import com.cloudtuner.kubecost.exporter.ExporterSource;
import com.cloudtuner.kubecost.cli.Command;
import com.cloudtuner.kubecost.clickhouse.ClickHouseException;
import com.cloudtuner.kubecost.clickhouse.ClickHouseGateway;
import com.cloudtuner.kubecost.cost.AuditedSeries;
import com.cloudtuner.kubecost.cost.ClusterHour;
import com.cloudtuner.kubecost.cost.ClusterHourKey;
import com.cloudtuner.kubecost.cost.CostResult;
import com.cloudtuner.kubecost.cost.CostRow;
import com.cloudtuner.kubecost.cost.ExporterMetric;
import com.cloudtuner.kubecost.cost.HourlyCostCalculator;
import com.cloudtuner.kubecost.cost.Window;
import com.cloudtuner.kubecost.exporter.ExporterReader;
import com.cloudtuner.kubecost.thanos.ThanosClient;
import java.time.Duration;
import java.util.List;

/**
 * {@code explain}: reads the raw samples around one hour of one cluster, lets the cost calculator
 * compute the hour and give its verdict on every sample, and sets that against the stored row.
 */
final class Explain {

    private final ThanosClient thanos;
    private final ClickHouseGateway ch;
    private final HourlyCostCalculator calculator;
    private final String prefix;
    private final Duration healthLookback;

    Explain(ThanosClient thanos, ClickHouseGateway ch, HourlyCostCalculator calculator, String prefix, Duration healthLookback) {
        this.thanos = thanos;
        this.ch = ch;
        this.calculator = calculator;
        this.prefix = prefix;
        this.healthLookback = healthLookback;
    }

    /** Throws {@link com.cloudtuner.kubecost.thanos.ThanosQueryException} when Thanos fails: there is nothing to explain then. */
    Explanation run(Command.Explain e) {
        Window hour = new Window(e.hour(), e.hour().plus(Duration.ofHours(1)));
        // an hour either side: the samples next to the hour's edges; the reference series over the day
        // before the hour too, for the scrapes coverage expects (as every run reads them)
        Window read = new Window(hour.start().minus(Duration.ofHours(1)), hour.end().plus(Duration.ofHours(1)));
        ExporterReader reader = new ExporterReader(thanos, prefix, healthLookback);
        ExporterSource.RawRead raw = reader.readRaw(List.of(e.tenant()), List.of(e.cluster()), read, true);
        CostResult result = calculator.compute(hour, raw.series(), raw.history());
        // a cluster-hour whose data contradict themselves: a backfill of this hour refuses it the same way
        String computeError = result.refused().get(new ClusterHourKey(e.tenant(), e.cluster(), hour.startMs()));
        List<AuditedSeries> audit = calculator.audit(hour, raw.series());
        ClusterHour cluster = result.clusterHours().stream().filter(c -> c.cluster().equals(e.cluster())).findFirst().orElse(null);
        boolean remainder = e.namespace().equals(CostRow.UNALLOCATED) && cluster != null;
        List<AuditedSeries> relevant = audit.stream().filter(a -> remainder
                ? a.series().metric().scope() == ExporterMetric.Scope.CLUSTER
                : a.series().metric().scope() == ExporterMetric.Scope.NAMESPACE && e.namespace().equals(a.series().namespace()))
                .toList();
        CostRow fresh = result.rows().stream().filter(r -> r.namespace().equals(e.namespace())).findFirst().orElse(null);
        List<CostRow> namespaces = result.rows().stream().filter(r -> !r.namespace().equals(CostRow.UNALLOCATED)).toList();
        StoredRow stored = null;
        String storageError = null;
        try {
            List<StoredRow> rows = StoredRows.of(ch, e.tenant(), e.cluster(), e.namespace(), hour);
            stored = rows.isEmpty() ? null : rows.get(0);
        } catch (ClickHouseException ex) {
            storageError = ex.getMessage();
        }
        List<HourlyCostCalculator.CoverageTerm> coverage = calculator.coverageTerms(hour, raw.series(), raw.history(), e.tenant(),
                e.cluster(), remainder ? null : e.namespace());
        return new Explanation(e, hour, prefix, calculator.rules(), relevant, fresh, remainder ? cluster : null,
                remainder ? namespaces : List.of(), computeError, stored, storageError, coverage);
    }
}
