package com.cloudtuner.kubecost.terminal;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * One line at the bottom of stderr redrawn in place (a progress bar), kept apart from the log lines
 * that share stderr: the log encoder passes every text line through {@link #aroundLogLine}, which
 * clears the drawn line first and draws it again below the log line. There is one stderr per
 * process, hence one instance, {@link #STDERR}; it draws nothing unless stderr is a terminal and
 * the logs are text (a bar in JSON logs would corrupt them).
 */
public final class StatusLine {

    /** Return to the line's start and clear it (ANSI erase-in-line), as every terminal since the VT100 does. */
    public static final String CLEAR = "\r\u001b[K";

    public static final StatusLine STDERR = new StatusLine(null, StderrTerminal.detected());

    private final PrintStream fixedOut;
    private final boolean terminal;
    private volatile boolean structuredLogs;
    private String shown;

    /** @param out where to draw; null for the process's current {@code System.err} */
    StatusLine(PrintStream out, boolean terminal) {
        this.fixedOut = out;
        this.terminal = terminal;
    }

    /** A line drawn on {@code out}, as if it were a terminal or not (tests). */
    public static StatusLine on(PrintStream out, boolean terminal) {
        return new StatusLine(out, terminal);
    }

    /** Called by the log encoder when the logs are JSON: no line may then be drawn between them. */
    public void logsAreStructured() {
        structuredLogs = true;
    }

    /** Whether a line can be drawn at all: stderr is a terminal and the logs are text. */
    public boolean available() {
        return terminal && !structuredLogs;
    }

    /** Draws the line in place of the one shown; ignored when not {@link #available}. */
    public synchronized void draw(String text) {
        if (!available()) {
            return;
        }
        shown = text;
        out().print(CLEAR + text);
        out().flush();
    }

    /** Draws the line one last time and ends it, so that what follows starts on a line of its own. */
    public synchronized void finish(String text) {
        if (!available()) {
            return;
        }
        shown = null;
        out().print(CLEAR + text + System.lineSeparator());
        out().flush();
    }

    /** The bytes a log line is written as: the drawn line cleared before it and drawn again after it. */
    public synchronized byte[] aroundLogLine(byte[] logLine) {
        if (shown == null) {
            return logLine;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(logLine.length + shown.length() + 8);
        bytes.writeBytes(CLEAR.getBytes(StandardCharsets.UTF_8));
        bytes.writeBytes(logLine);
        bytes.writeBytes(shown.getBytes(StandardCharsets.UTF_8));
        return bytes.toByteArray();
    }

    private PrintStream out() {
        return fixedOut != null ? fixedOut : System.err;
    }
}
