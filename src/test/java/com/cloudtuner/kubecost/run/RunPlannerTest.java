package com.cloudtuner.kubecost.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.cloudtuner.kubecost.config.WorkerProperties.ReadMode;
import com.cloudtuner.kubecost.cost.Window;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** What a run plans, with the exporter's tenants and the watermarks in memory. */
class RunPlannerTest {

    private static final Instant NOW = Instant.parse("2025-10-20T12:10:00Z");
    private static final Instant COMPLETE = Instant.parse("2025-10-20T12:00:00Z"); // 10 minutes to settle
    private static final long GB = 1L << 30;

    private final FakeExporterSource source = new FakeExporterSource();
    private final InMemoryPorts.InMemoryWatermarks watermarks = new InMemoryPorts.InMemoryWatermarks();

    RunPlannerTest() {
        for (String t : List.of("known", "new", "old")) {
            source.tenant(t, 1, COMPLETE.minus(Duration.ofDays(10)).toEpochMilli(), COMPLETE.toEpochMilli());
        }
        watermarks.marks.put("known", COMPLETE.minusSeconds(5 * 3600));
        watermarks.marks.put("old", COMPLETE.minus(Duration.ofDays(9)));
    }

    @Test
    void eachTenantGetsItsHoursFirstSightingsTheLastReprocessHoursAndNothingBeyondTheCatchUpLimit() {
        RunPlan plan = planner(HeapBudget.of(GB, 4, 2048)).plan("r", RunRequest.hourly(NOW, List.of()));

        assertThat(plan.plans()).extracting(TenantPlan::tenant, p -> p.window().toString()).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("known", new Window(COMPLETE.minusSeconds(5 * 3600), COMPLETE).toString()),
                org.assertj.core.groups.Tuple.tuple("new", new Window(COMPLETE.minusSeconds(3 * 3600), COMPLETE).toString()),
                org.assertj.core.groups.Tuple.tuple("old", new Window(COMPLETE.minus(Duration.ofDays(7)), COMPLETE).toString()));
        TenantPlan old = plan.plans().stream().filter(p -> p.tenant().equals("old")).findFirst().orElseThrow();
        assertThat(old.notCaughtUp()).isEqualTo(new Window(COMPLETE.minus(Duration.ofDays(9)), COMPLETE.minus(Duration.ofDays(7))));
        // one batch per window: tenants of one window are read together
        assertThat(plan.batches()).hasSize(3);
    }

    @Test
    void aSmallHeapCutsBatchesAndChunksSmaller() {
        Window day = new Window(COMPLETE.minus(Duration.ofDays(1)), COMPLETE);
        RunRequest backfill = RunRequest.backfill(day, List.of(), false, false);

        RunPlan roomy = planner(HeapBudget.of(GB, 4, 2048)).plan("r", backfill);
        // a unit may take 4 MB; at 1 MB per namespace series and hour, one tenant (1 series) fits 4 hours
        RunPlan tight = planner(HeapBudget.of(HeapBudget.PROGRAM_BYTES + (4L << 20), 1, 1L << 20)).plan("r", backfill);

        assertThat(roomy.batches()).singleElement().satisfies(b -> assertThat(b.chunks()).hasSize(1));
        assertThat(tight.batches()).hasSize(3).allSatisfy(b -> {
            assertThat(b.tenants()).hasSize(1);
            assertThat(b.chunks()).hasSize(6).allSatisfy(c -> assertThat(c.hours()).isEqualTo(4));
        });
    }

    @Test
    void theCurrentHourIsPlannedProvisionallyForEveryTenantWithDataInItNewOnesIncluded() {
        // live reports up to now; fresh appeared at 12:00, in the hour in progress
        source.tenant("live", 1, COMPLETE.minus(Duration.ofDays(1)).toEpochMilli(), NOW.toEpochMilli());
        source.tenant("fresh", 1, COMPLETE.toEpochMilli(), NOW.toEpochMilli());

        RunPlan plan = planner(HeapBudget.of(GB, 4, 2048)).plan("r", RunRequest.hourly(NOW, List.of(), true));

        Window current = new Window(COMPLETE, COMPLETE.plusSeconds(3600));
        assertThat(plan.plans()).filteredOn(TenantPlan::provisional)
                .extracting(TenantPlan::tenant, TenantPlan::window, TenantPlan::provisionalAsOf, TenantPlan::watermark)
                .containsExactlyInAnyOrder(tuple("live", current, NOW, null), tuple("fresh", current, NOW, null));
        // fresh has no complete hour yet: no final plan, so no first sighting before its first complete hour
        assertThat(plan.plans()).filteredOn(p -> !p.provisional()).extracting(TenantPlan::tenant)
                .containsExactlyInAnyOrder("known", "new", "old", "live");
        assertThat(plan.batches()).filteredOn(TenantBatch::provisional).singleElement()
                .satisfies(b -> assertThat(b.chunks()).containsExactly(current));
    }

    @Test
    void noProvisionalHoursBeforeATenantsWatermarkAndTheCompleteHoursTenantsStandInWhenDiscoveryFails() {
        source.tenant("live", 1, COMPLETE.minus(Duration.ofDays(1)).toEpochMilli(), NOW.toEpochMilli());
        source.tenant("fresh", 1, COMPLETE.toEpochMilli(), NOW.toEpochMilli());
        Window current = new Window(COMPLETE, COMPLETE.plusSeconds(3600));
        watermarks.marks.put("live", current.end()); // written up to 13:00 by a run as of a later instant
        source.discoveryFails = current;

        RunPlan plan = planner(HeapBudget.of(GB, 4, 2048)).plan("r", RunRequest.hourly(NOW, List.of(), true));

        // fresh is only in the hour in progress, whose discovery failed: it waits for the next run; live is final there
        assertThat(plan.plans()).filteredOn(TenantPlan::provisional).extracting(TenantPlan::tenant)
                .containsExactlyInAnyOrder("known", "new", "old");
    }

    @Test
    void provisionalBatchesHoldNoMoreSamplesThanOneRawReadMay() {
        source.tenant("live", 1, COMPLETE.minus(Duration.ofDays(1)).toEpochMilli(), NOW.toEpochMilli());
        source.tenant("fresh", 1, COMPLETE.toEpochMilli(), NOW.toEpochMilli());
        // one namespace series each: 8 series of all metrics x 240 scrapes of 15 s in the hour = 1,920 samples a tenant
        RunPlanner oneTenantAtATime = new RunPlanner(source, new TenantIds(Pattern.compile("[a-z]+")),
                new WatermarkPolicy(Duration.ofMinutes(10), 3, Duration.ofDays(7)), watermarks,
                new InMemoryPorts.InMemoryExpenseStore(), ReadMode.AGGREGATED,
                new RunPlanner.Limits(5000, 250, 24, 1920, 15_000, HeapBudget.of(GB, 4, 2048)));

        RunPlan plan = oneTenantAtATime.plan("r", RunRequest.hourly(NOW, List.of(), true));

        assertThat(plan.batches()).filteredOn(TenantBatch::provisional).hasSize(2)
                .allSatisfy(b -> assertThat(b.tenants()).hasSize(1));
    }

    @Test
    void withoutTheCurrentHourNothingIsProvisional() {
        source.tenant("fresh", 1, COMPLETE.toEpochMilli(), NOW.toEpochMilli());

        RunPlan plan = planner(HeapBudget.of(GB, 4, 2048)).plan("r", RunRequest.hourly(NOW, List.of()));

        assertThat(plan.plans()).noneMatch(TenantPlan::provisional).extracting(TenantPlan::tenant).doesNotContain("fresh");
    }

    @Test
    void threeShardsPlanEveryDiscoveredTenantOnceEachTheTenantsOfItsShard() {
        List<String> more = List.of("alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india");
        for (String t : more) {
            source.tenant(t, 1, COMPLETE.minus(Duration.ofDays(1)).toEpochMilli(), NOW.toEpochMilli());
        }
        RunPlanner planner = planner(HeapBudget.of(GB, 4, 2048));
        RunRequest request = RunRequest.hourly(NOW, List.of(), true); // the hour in progress is discovered and sharded too
        List<String> unsharded = planned(planner.plan("r", request), false);
        List<String> unshardedInProgress = planned(planner.plan("r", request), true);

        List<String> union = new ArrayList<>();
        List<String> unionInProgress = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Shard shard = new Shard(i, 3);
            RunPlan plan = planner.plan("r", request.inShard(shard));
            assertThat(planned(plan, false)).as("shard " + shard).isNotEmpty().allMatch(shard::owns);
            assertThat(planned(plan, true)).as("shard " + shard + ", the hour in progress").allMatch(shard::owns);
            union.addAll(planned(plan, false));
            unionInProgress.addAll(planned(plan, true));
        }
        assertThat(unsharded).hasSize(3 + more.size());
        assertThat(union).as("every tenant in exactly one shard").containsExactlyInAnyOrderElementsOf(unsharded);
        assertThat(unionInProgress).containsExactlyInAnyOrderElementsOf(unshardedInProgress).hasSize(more.size());
    }

    @Test
    void givenTenantsAreShardedTooAndAnInvalidIdIsReportedByItsOwnShardOnly() {
        List<String> given = List.of("known", "new", "old", "Not-Valid", "also/bad");
        RunPlanner planner = planner(HeapBudget.of(GB, 4, 2048));
        RunRequest request = RunRequest.backfill(new Window(COMPLETE.minusSeconds(7200), COMPLETE), given, false, false);

        List<String> union = new ArrayList<>();
        List<String> invalid = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Shard shard = new Shard(i, 3);
            RunPlan plan = planner.plan("r", request.inShard(shard));
            assertThat(planned(plan, false)).as("shard " + shard).allMatch(shard::owns);
            assertThat(plan.invalidTenants()).as("shard " + shard).allMatch(shard::owns);
            union.addAll(planned(plan, false));
            invalid.addAll(plan.invalidTenants());
        }
        assertThat(union).containsExactlyInAnyOrder("known", "new", "old");
        assertThat(invalid).containsExactlyInAnyOrder("Not-Valid", "also/bad");
    }

    /** The tenants the plan computes, once each: final hours, or the hours in progress. */
    private static List<String> planned(RunPlan plan, boolean provisional) {
        return plan.plans().stream().filter(p -> p.provisional() == provisional).map(TenantPlan::tenant).distinct().toList();
    }

    private RunPlanner planner(HeapBudget heap) {
        return new RunPlanner(source, new TenantIds(Pattern.compile("[a-z]+")), new WatermarkPolicy(Duration.ofMinutes(10), 3,
                Duration.ofDays(7)), watermarks, new InMemoryPorts.InMemoryExpenseStore(), ReadMode.AGGREGATED,
                new RunPlanner.Limits(5000, 250, 24, 4_000_000, 15_000, heap));
    }
}
