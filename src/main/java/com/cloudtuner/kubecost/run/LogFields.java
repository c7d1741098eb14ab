package com.cloudtuner.kubecost.run;

import java.util.HashMap;
import java.util.Map;
import org.slf4j.MDC;
import org.springframework.core.task.TaskDecorator;

/**
 * What a log line is about, as fields of JSON logs (Spring Boot's structured formats write the
 * SLF4J MDC as fields): the run, and where it applies the batch, window and tenant. Counts go
 * with the line itself as key-value pairs. Text logs name them in the message, as before.
 */
public final class LogFields {

    public static final String RUN_ID = "run_id";
    static final String BATCH = "batch";
    static final String WINDOW = "window";
    static final String TENANT = "tenant";

    private LogFields() {
    }

    /** Sets fields for the lines logged on this thread until {@link Scope#close}, which restores what they were. */
    public static Scope with(String... namesAndValues) {
        Map<String, String> before = new HashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            before.put(namesAndValues[i], MDC.get(namesAndValues[i]));
            if (namesAndValues[i + 1] == null) {
                MDC.remove(namesAndValues[i]);
            } else {
                MDC.put(namesAndValues[i], namesAndValues[i + 1]);
            }
        }
        return new Scope(before);
    }

    /** The fields of the thread that hands a task over, on the thread that runs it (the job's unit workers). */
    static TaskDecorator carried() {
        return task -> {
            Map<String, String> fields = MDC.getCopyOfContextMap();
            return () -> {
                Map<String, String> before = MDC.getCopyOfContextMap();
                MDC.setContextMap(fields == null ? Map.of() : fields);
                try {
                    task.run();
                } finally {
                    MDC.setContextMap(before == null ? Map.of() : before);
                }
            };
        };
    }

    /** Fields set for a while. */
    public static final class Scope implements AutoCloseable {
        private final Map<String, String> before;

        private Scope(Map<String, String> before) {
            this.before = before;
        }

        @Override
        public void close() {
            before.forEach((name, value) -> {
                if (value == null) {
                    MDC.remove(name);
                } else {
                    MDC.put(name, value);
                }
            });
        }
    }
}
