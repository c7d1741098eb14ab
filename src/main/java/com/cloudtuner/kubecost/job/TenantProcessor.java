package com.cloudtuner.kubecost.job;

import com.cloudtuner.kubecost.clickhouse.ExpenseRows;
import com.cloudtuner.kubecost.clickhouse.ExpensesWriter;
import com.cloudtuner.kubecost.clickhouse.WriteResult;
import com.cloudtuner.kubecost.cost.CostResult;
import com.cloudtuner.kubecost.cost.CostRow;
import com.cloudtuner.kubecost.cost.HourlyCostCalculator;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Processes one tenant's plan, window chunk by window chunk: read from Thanos, compute, write
 * (one insert per chunk). A failed chunk is reported and the next one still runs; only the
 * unbroken run of written chunks from the start counts towards the watermark.
 */
public final class TenantProcessor {

    private static final Logger log = LoggerFactory.getLogger(TenantProcessor.class);

    private final ExporterReader reader;
    private final HourlyCostCalculator calculator;
    private final ExpensesWriter writer;
    private final int chunkHours;
    private final Clock clock;

    public TenantProcessor(ExporterReader reader, HourlyCostCalculator calculator, ExpensesWriter writer,
                           int chunkHours, Clock clock) {
        this.reader = reader;
        this.calculator = calculator;
        this.writer = writer;
        this.chunkHours = chunkHours;
        this.clock = clock;
    }

    /** @param dryRunOut where a dry run prints its rows; null to write them */
    public TenantOutcome process(TenantPlan plan, boolean eraseMissing, PrintStream dryRunOut) {
        Instant startedAt = clock.instant();
        String tenant = plan.tenant();
        WriteResult total = WriteResult.NOTHING;
        List<String> errors = new ArrayList<>();
        Instant writtenUntil = plan.window().start();
        for (Window chunk : plan.window().chunks(chunkHours)) {
            long t0 = System.nanoTime();
            try {
                ExporterReader.Read read = reader.read(tenant, chunk);
                CostResult result = calculator.compute(chunk.start(), chunk.end(), read.series());
                WriteResult written;
                if (dryRunOut != null) {
                    print(result, dryRunOut);
                    written = new WriteResult(result.rows().size(), 0, 0);
                } else {
                    written = writer.write(tenant, chunk.start(), chunk.end(), result, eraseMissing);
                }
                total = total.plus(written);
                if (errors.isEmpty()) {
                    writtenUntil = chunk.end();
                }
                log.info("tenant={} window={} series={} samples={} malformed_series={} rows={} changed={} tombstoned={} ms={}{}",
                        tenant, chunk, read.series().size(), read.samples(), read.malformed(), written.rows(),
                        written.changed(), written.tombstoned(), (System.nanoTime() - t0) / 1_000_000,
                        dryRunOut != null ? " (dry run)" : "");
            } catch (RuntimeException e) {
                String reason = e.getMessage() == null ? e.toString() : e.getMessage();
                errors.add(chunk + ": " + reason);
                log.error("tenant={} window={} FAILED, nothing written for it: {}", tenant, chunk, reason);
            }
        }
        return new TenantOutcome(plan, total, writtenUntil, errors, startedAt, clock.instant());
    }

    private static void print(CostResult result, PrintStream out) {
        StringBuilder lines = new StringBuilder();
        for (CostRow row : result.rows()) {
            lines.append(ExpenseRows.toJson(row)).append('\n');
        }
        synchronized (out) { // tenants run in parallel; keep each chunk's lines together
            out.print(lines);
            out.flush();
        }
    }
}
