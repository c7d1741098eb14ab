package com.cloudtuner.kubecost.terminal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StatusLineTest {

    private final ByteArrayOutputStream screen = new ByteArrayOutputStream();
    private final StatusLine line = StatusLine.on(new PrintStream(screen, true, StandardCharsets.UTF_8), true);

    @Test
    void aLogLineWhileTheBarIsShownClearsItFirstAndDrawsItAgainBelow() {
        line.draw("[##..] 1/2");
        byte[] logLine = "12:00 INFO unit done\n".getBytes(StandardCharsets.UTF_8);
        assertThat(new String(line.aroundLogLine(logLine), StandardCharsets.UTF_8))
                .isEqualTo(StatusLine.CLEAR + "12:00 INFO unit done\n[##..] 1/2");
    }

    @Test
    void logLinesPassUnchangedWhenNoBarIsShown() {
        byte[] logLine = "a line\n".getBytes(StandardCharsets.UTF_8);
        assertThat(line.aroundLogLine(logLine)).isEqualTo(logLine);
        line.draw("bar");
        line.finish("bar done");
        assertThat(line.aroundLogLine(logLine)).as("after the bar ended").isEqualTo(logLine);
    }

    @Test
    void nothingIsDrawnWhenTheLogsAreJson() {
        line.logsAreStructured();
        line.draw("bar");
        line.finish("bar done");
        assertThat(screen.size()).isZero();
        assertThat(line.available()).isFalse();
    }

    @ParameterizedTest(name = "fd 2 -> {0}, console {1}, TERM={2}: {3}")
    @CsvSource(nullValues = "none", value = {
            "/dev/pts/3, false, xterm, true",
            "/dev/tty1, false, linux, true",
            "pipe:[12345], true, xterm, false",     // stdin+stdout a terminal, stderr piped: no bar
            "/tmp/kw.err, true, xterm, false",
            "socket:[99], false, xterm, false",
            "/dev/pts/3, true, dumb, false",       // cannot redraw a line in place
            "none, true, xterm, true",            // no /proc: the console's answer
            "none, false, xterm, false"})
    void stderrIsATerminalWhenItsDeviceIsOne(String device, boolean console, String term, boolean expected) {
        assertThat(StderrTerminal.decide(Optional.ofNullable(device), console, Map.of("TERM", term))).isEqualTo(expected);
    }
}
