package com.cloudtuner.kubecost.cost;

/** What an exporter series measures; each maps to one column of a cost row. */
public enum Quantity {
    COST, CPU_COST, RAM_COST, PV_COST, NETWORK_COST, LB_COST,
    CPU_EFFICIENCY, RAM_EFFICIENCY, TOTAL_EFFICIENCY,
    SCRAPE_SUCCESS;

    public boolean isCost() {
        return ordinal() <= LB_COST.ordinal();
    }
}
