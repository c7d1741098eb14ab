package com.cloudtuner.kubecost.cost;

/**
 * The exporter's series, named without the configurable prefix. Cost series are gauges in
 * currency per hour (or totals over the exporter's window, see {@link MetricMode}).
 */
public enum ExporterMetric {
    CLUSTER_TOTAL_COST("cluster_total_cost", Scope.CLUSTER, Quantity.COST),
    CLUSTER_CPU_COST("cluster_cpu_cost", Scope.CLUSTER, Quantity.CPU_COST),
    CLUSTER_RAM_COST("cluster_ram_cost", Scope.CLUSTER, Quantity.RAM_COST),
    CLUSTER_PV_COST("cluster_pv_cost", Scope.CLUSTER, Quantity.PV_COST),
    CLUSTER_NETWORK_COST("cluster_network_cost", Scope.CLUSTER, Quantity.NETWORK_COST),
    CLUSTER_LB_COST("cluster_lb_cost", Scope.CLUSTER, Quantity.LB_COST),
    CLUSTER_CPU_EFFICIENCY("cluster_cpu_efficiency", Scope.CLUSTER, Quantity.CPU_EFFICIENCY),
    CLUSTER_RAM_EFFICIENCY("cluster_ram_efficiency", Scope.CLUSTER, Quantity.RAM_EFFICIENCY),
    CLUSTER_TOTAL_EFFICIENCY("cluster_total_efficiency", Scope.CLUSTER, Quantity.TOTAL_EFFICIENCY),
    NAMESPACE_TOTAL_COST("namespace_total_cost", Scope.NAMESPACE, Quantity.COST),
    NAMESPACE_CPU_COST("namespace_cpu_cost", Scope.NAMESPACE, Quantity.CPU_COST),
    NAMESPACE_RAM_COST("namespace_ram_cost", Scope.NAMESPACE, Quantity.RAM_COST),
    NAMESPACE_PV_COST("namespace_pv_cost", Scope.NAMESPACE, Quantity.PV_COST),
    NAMESPACE_CPU_EFFICIENCY("namespace_cpu_efficiency", Scope.NAMESPACE, Quantity.CPU_EFFICIENCY),
    NAMESPACE_RAM_EFFICIENCY("namespace_ram_efficiency", Scope.NAMESPACE, Quantity.RAM_EFFICIENCY),
    NAMESPACE_TOTAL_EFFICIENCY("namespace_total_efficiency", Scope.NAMESPACE, Quantity.TOTAL_EFFICIENCY),
    EXPORTER_SCRAPE_SUCCESS("exporter_scrape_success", Scope.HEALTH, Quantity.SCRAPE_SUCCESS);

    public enum Scope { CLUSTER, NAMESPACE, HEALTH }

    private final String suffix;
    private final Scope scope;
    private final Quantity quantity;

    ExporterMetric(String suffix, Scope scope, Quantity quantity) {
        this.suffix = suffix;
        this.scope = scope;
        this.quantity = quantity;
    }

    public String metricName(String prefix) {
        return prefix + suffix;
    }

    public Scope scope() {
        return scope;
    }

    public Quantity quantity() {
        return quantity;
    }
}
