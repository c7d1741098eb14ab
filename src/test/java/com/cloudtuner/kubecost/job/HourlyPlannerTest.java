package com.cloudtuner.kubecost.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HourlyPlannerTest {

    private static final Instant E = Instant.parse("2025-10-20T12:00:00Z"); // end of the last complete hour
    private static final Instant NOW = E.plus(Duration.ofMinutes(10));     // settle delay just passed
    private static final long H = 3600;

    private final HourlyPlanner planner = new HourlyPlanner(Duration.ofMinutes(10), 3, Duration.ofDays(7));

    @Test
    void anHourIsCompleteOnceTheSettleDelayHasPassedAfterItsEnd() {
        assertThat(planner.completeUntil(NOW)).isEqualTo(E);
        assertThat(planner.completeUntil(NOW.minusMillis(1))).isEqualTo(E.minusSeconds(H));
        assertThat(planner.completeUntil(NOW.plus(Duration.ofMinutes(59)))).isEqualTo(E);
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
}
