package com.cloudtuner.kubecost.run;

import com.cloudtuner.kubecost.clickhouse.ClickHouseExpenseStore;
import com.cloudtuner.kubecost.clickhouse.ExpenseStore;
import com.cloudtuner.kubecost.clickhouse.PartialWrite;
import com.cloudtuner.kubecost.clickhouse.WriteKind;
import com.cloudtuner.kubecost.clickhouse.WriteResult;
import com.cloudtuner.kubecost.cost.CostRow;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;

/**
 * Stores each unit's rows: one read of the stored state and one insert per table for the whole
 * batch of tenants (see {@link com.cloudtuner.kubecost.clickhouse.WritePlan}). A dry run prints the
 * rows instead. A write retried after failing halfway plans against what the failed attempt left,
 * and the unit's counts include what that attempt applied.
 */
class UnitWriter implements ItemWriter<UnitResult> {

    private final ExpenseStore store;
    private final boolean eraseMissing;
    private final PrintStream dryRunOut;

    /** @param dryRunOut where a dry run prints its rows; null to write them */
    UnitWriter(ExpenseStore store, boolean eraseMissing, PrintStream dryRunOut) {
        this.store = store;
        this.eraseMissing = eraseMissing;
        this.dryRunOut = dryRunOut;
    }

    @Override
    public void write(Chunk<? extends UnitResult> units) {
        for (UnitResult unit : units) {
            try {
                unit.markWritten(dryRunOut != null ? print(unit) : store.write(unit.writableTenants(), unit.unit().chunk(),
                        unit.rows(), kind(unit)));
            } catch (PartialWrite e) {
                unit.appliedBeforeFailure(e.applied());
                throw e;
            } catch (OutOfMemoryError e) {
                throw UnitTooLarge.of(unit.unit().batch().tenants().size(), unit.unit().chunk(), unit.stats().series(), e);
            }
        }
    }

    private WriteKind kind(UnitResult unit) {
        if (unit.unit().batch().provisional()) {
            return WriteKind.provisional(unit.unit().batch().provisionalAsOf());
        }
        return eraseMissing ? WriteKind.ERASING : WriteKind.FINAL;
    }

    private Map<String, WriteResult> print(UnitResult unit) {
        byte[] lines = ClickHouseExpenseStore.dryRunLines(unit.rows().rows());
        dryRunOut.write(lines, 0, lines.length);
        dryRunOut.flush();
        Map<String, Integer> rows = new HashMap<>();
        for (CostRow r : unit.rows().rows()) {
            rows.merge(r.tenant(), 1, Integer::sum);
        }
        Map<String, WriteResult> perTenant = new LinkedHashMap<>();
        for (String tenant : unit.writableTenants()) {
            perTenant.put(tenant, new WriteResult(rows.getOrDefault(tenant, 0), 0, 0));
        }
        return perTenant;
    }
}
