package com.cloudtuner.kubecost;

import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.springframework.boot.context.properties.bind.BindException;

/** One line that says which setting is wrong and why, from Spring's nested startup exceptions. */
final class ConfigErrors {

    private static final Pattern UNKNOWN_ENUM = Pattern.compile("No enum constant ([\\w.$]+)\\.[^.]*");

    private ConfigErrors() {
    }

    private static String choices(String enumClass) {
        try {
            return Arrays.stream(Class.forName(enumClass).getEnumConstants())
                    .map(c -> c.toString().toLowerCase()).collect(Collectors.joining(", "));
        } catch (ClassNotFoundException e) {
            return "the documented values";
        }
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
        Matcher enumValue = UNKNOWN_ENUM.matcher(message);
        if (enumValue.matches()) {
            message = "must be one of " + choices(enumValue.group(1));
        }
        if (property == null || message.matches("^(worker|thanos|clickhouse)\\.[a-z.-]+ .*")) {
            return message;
        }
        return property + ": " + message;
    }
}
