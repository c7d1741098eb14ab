package com.cloudtuner.kubecost.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.cloudtuner.kubecost.cost.ClusterHour;
import com.cloudtuner.kubecost.cost.CostResult;
import com.cloudtuner.kubecost.cost.CostRow;
import com.cloudtuner.kubecost.cost.Costs;
import com.cloudtuner.kubecost.cost.Efficiencies;
import com.cloudtuner.kubecost.cost.Window;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a write changes, decided without ClickHouse: the stored state is given, the plan is inspected. */
class WritePlanTest {

    private static final Instant H0 = Instant.parse("2025-10-13T10:00:00Z");
    private static final Instant H1 = H0.plusSeconds(3600);
    private static final Window WINDOW = new Window(H0, H0.plusSeconds(7200));
    private static final Instant NOW = Instant.parse("2025-10-14T00:00:00.123456Z");
    private static final long NOW_MICROS = 1_760_400_000_123_456L;

    @Test
    void intoAnEmptyTableEveryRowIsInsertedAtTheCurrentTimeInMicroseconds() {
        CostResult fresh = result(row("a", "c", "x", H0, 1), row("a", "c", "y", H1, 2), row("b", "c", "x", H0, 3));
        WritePlan plan = WritePlan.of(List.of("a", "b"), WINDOW, fresh, StoredRows.NOTHING, WriteKind.FINAL, NOW);

        assertThat(plan.version()).isEqualTo(NOW_MICROS);
        assertThat(plan.expenses()).extracting(r -> r.key().namespace(), ExpenseRecord::deleted, ExpenseRecord::version,
                ExpenseRecord::computedAt).containsOnly(tuple("x", false, NOW_MICROS, NOW.truncatedTo(java.time.temporal.ChronoUnit.SECONDS)),
                tuple("y", false, NOW_MICROS, NOW.truncatedTo(java.time.temporal.ChronoUnit.SECONDS))).hasSize(3);
        assertThat(plan.perTenant()).containsEntry("a", new WriteResult(2, 2, 0)).containsEntry("b", new WriteResult(1, 1, 0));
    }

    @Test
    void rowsEqualToWhatIsStoredAreLeftAloneAndChangedOnesGetALargerVersion() {
        long storedVersion = NOW_MICROS + 500; // a clock that went backwards must not lose to the stored rows
        StoredRows stored = new StoredRows(List.of(
                stored(row("a", "c", "x", H0, 1), false, storedVersion),
                stored(row("a", "c", "y", H0, 2), false, storedVersion - 7)), List.of());
        // x says the same (one ulp off, as 18.16 may parse it); y changed
        CostResult fresh = result(row("a", "c", "x", H0, Math.nextUp(1.0)), row("a", "c", "y", H0, 2.5));

        WritePlan plan = WritePlan.of(List.of("a"), WINDOW, fresh, stored, WriteKind.FINAL, NOW);

        assertThat(plan.version()).isEqualTo(storedVersion + 1);
        assertThat(plan.expenses()).singleElement().satisfies(r -> {
            assertThat(r.key().namespace()).isEqualTo("y");
            assertThat(r.figures().costs().total()).isEqualTo(2.5);
            assertThat(r.version()).isEqualTo(storedVersion + 1);
        });
        assertThat(plan.perTenant().get("a")).isEqualTo(new WriteResult(2, 1, 0));
    }

