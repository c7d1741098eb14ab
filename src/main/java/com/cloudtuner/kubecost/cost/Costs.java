package com.cloudtuner.kubecost.cost;

/** The money columns of one hour: {@code total} is the {@code cost} column. */
public record Costs(double total, double cpu, double ram, double pv, double network, double lb) {

    public static final Costs ZERO = new Costs(0, 0, 0, 0, 0, 0);

    public Costs plus(Costs o) {
        return new Costs(total + o.total, cpu + o.cpu, ram + o.ram, pv + o.pv, network + o.network, lb + o.lb);
    }

    public Costs minus(Costs o) {
        return new Costs(total - o.total, cpu - o.cpu, ram - o.ram, pv - o.pv, network - o.network, lb - o.lb);
    }

    /** The first column that is NaN or infinite, or null when all are finite. */
    public String firstNonFiniteColumn() {
        if (!Double.isFinite(total)) return "cost";
        if (!Double.isFinite(cpu)) return "cpu_cost";
        if (!Double.isFinite(ram)) return "ram_cost";
        if (!Double.isFinite(pv)) return "pv_cost";
        if (!Double.isFinite(network)) return "network_cost";
        if (!Double.isFinite(lb)) return "lb_cost";
        return null;
    }
}
