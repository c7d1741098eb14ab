package com.cloudtuner.kubecost.cost;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ResourceIdsTest {

    /** Expected ids computed with Python's uuid.uuid5, the derivation docs/tables.md documents. */
    @Test
    void matchesAnIndependentUuid5Implementation() {
        assertThat(ResourceIds.namespaceResourceId("acme", "prod", "payments"))
                .hasToString("7c95321c-3925-51d8-8834-c8193a4f6e4c");
        assertThat(ResourceIds.namespaceResourceId("tenant\"}x", "clus,ter", "__unallocated__"))
                .hasToString("c711c50b-5e08-5823-835f-a88404304517");
        assertThat(ResourceIds.namespaceResourceId("ü", "a:b", ""))
                .hasToString("273fb9e1-4c36-5c54-9d0a-7c832c706545");
    }

    @Test
    void valuesCannotBleedIntoEachOther() {
        assertThat(ResourceIds.namespaceResourceId("a,1:b", "c", "d"))
                .isNotEqualTo(ResourceIds.namespaceResourceId("a", "b", "c,1:d"));
    }
}
