package com.cloudtuner.kubecost.terminal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Whether stderr is an interactive terminal. Java 17 has no {@code isatty(2)}: {@code System.console()}
 * tells about stdin and stdout only (and from Java 22 it is non-null even when they are redirected).
 * On Linux, where the worker runs, {@code /proc/self/fd/2} names the device stderr is: a terminal is
 * {@code /dev/pts/N}, {@code /dev/ttyN} or {@code /dev/console}; a pipe, file or socket is anything else.
 * Elsewhere the console's answer is the best there is. {@code TERM=dumb} cannot redraw a line in place.
 */
public final class StderrTerminal {

    private static final Path STDERR_LINK = Path.of("/proc/self/fd/2");

    private StderrTerminal() {
    }

    public static boolean detected() {
        Optional<String> device;
        try {
            device = Optional.of(Files.readSymbolicLink(STDERR_LINK).toString());
        } catch (IOException | UnsupportedOperationException | SecurityException noProc) {
            device = Optional.empty();
        }
        return decide(device, System.console() != null, System.getenv());
    }

    /**
     * @param stderrDevice what {@code /proc/self/fd/2} links to, if it could be read
     * @param console      whether {@code System.console()} is non-null
     */
    static boolean decide(Optional<String> stderrDevice, boolean console, Map<String, String> env) {
        if ("dumb".equals(env.get("TERM"))) {
            return false;
        }
        return stderrDevice.map(StderrTerminal::isTerminalDevice).orElse(console);
    }

    static boolean isTerminalDevice(String path) {
        return path.matches("/dev/(pts/\\d+|tty\\w*|console)");
    }
}
