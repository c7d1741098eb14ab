package com.cloudtuner.kubecost.diagnose;

import com.cloudtuner.kubecost.cli.Command;
import com.cloudtuner.kubecost.clickhouse.ClickHouseException;
import com.cloudtuner.kubecost.clickhouse.ExpenseRecord;
import com.cloudtuner.kubecost.clickhouse.ExpenseStore;
import com.cloudtuner.kubecost.cost.AuditedSeries;
import com.cloudtuner.kubecost.cost.ClusterHour;
import com.cloudtuner.kubecost.cost.ClusterHourKey;
import com.cloudtuner.kubecost.cost.CostRow;
import com.cloudtuner.kubecost.cost.ExporterMetric;
import com.cloudtuner.kubecost.cost.Series;
import com.cloudtuner.kubecost.cost.HourlyCostCalculator;
import com.cloudtuner.kubecost.cost.ScrapeHistory;
import com.cloudtuner.kubecost.cost.Window;
import com.cloudtuner.kubecost.exporter.ExporterSource;
import com.cloudtuner.kubecost.run.WindowComputation;
import com.cloudtuner.kubecost.thanos.ThanosQueryException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * {@code explain}: computes one hour of one tenant the way a run does ({@link WindowComputation}),
 * reads the raw samples around it for the calculator's verdict on each, and sets the row against
 * the stored one.
 */
final class Explain {

    private final ExporterSource source;
    private final WindowComputation computation;
    private final ExpenseStore store;
    private final HourlyCostCalculator calculator;
    private final String prefix;

    Explain(ExporterSource source, WindowComputation computation, ExpenseStore store, HourlyCostCalculator calculator,
            String prefix) {
        this.source = source;
        this.computation = computation;
        this.store = store;
        this.calculator = calculator;
        this.prefix = prefix;
    }

    /** Throws {@link ThanosQueryException} when Thanos fails: there is nothing to explain then. */
    Explanation run(Command.Explain e) {
        Window hour = new Window(e.hour(), e.hour().plus(Duration.ofHours(1)));
        List<ExpenseRecord> storedInCluster = List.of();
        String storageError = null;
        try {
            storedInCluster = store.stored(List.of(e.tenant()), hour).visibleExpenses().stream()
                    .filter(r -> r.cluster().equals(e.cluster())).toList();
        } catch (ClickHouseException ex) {
            storageError = ex.getMessage();
        }
        ExpenseRecord stored = storedInCluster.stream().filter(r -> e.namespace().equals(r.namespace())).findFirst().orElse(null);
        // a provisional row is computed again as of the instant it was computed as of, its computed_at
        Instant asOf = stored != null && stored.provisional() ? stored.computedAt() : null;
        WindowComputation.Result computed = asOf == null ? computation.compute(List.of(e.tenant()), hour, "explain")
                : computation.computeProvisional(List.of(e.tenant()), hour, asOf, "explain");
        String unreadable = computed.tenantErrors().get(e.tenant());
        if (unreadable != null) {
            throw new ThanosQueryException(unreadable, false);
        }
        // the samples next to the hour's edges too (none after the provisional instant); the scrapes coverage expects come with the read
        Window read = new Window(hour.start().minus(Duration.ofHours(1)), hour.end().plus(Duration.ofHours(1)));
        ExporterSource.RawRead raw = source.readRaw(List.of(e.tenant()), List.of(e.cluster()), read, true);
        List<Series> samples = asOf == null ? raw.series() : raw.series().stream().map(s -> s.before(asOf.toEpochMilli())).toList();
        ClusterHourKey clusterHour = new ClusterHourKey(e.tenant(), e.cluster(), hour.start());
        String computeError = computed.rows().refused().get(clusterHour);
        ClusterHour cluster = computed.rows().clusterHours().stream().filter(c -> c.cluster().equals(e.cluster())).findFirst()
                .orElse(null);
        boolean remainder = e.namespace().equals(CostRow.UNALLOCATED) && cluster != null;
        List<AuditedSeries> relevant = calculator.audit(hour, samples).stream().filter(a -> remainder
                ? a.series().metric().scope() == ExporterMetric.Scope.CLUSTER
                : a.series().metric().scope() == ExporterMetric.Scope.NAMESPACE && e.namespace().equals(a.series().namespace()))
                .toList();
        List<CostRow> rows = computed.rows().rows().stream().filter(r -> r.cluster().equals(e.cluster())).toList();
        CostRow fresh = rows.stream().filter(r -> r.namespace().equals(e.namespace())).findFirst().orElse(null);
        List<CostRow> namespaces = rows.stream().filter(r -> !r.namespace().equals(CostRow.UNALLOCATED)).toList();
        ScrapeHistory history = asOf == null ? raw.history() : raw.history().asOf(asOf.toEpochMilli(), raw.series());
        List<HourlyCostCalculator.CoverageTerm> coverage = calculator.coverageTerms(hour, samples, history, e.tenant(),
                e.cluster(), remainder ? null : e.namespace());
        // so that a mistyped --namespace (or --cluster) shows what there is to explain
        SortedSet<String> present = new TreeSet<>();
        raw.series().stream().filter(x -> x.namespace() != null).forEach(x -> present.add(x.namespace()));
        storedInCluster.stream().filter(r -> r.namespace() != null).forEach(r -> present.add(r.namespace()));
        return new Explanation(e, hour, prefix, calculator.rules(), relevant, fresh, remainder ? cluster : null,
                remainder ? namespaces : List.of(), computeError, stored, storageError, coverage,
                asOf == null ? null : computed.rows().accrued().get(clusterHour), List.copyOf(present));
    }
}
