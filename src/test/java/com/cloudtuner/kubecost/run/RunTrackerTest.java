package com.cloudtuner.kubecost.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.cloudtuner.kubecost.clickhouse.RunLedger;
import com.cloudtuner.kubecost.clickhouse.WriteResult;
import com.cloudtuner.kubecost.cost.ClusterHourKey;
import com.cloudtuner.kubecost.cost.CostResult;
import com.cloudtuner.kubecost.cost.Window;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * How a run closes a batch from what became of its work units, with the watermarks and the run
 * ledger in memory: the watermark moves over the hours written without a gap, a failed unit keeps
 * it, a partial write is recorded with what it stored, a refused cluster-hour does not hold it back.
 */
class RunTrackerTest {

    private static final Instant H0 = Instant.parse("2025-10-13T00:00:00Z");
    private static final Window WINDOW = new Window(H0, H0.plusSeconds(3 * 3600));
    private static final List<Window> CHUNKS = WINDOW.chunks(1);
    private static final RunRequest HOURLY = RunRequest.hourly(H0.plusSeconds(3 * 3600 + 600), List.of());

    private final InMemoryPorts.InMemoryWatermarks watermarks = new InMemoryPorts.InMemoryWatermarks();
    private final InMemoryPorts.InMemoryRunLedger ledger = new InMemoryPorts.InMemoryRunLedger();
    private final TenantBatch batch = new TenantBatch(1, WINDOW,
            List.of(new TenantPlan("a", WINDOW, null, null), new TenantPlan("b", WINDOW, H0, null)), CHUNKS);
    private final RunTracker tracker = new RunTracker("run-1", HOURLY, new RunPlan(List.of(batch), List.of()),
            Clock.fixed(H0.plusSeconds(4 * 3600), ZoneOffset.UTC), ledger, watermarks);

    @Test
    void aFailedUnitKeepsTheWatermarksAtTheEndOfTheHoursWrittenWithoutAGap() {
        tracker.written(written(0, CostResult.EMPTY, Map.of("a", new WriteResult(2, 2, 0), "b", new WriteResult(2, 2, 0))));
        tracker.failed(new WorkUnit(batch, 1), new IllegalStateException("Thanos answered HTTP 503"), Map.of());
        tracker.written(written(2, CostResult.EMPTY, Map.of("a", new WriteResult(2, 2, 0), "b", new WriteResult(2, 2, 0))));
        tracker.closeCompletedBatches();

        // hour 0 written, hour 1 failed: both stop at 01:00, although hour 2 was written too
        assertThat(watermarks.all()).containsEntry("a", H0.plusSeconds(3600)).containsEntry("b", H0.plusSeconds(3600));
        assertThat(ledger.of("a").status()).isEqualTo("failed");
        assertThat(ledger.of("a").error()).contains(CHUNKS.get(1).toString()).contains("503");
        assertThat(ledger.of("a").written()).isEqualTo(new WriteResult(4, 4, 0));
    }

    @Test
    void everyUnitWrittenMovesTheWatermarksToTheEndAndRecordsSuccess() {
        for (int i = 0; i < 3; i++) {
            tracker.written(written(i, CostResult.EMPTY, Map.of("a", new WriteResult(2, 0, 0), "b", new WriteResult(2, 1, 0))));
        }
        tracker.closeCompletedBatches();

        assertThat(watermarks.all()).containsEntry("a", WINDOW.end()).containsEntry("b", WINDOW.end());
        assertThat(ledger.entries).extracting(RunLedger.Entry::status).containsOnly("succeeded");
        assertThat(ledger.of("b").written()).isEqualTo(new WriteResult(6, 3, 0));
        assertThat(tracker.outcomes()).allSatisfy(o -> assertThat(o.succeeded()).isTrue());
    }

    @Test
    void aWriteThatFailedHalfwayIsRecordedWithWhatItStored() {
        tracker.written(written(0, CostResult.EMPTY, Map.of("a", WriteResult.NOTHING, "b", WriteResult.NOTHING)));
        tracker.failed(new WorkUnit(batch, 1), new IllegalStateException("insert refused"),
                Map.of("a", new WriteResult(0, 5, 1)));
        tracker.written(written(2, CostResult.EMPTY, Map.of("a", WriteResult.NOTHING, "b", WriteResult.NOTHING)));
        tracker.closeCompletedBatches();

        assertThat(ledger.of("a").written()).isEqualTo(new WriteResult(0, 5, 1));
        assertThat(ledger.of("b").written()).isEqualTo(WriteResult.NOTHING);
        assertThat(ledger.of("a").status()).isEqualTo("failed");
    }

