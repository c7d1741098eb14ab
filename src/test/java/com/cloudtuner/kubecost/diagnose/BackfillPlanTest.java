package com.cloudtuner.kubecost.diagnose;

import static org.assertj.core.api.Assertions.assertThat;

import com.cloudtuner.kubecost.cost.Window;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The fewest backfills that close the gaps found; each case's plan is worked out by hand in its name and arguments. */
class BackfillPlanTest {

    private static final Instant H0 = Instant.parse("2025-10-13T00:00:00Z");
    private static final Duration MONTH = Duration.ofDays(31);

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("no gap, no backfill", List.of(), 5, true, MONTH, List.of()),
                Arguments.of("one tenant's two clusters with the same hours: one backfill naming it",
                        List.of(gap("a", 0, 2), gap("a", 0, 2)), 5, true, MONTH, List.of(backfill(0, 2, "a"))),
                Arguments.of("overlapping ranges of a tenant join",
                        List.of(gap("a", 0, 3), gap("a", 2, 5)), 5, true, MONTH, List.of(backfill(0, 5, "a"))),
                Arguments.of("adjacent ranges of two tenants join into one span naming both",
                        List.of(gap("b", 2, 4), gap("a", 0, 2)), 10, true, MONTH, List.of(backfill(0, 4, "a", "b"))),
                Arguments.of("disjoint ranges stay apart",
                        List.of(gap("a", 5, 6), gap("a", 0, 2)), 5, true, MONTH, List.of(backfill(0, 2, "a"), backfill(5, 6, "a"))),
                Arguments.of("most tenants affected: one backfill for every tenant",
                        List.of(gap("a", 0, 24), gap("b", 0, 24), gap("c", 0, 24)), 4, true, MONTH, List.of(backfill(0, 24))),
                Arguments.of("half of the tenants is not most",
                        List.of(gap("a", 0, 1), gap("b", 0, 1)), 4, true, MONTH, List.of(backfill(0, 1, "a", "b"))),
                Arguments.of("tenants chosen with --tenant are named even when all of them are affected",
                        List.of(gap("a", 0, 1), gap("b", 0, 1), gap("c", 0, 1)), 3, false, MONTH, List.of(backfill(0, 1, "a", "b", "c"))),
                Arguments.of("a span longer than max-backfill is cut",
                        List.of(gap("a", 0, 50)), 5, true, Duration.ofHours(24),
                        List.of(backfill(0, 24, "a"), backfill(24, 48, "a"), backfill(48, 50, "a"))),
                Arguments.of("50 tenants x 2 clusters missing one day: one backfill", fiftyTenantsTwoClustersOneDay(), 50, true, MONTH,
                        List.of(backfill(24, 48))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void thePlanIsTheFewestBackfillsThatCloseEveryGap(String name, List<BackfillPlan.Gap> gaps, int examined, boolean examinedAreAll,
                                                      Duration maxSpan, List<BackfillPlan.Backfill> expected) {
        assertThat(BackfillPlan.of(gaps, examined, examinedAreAll, maxSpan)).containsExactlyElementsOf(expected);
    }

    private static List<BackfillPlan.Gap> fiftyTenantsTwoClustersOneDay() {
        List<BackfillPlan.Gap> gaps = new ArrayList<>();
        for (int t = 0; t < 50; t++) {
            for (int c = 0; c < 2; c++) {
                gaps.add(gap("tenant-" + t, 24, 48));
            }
        }
        return gaps;
    }

    private static BackfillPlan.Gap gap(String tenant, int fromHour, int toHour) {
        return new BackfillPlan.Gap(tenant, hours(fromHour, toHour));
    }

    private static BackfillPlan.Backfill backfill(int fromHour, int toHour, String... tenants) {
        return new BackfillPlan.Backfill(hours(fromHour, toHour), List.of(tenants));
    }

    private static Window hours(int from, int to) {
        return new Window(H0.plus(Duration.ofHours(from)), H0.plus(Duration.ofHours(to)));
    }
}