    @Test
    void aStoredRowTheFreshRowsLackIsTombstonedOnlyWhereTheFreshRowsCoverItsClusterHour() {
        StoredRows stored = new StoredRows(List.of(
                stored(row("a", "c", "gone", H0, 4), false, 1),     // c at H0 is covered: tombstone
                stored(row("a", "c", "kept", H1, 4), false, 1),     // c at H1 has no fresh rows: history stays
                stored(row("a", "d", "kept", H0, 4), false, 1),     // another cluster: stays
                stored(row("a", "c", "dead", H0, 4), true, 1)),     // already a tombstone: nothing to do
                List.of(stored(cluster("a", "c", H0), false, 1), stored(cluster("a", "c", H1), false, 1)));

        WritePlan plan = WritePlan.of(List.of("a"), WINDOW, result(row("a", "c", "x", H0, 1)), stored, WriteKind.FINAL, NOW);

        assertThat(plan.expenses()).extracting(r -> r.key().namespace(), ExpenseRecord::deleted)
                .containsExactlyInAnyOrder(tuple("x", false), tuple("gone", true));
        ExpenseRecord tombstone = plan.expenses().stream().filter(ExpenseRecord::deleted).findFirst().orElseThrow();
        assertThat(tombstone.figures().costs().total()).isEqualTo(4.0); // the stored values, marked deleted
        assertThat(tombstone.resourceId()).isEqualTo(stored.expenses().get(0).resourceId());
        // the cluster table follows the same covered cluster-hours
        assertThat(plan.clusters()).extracting(ExpenseRecord::hour, ExpenseRecord::deleted).containsExactly(tuple(H0, true));
        assertThat(plan.perTenant().get("a")).isEqualTo(new WriteResult(1, 1, 1));
    }

    @Test
    void eraseMissingTombstonesEveryStoredRowTheFreshRowsLack() {
        StoredRows stored = new StoredRows(List.of(stored(row("a", "c", "x", H1, 4), false, 1),
                stored(row("a", "d", "y", H0, 4), false, 1)), List.of(stored(cluster("a", "d", H0), false, 1)));

        WritePlan plan = WritePlan.of(List.of("a"), WINDOW, CostResult.EMPTY, stored, WriteKind.ERASING, NOW);

        assertThat(plan.expenses()).extracting(ExpenseRecord::deleted).containsExactly(true, true);
        assertThat(plan.clusters()).extracting(ExpenseRecord::deleted).containsExactly(true);
        assertThat(plan.perTenant().get("a")).isEqualTo(new WriteResult(0, 0, 2));
    }

    @Test
    void aTombstonedKeyThatHasDataAgainIsWrittenAgain() {
        StoredRows stored = new StoredRows(List.of(stored(row("a", "c", "x", H0, 1), true, 9)), List.of());
        WritePlan plan = WritePlan.of(List.of("a"), WINDOW, result(row("a", "c", "x", H0, 1)), stored, WriteKind.FINAL, NOW);
        assertThat(plan.expenses()).singleElement().satisfies(r -> assertThat(r.deleted()).isFalse());
        assertThat(plan.perTenant().get("a").changed()).isEqualTo(1);
    }

    @Test
    void tenantsOfOneBatchAreCountedApart() {
        StoredRows stored = new StoredRows(List.of(stored(row("b", "c", "old", H0, 1), false, 1)), List.of());
        CostResult fresh = result(row("a", "c", "x", H0, 1), row("b", "c", "x", H0, 1));
        WritePlan plan = WritePlan.of(List.of("a", "b", "c"), WINDOW, fresh, stored, WriteKind.FINAL, NOW);
        assertThat(plan.perTenant()).containsEntry("a", new WriteResult(1, 1, 0)).containsEntry("b", new WriteResult(1, 1, 1))
                .containsEntry("c", WriteResult.NOTHING);
    }

