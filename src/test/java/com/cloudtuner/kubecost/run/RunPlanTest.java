package com.cloudtuner.kubecost.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.cloudtuner.kubecost.cost.Window;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which days of k8s_expenses_daily a run's writes can change. */
class RunPlanTest {

    private static Window window(String start, String end) {
        return new Window(Instant.parse(start), Instant.parse(end));
    }

    private static RunPlan planOf(TenantPlan... plans) {
        Window any = plans[0].window();
        return new RunPlan(List.of(new TenantBatch(1, any, List.of(plans), List.of(any))), List.of());
    }

    @Test
    void aWindowEndingAtMidnightDoesNotReachTheNextDay() {
        RunPlan plan = planOf(new TenantPlan("a", window("2025-10-13T22:00:00Z", "2025-10-14T00:00:00Z"), null, null));

        assertThat(plan.daysOfCompleteHours()).containsExactly(LocalDate.parse("2025-10-13"));
    }

    @Test
    void theDaysOfEveryTenantsWindowOnceEach() {
        RunPlan plan = planOf(new TenantPlan("a", window("2025-10-13T22:00:00Z", "2025-10-15T01:00:00Z"), null, null),
                new TenantPlan("b", window("2025-10-14T05:00:00Z", "2025-10-14T06:00:00Z"), null, null),
                new TenantPlan("c", window("2025-10-20T00:00:00Z", "2025-10-20T00:00:00Z"), null, null));

        assertThat(plan.daysOfCompleteHours()).containsExactly(LocalDate.parse("2025-10-13"), LocalDate.parse("2025-10-14"),
                LocalDate.parse("2025-10-15"));
    }

    @Test
    void provisionalHoursAreNotInTheDailyRelation() {
        Window current = window("2025-10-14T10:00:00Z", "2025-10-14T11:00:00Z");
        RunPlan plan = planOf(TenantPlan.provisional("a", current, Instant.parse("2025-10-14T10:30:00Z")));

        assertThat(plan.daysOfCompleteHours()).isEmpty();
    }
}
