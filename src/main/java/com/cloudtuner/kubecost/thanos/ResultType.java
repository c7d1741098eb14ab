package com.cloudtuner.kubecost.thanos;

/** The {@code resultType} of a query answer: what the request asks for decides which one is acceptable. */
public enum ResultType {
    /** Range queries, and instant queries of a range selector: series with {@code values}. */
    MATRIX("matrix", "values"),
    /** Instant queries of an instant vector: series with one {@code value}. */
    VECTOR("vector", "value");

    private final String wire;
    private final String pointsField;

    ResultType(String wire, String pointsField) {
        this.wire = wire;
        this.pointsField = pointsField;
    }

    String wire() {
        return wire;
    }

    String pointsField() {
        return pointsField;
    }
}
