package com.cloudtuner.kubecost.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.cloudtuner.kubecost.config.WorkerProperties.ReadMode;
import com.cloudtuner.kubecost.cost.CostRow;
import com.cloudtuner.kubecost.cost.CostRules;
import com.cloudtuner.kubecost.cost.HourlyCostCalculator;
import com.cloudtuner.kubecost.cost.Window;
import com.cloudtuner.kubecost.thanos.ThanosQueryException;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** A work unit read and computed against an exporter source in memory: halving, failures, rows. */
class UnitProcessorTest {

    private static final Instant H0 = Instant.parse("2025-10-13T00:00:00Z");
    private static final Window WINDOW = new Window(H0, H0.plusSeconds(3 * 3600));
    private static final List<String> TENANTS = IntStream.range(0, 8).mapToObj(i -> "t" + i).toList();

    private final FakeExporterSource source = new FakeExporterSource();
    private final UnitProcessor processor = new UnitProcessor(new WindowComputation(source,
            new HourlyCostCalculator(CostRules.DEFAULTS), ReadMode.AGGREGATED, 1_000_000), "test-run");

    UnitProcessorTest() {
        for (int i = 0; i < TENANTS.size(); i++) {
            source.tenant(TENANTS.get(i), 1 + i, WINDOW.startMs(), WINDOW.endMs());
        }
    }

    @Test
    void everyTenantGetsItsRowsFromOneReadOfTheBatch() {
        UnitResult r = processor.process(unit(TENANTS));

        assertThat(r.tenantErrors()).isEmpty();
        assertThat(source.sumsReads).isEqualTo(1);
        assertThat(source.rawReads).isZero();
        // t3: web at 4 $/h, the cluster at 5: web 4 and __unallocated__ 1 in each of the 3 hours, every scrape there
        List<CostRow> t3 = r.rows().rows().stream().filter(row -> row.tenant().equals("t3")).toList();
        assertThat(t3).hasSize(6).allSatisfy(row -> assertThat(row.coverage()).isEqualTo(1.0));
        assertThat(t3).filteredOn(row -> row.namespace().equals("web"))
                .allSatisfy(row -> assertThat(row.costs().total()).isCloseTo(4.0, within(1e-12)));
        assertThat(t3).filteredOn(row -> row.namespace().equals(CostRow.UNALLOCATED))
                .allSatisfy(row -> assertThat(row.costs().total()).isCloseTo(1.0, within(1e-12)));
    }

    @Test
    void aTenantWhoseQueryTheServerRefusesIsIsolatedByHalvingAndNamedWithItsOwnQuery() {
        source.refusing.add("t5");

        UnitResult r = processor.process(unit(TENANTS));

        assertThat(r.tenantErrors()).containsOnlyKeys("t5");
        assertThat(r.tenantErrors().get("t5")).contains("tenant_id=~\"t5\"").doesNotContain("t4");
        assertThat(r.rows().rows()).extracting(CostRow::tenant).doesNotContain("t5").contains("t0", "t4", "t6", "t7");
        // all 8 fail, then t0-t3 and t4-t7, then t4-t5 and t6-t7, then t4 and t5: 7 reads
        assertThat(source.sumsReads).isEqualTo(7);
    }

    @Test
    void tenantsTheHalvingBudgetDoesNotReachFailWithTheirBatchsReadCounted() {
        source.refusing.addAll(List.of("t0", "t2", "t4", "t6"));

        UnitResult r = processor.process(unit(TENANTS));

        assertThat(r.tenantErrors()).containsKeys("t0", "t2", "t4", "t6");
        assertThat(r.tenantErrors()).allSatisfy((tenant, why) -> assertThat(why).contains(tenant));
        // the budget: two reads per halving level, 3 levels for 8 tenants
        assertThat(source.sumsReads).isLessThanOrEqualTo(1 + 6);
    }

    @Test
    void aNetworkFaultFailsTheUnitAsAWholeWithoutHalving() {
        source.unreachable = true;

        assertThatThrownBy(() -> processor.process(unit(TENANTS))).isInstanceOf(ThanosQueryException.class);
        assertThat(source.sumsReads).isEqualTo(1);
    }

    private static WorkUnit unit(List<String> tenants) {
        List<TenantPlan> plans = tenants.stream().map(t -> new TenantPlan(t, WINDOW, null, null)).toList();
        return new WorkUnit(new TenantBatch(1, WINDOW, plans, List.of(WINDOW)), 0);
    }
}
