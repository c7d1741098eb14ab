package com.cloudtuner.kubecost;

import org.springframework.boot.context.properties.bind.BindException;

/** One line that says which setting is wrong and why, from Spring's nested startup exceptions. */
final class ConfigErrors {

    private ConfigErrors() {
    }

    static String describe(Throwable e) {
        String property = null;
        Throwable root = e;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException be && be.getProperty() != null) {
                property = be.getProperty().getName().toString() + "='" + be.getProperty().getValue() + "'";
            } else if (t instanceof BindException be && property == null) {
                property = be.getName().toString();
            }
            root = t;
        }
        String message = root.getMessage() == null ? root.toString() : root.getMessage().strip().lines().findFirst().orElse("");
        if (property == null || message.matches("^(worker|thanos|clickhouse)\\.[a-z.-]+ .*")) {
            return message;
        }
        return property + ": " + message;
    }
}
