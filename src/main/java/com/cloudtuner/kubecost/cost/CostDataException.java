package com.cloudtuner.kubecost.cost;

/** The exporter's data contradict themselves in a way no rule resolves; the window is not written. */
public class CostDataException extends RuntimeException {
    public CostDataException(String message) {
        super(message);
    }
}
