package com.cloudtuner.kubecost.testing;

import com.cloudtuner.kubecost.simulate.ExporterDataset;

/** A server answering the Prometheus query API that Thanos Query serves, holding what a test loaded. */
public interface MetricsStore extends AutoCloseable {

    /** Adds the dataset's samples to what the store holds. */
    void load(ExporterDataset data);

    String url();

    /** The engine, for test names: "Prometheus 2.42", "VictoriaMetrics". */
    String engine();

    @Override
    void close();
}
