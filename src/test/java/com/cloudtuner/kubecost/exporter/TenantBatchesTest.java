package com.cloudtuner.kubecost.exporter;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TenantBatchesTest {

    @Test
    void aBatchHoldsAtMostMaxTenants() {
        assertThat(TenantBatches.cut(List.of("a", "b", "c", "d", "e"), Map.of(), 1000, 2))
                .containsExactly(List.of("a", "b"), List.of("c", "d"), List.of("e"));
    }

    @Test
    void aBatchHoldsAtMostMaxSeriesAndABiggerTenantIsAlone() {
        Map<String, Integer> series = Map.of("a", 40, "b", 50, "c", 20, "big", 500, "d", 5);
        assertThat(TenantBatches.cut(List.of("a", "b", "c", "big", "d"), series, 100, 10))
                .containsExactly(List.of("a", "b"), List.of("c"), List.of("big"), List.of("d"));
    }

    @Test
    void aTenantTheCensusDidNotSeeCountsAsOneSeries() {
        assertThat(TenantBatches.cut(List.of("a", "b", "c"), Map.of("a", 2), 3, 10)).containsExactly(List.of("a", "b"), List.of("c"));
    }
}