    @Test
    void aRefusedClusterHourMakesTheTenantPartialAndTheWatermarkMovesOn() {
        CostResult refused = new CostResult(List.of(), List.of(), Map.of(),
                Map.of(new ClusterHourKey("a", "c", H0.plusSeconds(3600)), "two currencies"));
        tracker.written(written(0, CostResult.EMPTY, Map.of("a", WriteResult.NOTHING, "b", WriteResult.NOTHING)));
        tracker.written(written(1, refused, Map.of("a", WriteResult.NOTHING, "b", WriteResult.NOTHING)));
        tracker.written(written(2, CostResult.EMPTY, Map.of("a", WriteResult.NOTHING, "b", WriteResult.NOTHING)));
        tracker.closeCompletedBatches();

        assertThat(watermarks.all()).containsEntry("a", WINDOW.end());
        assertThat(ledger.of("a").status()).isEqualTo("partial");
        assertThat(ledger.of("a").refused()).isEqualTo(1);
        assertThat(ledger.of("a").error()).startsWith("refused a/c@2025-10-13T01:00:00Z");
        assertThat(ledger.of("b").status()).isEqualTo("succeeded");
    }

    @Test
    void aProvisionalBatchMovesNoWatermarkAndIsRecordedAsProvisional() {
        // a (known, watermark at H0) and n (seen for the first time, in the hour in progress)
        Window current = new Window(WINDOW.end(), WINDOW.end().plusSeconds(3600));
        Instant asOf = current.start().plusSeconds(1800);
        TenantBatch provisional = new TenantBatch(1, current,
                List.of(TenantPlan.provisional("a", current, asOf), TenantPlan.provisional("n", current, asOf)), List.of(current));
        RunTracker run = new RunTracker("run-2", RunRequest.hourly(asOf, List.of(), true),
                new RunPlan(List.of(provisional), List.of()), Clock.fixed(asOf, ZoneOffset.UTC), ledger, watermarks);
        watermarks.advance(Map.of("a", H0), "earlier");

        UnitResult unit = new UnitResult(new WorkUnit(provisional, 0), new WindowComputation.Result(CostResult.EMPTY, Map.of(),
                new WindowComputation.ReadStats(0, 0, 0, 0, 0, 0)));
        unit.markWritten(Map.of("a", new WriteResult(3, 3, 0), "n", new WriteResult(2, 2, 0)));
        run.written(unit);
        run.closeCompletedBatches();

        assertThat(watermarks.all()).containsOnly(Map.entry("a", H0)); // no first sighting for n either
        assertThat(ledger.entries).extracting(RunLedger.Entry::tenant, RunLedger.Entry::provisional, RunLedger.Entry::status)
                .containsExactlyInAnyOrder(tuple("a", true, "succeeded"), tuple("n", true, "succeeded"));
    }

    @Test
    void aFailedProvisionalUnitFailsItsTenantsButMovesNoWatermark() {
        Window current = new Window(WINDOW.end(), WINDOW.end().plusSeconds(3600));
        Instant asOf = current.start().plusSeconds(1800);
        TenantBatch provisional = new TenantBatch(1, current, List.of(TenantPlan.provisional("a", current, asOf)), List.of(current));
        RunTracker run = new RunTracker("run-3", RunRequest.hourly(asOf, List.of(), true),
                new RunPlan(List.of(provisional), List.of()), Clock.fixed(asOf, ZoneOffset.UTC), ledger, watermarks);

        run.failed(new WorkUnit(provisional, 0), new IllegalStateException("Thanos answered HTTP 503"), Map.of());
        run.closeCompletedBatches();

        assertThat(watermarks.all()).isEmpty();
        assertThat(run.outcomes()).singleElement().satisfies(o -> assertThat(o.succeeded()).isFalse());
        assertThat(ledger.of("a").provisional()).isTrue();
        assertThat(ledger.of("a").status()).isEqualTo("failed");
    }

    private UnitResult written(int chunk, CostResult rows, Map<String, WriteResult> perTenant) {
        UnitResult r = new UnitResult(new WorkUnit(batch, chunk), new WindowComputation.Result(rows, Map.of(),
                new WindowComputation.ReadStats(0, 0, 0, 0, 0, 0)));
        r.markWritten(perTenant);
        return r;
    }
}
