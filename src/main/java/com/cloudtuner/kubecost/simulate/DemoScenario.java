package com.cloudtuner.kubecost.simulate;

import java.time.Instant;
import java.util.List;

/** The demo's data: per tenant a production cluster of 5 namespaces and a staging one of 3, scraped every 60 s. */
public final class DemoScenario {

    private DemoScenario() {
    }

    public static ExporterDataset generate(String prefix, List<String> tenants, Instant from, int hours, long seed) {
        return new ExporterSimulation(prefix, tenants, from, hours, seed, null).toDataset();
    }
}