    @Test
    void rowsOutsideTheBatchOrTheWindowAndNonFiniteValuesAreRefused() {
        assertThatThrownBy(() -> WritePlan.of(List.of("a"), WINDOW, result(row("b", "c", "x", H0, 1)), StoredRows.NOTHING, WriteKind.FINAL, NOW))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tenant b");
        assertThatThrownBy(() -> WritePlan.of(List.of("a"), WINDOW, result(row("a", "c", "x", WINDOW.end(), 1)),
                StoredRows.NOTHING, WriteKind.FINAL, NOW)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outside");
        assertThatThrownBy(() -> WritePlan.of(List.of("a"), WINDOW, result(row("a", "c", "x", H0, Double.NaN)),
                StoredRows.NOTHING, WriteKind.FINAL, NOW)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a finite value");
    }

    // ---- refused cluster-hours, insert order

    @Test
    void aRefusedClusterHourKeepsItsStoredRowsEvenWhenErasing() {
        StoredRows stored = new StoredRows(List.of(stored(row("a", "c", "x", H0, 1), false, 5),
                stored(row("a", "c", "x", H1, 1), false, 5)), List.of(stored(cluster("a", "c", H0), false, 5)));
        CostResult fresh = new CostResult(List.of(), List.of(), java.util.Map.of(),
                java.util.Map.of(new com.cloudtuner.kubecost.cost.ClusterHourKey("a", "c", H0), "two currencies"));

        WritePlan plan = WritePlan.of(List.of("a"), WINDOW, fresh, stored, WriteKind.ERASING, NOW);

        assertThat(plan.expenses()).extracting(ExpenseRecord::hour, ExpenseRecord::deleted)
                .containsExactly(tuple(H1, true)); // H0 refused: kept; H1: erased
        assertThat(plan.clusters()).isEmpty();
    }

    @Test
    void insertsComeClusterHourByClusterHourAndAreSplitOnlyBetweenThem() {
        CostResult fresh = result(row("a", "c", "z", H0, 1), row("a", "c", "y", H1, 1), row("a", "c", "x", H0, 1),
                row("a", "c", "x", H1, 1), row("a", "c", "w", H0, 1));
        WritePlan plan = WritePlan.of(List.of("a"), WINDOW, fresh, StoredRows.NOTHING, WriteKind.FINAL, NOW);
        assertThat(plan.expenses()).extracting(ExpenseRecord::hour, r -> r.key().namespace()).containsExactly(
                tuple(H0, "w"), tuple(H0, "x"), tuple(H0, "z"),
                tuple(H1, "x"), tuple(H1, "y"));
        // at most 2 rows an insert: H0's three go whole, then H1's two
        assertThat(ClickHouseExpenseStore.byClusterHours(plan.expenses(), 2)).extracting(List::size).containsExactly(3, 2);
        // at most 4: H0's three, then H1's two (three and two would not fit in four together)
        assertThat(ClickHouseExpenseStore.byClusterHours(plan.expenses(), 4)).extracting(List::size).containsExactly(3, 2);
        assertThat(ClickHouseExpenseStore.byClusterHours(plan.expenses(), 5)).extracting(List::size).containsExactly(5);
    }

    // ---- provisional rows (the hour in progress)

    @Test
    void theFinalWriteReplacesAProvisionalRowEvenWithEqualFigures() {
        StoredRows stored = new StoredRows(List.of(provisional(row("a", "c", "x", H0, 1), NOW_MICROS - 10)), List.of());

        WritePlan plan = WritePlan.of(List.of("a"), WINDOW, result(row("a", "c", "x", H0, 1)), stored, WriteKind.FINAL, NOW);

        assertThat(plan.expenses()).extracting(r -> r.key().namespace(), ExpenseRecord::deleted, ExpenseRecord::provisional,
                ExpenseRecord::version).containsExactly(tuple("x", false, false, NOW_MICROS));
        assertThat(plan.perTenant().get("a")).isEqualTo(new WriteResult(1, 1, 0));
    }

    @Test
    void theFinalWriteTombstonesEveryProvisionalRowItHasNoRowForWhateverEraseMissingSays() {
        // y vanished from its cluster-hour; cluster d has no data at all in the final hour; cluster e
        // is refused in it: each provisional row goes, as it was never final
        StoredRows stored = new StoredRows(List.of(
                provisional(row("a", "c", "y", H0, 2), 5),
                provisional(row("a", "d", "x", H0, 3), 5),
                provisional(row("a", "e", "x", H0, 4), 5),
                stored(row("a", "f", "x", H0, 6), false, 5)), List.of());
        CostResult fresh = new CostResult(List.of(row("a", "c", "x", H0, 1)), List.of(), java.util.Map.of(),
                java.util.Map.of(new com.cloudtuner.kubecost.cost.ClusterHourKey("a", "e", H0), "two currencies"));

        WritePlan plan = WritePlan.of(List.of("a"), WINDOW, fresh, stored, WriteKind.FINAL, NOW);

        assertThat(plan.expenses()).extracting(r -> r.key().cluster() + "/" + r.key().namespace(), ExpenseRecord::deleted,
                ExpenseRecord::provisional).containsExactlyInAnyOrder(
                tuple("c/x", false, false), tuple("c/y", true, true), tuple("d/x", true, true), tuple("e/x", true, true));
        assertThat(plan.perTenant().get("a")).isEqualTo(new WriteResult(1, 1, 3)); // the final row of f stays
    }

    @Test
    void aProvisionalWriteNeverReplacesAFinalRow() {
        StoredRows stored = new StoredRows(List.of(stored(row("a", "c", "x", H0, 1), false, 5)), List.of());

        WritePlan plan = WritePlan.of(List.of("a"), WINDOW, result(row("a", "c", "x", H0, 0.5), row("a", "c", "y", H0, 2)),
                stored, WriteKind.provisional(NOW.truncatedTo(java.time.temporal.ChronoUnit.SECONDS)), NOW);

        assertThat(plan.expenses()).extracting(r -> r.key().namespace(), ExpenseRecord::deleted, ExpenseRecord::provisional)
                .containsExactly(tuple("y", false, true));
    }

    @Test
    void aProvisionalWriteReplacesOlderProvisionalRowsAndTombstonesTheVanishedOnes() {
        StoredRows stored = new StoredRows(List.of(
                provisional(row("a", "c", "x", H0, 1), 5),
                provisional(row("a", "c", "y", H0, 2), 5),
                stored(row("a", "c", "z", H1, 3), false, 5)), List.of());

        Instant asOf = Instant.parse("2025-10-13T10:30:00Z");
        WritePlan plan = WritePlan.of(List.of("a"), WINDOW, result(row("a", "c", "x", H0, 1.5)), stored, WriteKind.provisional(asOf), NOW);

        assertThat(plan.expenses()).extracting(r -> r.key().namespace(), ExpenseRecord::deleted, ExpenseRecord::provisional)
                .containsExactlyInAnyOrder(tuple("x", false, true), tuple("y", true, true));
        // computed_at is the instant the rows were computed as of, so that explain computes them again alike
        assertThat(plan.expenses()).extracting(ExpenseRecord::computedAt).containsOnly(asOf);
        assertThat(plan.perTenant().get("a")).isEqualTo(new WriteResult(1, 1, 1));
    }

    // ---- helpers

    private static ExpenseRecord provisional(CostRow r, long version) {
        return ExpenseRecord.of(r).provisional(true).versioned(false, version, Instant.ofEpochSecond(1));
    }

    private static CostRow row(String tenant, String cluster, String namespace, Instant hour, double cost) {
        return new CostRow(tenant, cluster, namespace, hour, "USD", new Costs(cost, cost / 2, 0, 0, 0, 0),
                new Efficiencies(0.5, null, null), 1.0);
    }

    private static ClusterHour cluster(String tenant, String cluster, Instant hour) {
        return new ClusterHour(tenant, cluster, hour, "USD", new Costs(9, 4, 0, 0, 0, 0), Efficiencies.NONE, 1.0);
    }

    private static CostResult result(CostRow... rows) {
        List<ClusterHour> clusters = new ArrayList<>();
        return new CostResult(List.of(rows), clusters);
    }

    private static ExpenseRecord stored(CostRow r, boolean deleted, long version) {
        return ExpenseRecord.of(r).versioned(deleted, version, Instant.ofEpochSecond(1));
    }

    private static ExpenseRecord stored(ClusterHour c, boolean deleted, long version) {
        return ExpenseRecord.of(c).versioned(deleted, version, Instant.ofEpochSecond(1));
    }
}
