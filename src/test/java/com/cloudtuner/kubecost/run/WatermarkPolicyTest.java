package com.cloudtuner.kubecost.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import com.cloudtuner.kubecost.cost.Window;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WatermarkPolicyTest {

    private static final Instant E = Instant.parse("2025-10-20T12:00:00Z"); // end of the last complete hour
    private static final Instant NOW = E.plus(Duration.ofMinutes(10));     // settle delay just passed
    private static final long H = 3600;

    private final WatermarkPolicy planner = new WatermarkPolicy(Duration.ofMinutes(10), 3, Duration.ofDays(7));

    @Test
    void anHourIsCompleteOnceTheSettleDelayHasPassedAfterItsEnd() {
        assertThat(planner.completeUntil(NOW)).isEqualTo(E);
        assertThat(planner.completeUntil(NOW.minusMillis(1))).isEqualTo(E.minusSeconds(H));
        assertThat(planner.completeUntil(NOW.plus(Duration.ofMinutes(59)))).isEqualTo(E);
    }

    @Test
    void theProvisionalHoursAreThoseAfterTheLastCompleteOneUpToTheEndOfTheHourInProgress() {
        // 12:10: 11:00 is complete, 12:00 in progress
        assertThat(planner.provisionalWindow(NOW)).isEqualTo(new Window(E, E.plusSeconds(H)));
        // 12:05: 11:00 ended but has not settled, so it is provisional too
        assertThat(planner.provisionalWindow(E.plus(Duration.ofMinutes(5)))).isEqualTo(new Window(E.minusSeconds(H), E.plusSeconds(H)));
    }

    @Test
    void provisionalHoursNeverStartBeforeTheTenantsWatermark() {
        // a run evaluated at 12:10 for a tenant already written up to 13:00 (a run as of a past instant)
        assertThat(planner.provisionalWindow(NOW, E.plusSeconds(H))).isEqualTo(new Window(E.plusSeconds(H), E.plusSeconds(H)));
        assertThat(planner.provisionalWindow(NOW, E.plusSeconds(H)).isEmpty()).isTrue();
        assertThat(planner.provisionalWindow(E.plus(Duration.ofMinutes(5)), E)).isEqualTo(new Window(E, E.plusSeconds(H)));
        assertThat(planner.provisionalWindow(NOW, E.minusSeconds(H))).isEqualTo(new Window(E, E.plusSeconds(H)));
        assertThat(planner.provisionalWindow(NOW, null)).isEqualTo(new Window(E, E.plusSeconds(H)));
    }

    @Test
    void aProvisionalComputationMovesNoWatermarkAndIsNoFirstSighting() {
        Window current = new Window(E, E.plusSeconds(H));
        assertThat(WatermarkPolicy.advance(TenantPlan.provisional("t", current, NOW), current.end())).isEmpty();
        assertThat(WatermarkPolicy.advance(new TenantPlan("t", current, null, null), current.end())).contains(current.end());
    }

    @Test
    void aNewTenantStartsReprocessHoursBack() {
        assertThat(planner.plan("t", null, NOW)).isEqualTo(new TenantPlan("t", new Window(E.minusSeconds(3 * H), E), null, null));
    }

    @Test
    void aTenantUpToDateGetsTheLastHoursAgainAndTheNewOne() {
        Instant mark = E.minusSeconds(H);
        assertThat(planner.plan("t", mark, NOW).window()).isEqualTo(new Window(E.minusSeconds(3 * H), E));
    }

    @Test
    void afterAnOutageEveryHourSinceTheWatermarkIsProcessed() {
        Instant mark = E.minusSeconds(30 * H);
        assertThat(planner.plan("t", mark, NOW)).isEqualTo(new TenantPlan("t", new Window(mark, E), mark, null));
    }

    @Test
    void catchUpStopsAtMaxCatchUpAndNamesTheRest() {
        Instant mark = E.minus(Duration.ofDays(10));
        TenantPlan plan = planner.plan("t", mark, NOW);
        assertThat(plan.window()).isEqualTo(new Window(E.minus(Duration.ofDays(7)), E));
        assertThat(plan.notCaughtUp()).isEqualTo(new Window(mark, E.minus(Duration.ofDays(7))));
        assertThat(RunReport.backfillCommand(plan))
                .endsWith("backfill --from=2025-10-10T12:00:00Z --to=2025-10-13T12:00:00Z --tenant=t");
    }

    @Test
    void aWatermarkAheadOfTheClockStillReprocessesTheLastHours() {
        assertThat(planner.plan("t", E.plusSeconds(5 * H), NOW).window()).isEqualTo(new Window(E.minusSeconds(3 * H), E));
    }

    @Test
    void tenantsAreLookedForBackToTheOldestWatermarkWithinReach() {
        Map<String, Instant> marks = Map.of("a", E.minusSeconds(H), "b", E.minusSeconds(30 * H), "gone", E.minus(Duration.ofDays(40)));
        assertThat(planner.discoveryWindow(NOW, marks)).isEqualTo(new Window(E.minusSeconds(30 * H), E));
        assertThat(planner.discoveryWindow(NOW, Map.of())).isEqualTo(new Window(E.minusSeconds(3 * H), E));
    }

    // ---- advancing

    @Test
    void theWatermarkMovesOverTheChunksWrittenWithoutAGapFromTheStart() {
        Window w = new Window(E.minusSeconds(3 * H), E);
        List<Window> chunks = w.chunks(1);
        assertThat(WatermarkPolicy.writtenUntil(w, chunks, List.of(true, true, true))).isEqualTo(E);
        assertThat(WatermarkPolicy.writtenUntil(w, chunks, List.of(true, false, true))).isEqualTo(E.minusSeconds(2 * H));
        assertThat(WatermarkPolicy.writtenUntil(w, chunks, List.of(false, true, true))).isEqualTo(w.start());
    }

    @Test
    void aTenantThatWroteNothingKeepsItsWatermark() {
        TenantPlan plan = planner.plan("t", E.minusSeconds(H), NOW);
        assertThat(WatermarkPolicy.advance(plan, plan.window().start())).isEmpty();
    }

    @Test
    void aWatermarkNeverMovesBack() {
        TenantPlan plan = planner.plan("t", E.plusSeconds(5 * H), NOW); // ahead of the clock
        assertThat(WatermarkPolicy.advance(plan, E)).isEmpty();
        TenantPlan behind = planner.plan("t", E.minusSeconds(H), NOW);
        assertThat(WatermarkPolicy.advance(behind, E)).contains(E);
        assertThat(WatermarkPolicy.advance(behind, E.minusSeconds(2 * H))).isEmpty(); // wrote hours, but not past the mark
    }

    @Test
    void aNewTenantsWatermarkStartsAtItsFirstRunEvenWithoutHoursToCompute() {
        WatermarkPolicy noReprocessing = new WatermarkPolicy(Duration.ofMinutes(10), 0, Duration.ofDays(7));
        TenantPlan plan = noReprocessing.plan("t", null, NOW);
        assertThat(plan.window().isEmpty()).isTrue();
        assertThat(WatermarkPolicy.advance(plan, plan.window().start())).contains(E);
        TenantPlan known = noReprocessing.plan("t", E.minusSeconds(H), NOW);
        assertThat(WatermarkPolicy.advance(known, known.window().start())).isEmpty();
    }

    @Test
    void aNewTenantWhoseFirstRunFailsStartsItsWatermarkWhereItsHoursBegin() {
        TenantPlan plan = planner.plan("t", null, NOW);
        assertThat(WatermarkPolicy.advance(plan, plan.window().start())).contains(E.minusSeconds(3 * H));
        // so the next run, an hour later, catches up from there instead of starting afresh 3 hours back
        TenantPlan next = planner.plan("t", E.minusSeconds(3 * H), NOW.plusSeconds(H));
        assertThat(next.window()).isEqualTo(new Window(E.minusSeconds(3 * H), E.plusSeconds(H)));
    }
}
