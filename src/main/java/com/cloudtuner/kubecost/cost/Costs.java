package com.cloudtuner.kubecost.cost;

/** The money columns of one hour: {@code total} is the {@code cost} column. */
public record Costs(double total, double cpu, double ram, double pv, double network, double lb) {

    public static final Costs ZERO = new Costs(0, 0, 0, 0, 0, 0);

    /** A remainder this small relative to the larger of its two terms is floating-point rounding. */
    public static final double RESIDUE = 1e-9;

    public Costs plus(Costs o) {
        return new Costs(total + o.total, cpu + o.cpu, ram + o.ram, pv + o.pv, network + o.network, lb + o.lb);
    }

    /**
     * What is left of these (a cluster's) costs after {@code allocated} (its namespaces' sum), column by
     * column. A column left within {@link #RESIDUE} of its own size is 0: summing the namespaces'
     * means in binary floating point leaves residues such as {@code 0.3 - (0.1 + 0.2) = -5.6e-17},
     * which are rounding, not cost, and would show as a tiny negative cost in a bill.
     */
    public Costs remainderAfter(Costs allocated) {
        return new Costs(remainder(total, allocated.total), remainder(cpu, allocated.cpu), remainder(ram, allocated.ram),
                remainder(pv, allocated.pv), remainder(network, allocated.network), remainder(lb, allocated.lb));
    }

    private static double remainder(double whole, double allocated) {
        double left = whole - allocated;
        return Math.abs(left) <= RESIDUE * Math.max(Math.abs(whole), Math.abs(allocated)) ? 0 : left;
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
