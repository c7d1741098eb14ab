package com.cloudtuner.kubecost;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The command's own stderr lines (failures, the dry run's summary) when the logs are JSON: each
 * line becomes a log event, so that every line of stderr is one JSON object carrying the run's
 * fields (the SLF4J MDC of the thread that prints). With text logs stderr is left as it is.
 */
final class StderrLines extends OutputStream {

    /** The logger the lines are events of, named as the lines are prefixed. */
    private static final Logger log = LoggerFactory.getLogger("kubecost-worker");
    private static final String PREFIX = "kubecost-worker: ";

    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    private StderrLines() {
    }

    /** @param structuredFormat {@code logging.structured.format.console}; blank for text logs */
    static PrintStream forLogs(String structuredFormat, PrintStream err) {
        return structuredFormat == null || structuredFormat.isBlank() ? err
                : new PrintStream(new StderrLines(), true, StandardCharsets.UTF_8);
    }

    @Override
    public synchronized void write(int b) {
        if (b == '\n') {
            String text = line.toString(StandardCharsets.UTF_8).stripTrailing();
            line.reset();
            if (text.startsWith(PREFIX)) { // the command's failure lines
                log.error(text.substring(PREFIX.length()));
            } else if (!text.isBlank()) {
                log.info(text);
            }
        } else {
            line.write(b);
        }
    }
}
