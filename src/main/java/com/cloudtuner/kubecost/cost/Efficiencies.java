package com.cloudtuner.kubecost.cost;

/** Mean efficiencies of one hour; a null member means the hour had no valid sample of it. */
public record Efficiencies(Double cpu, Double ram, Double total) {

    public static final Efficiencies NONE = new Efficiencies(null, null, null);

    /** The first member that is NaN or infinite, or null when all are null or finite. */
    public String firstNonFiniteColumn() {
        if (cpu != null && !Double.isFinite(cpu)) return "cpu_efficiency";
        if (ram != null && !Double.isFinite(ram)) return "ram_efficiency";
        if (total != null && !Double.isFinite(total)) return "total_efficiency";
        return null;
    }
}
