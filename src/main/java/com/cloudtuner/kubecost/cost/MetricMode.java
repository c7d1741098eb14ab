package com.cloudtuner.kubecost.cost;

/** How the exporter's cost values are expressed. */
public enum MetricMode {
    /** Each sample is a rate in currency per hour. */
    RATE,
    /** Each sample is the total cost over the exporter's window; divided by the window's hours to get a rate. */
    TOTAL
}
