package com.cloudtuner.kubecost.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** RELIABILITY.md names tests that exist: every `Class.method` in its matrix is a test method of that class. */
class ReliabilityMatrixTest {

    private static final Pattern TEST_REFERENCE = Pattern.compile("`([A-Z][A-Za-z0-9]*(?:Test|IT))\\.([a-zA-Z0-9_*]+)`");

    @Test
    void everyTestTheMatrixNamesExists() throws IOException {
        String matrix = Files.readString(Path.of("RELIABILITY.md"));
        List<String> missing = new ArrayList<>();
        int rows = 0;
        Matcher m = TEST_REFERENCE.matcher(matrix);
        while (m.find()) {
            rows++;
            String source = sourceOf(m.group(1));
            if (source == null) {
                missing.add(m.group(1) + " (no such test class)");
            } else if (!m.group(2).equals("*") && !Pattern.compile("void " + m.group(2) + "\\(").matcher(source).find()) {
                missing.add(m.group(1) + "." + m.group(2));
            }
        }
        assertThat(missing).as("tests RELIABILITY.md names").isEmpty();
        assertThat(rows).as("test references in the matrix").isGreaterThanOrEqualTo(30);
        assertThat(matrix.lines().filter(l -> l.matches("\\| \\d+ \\|.*"))).as("rows of the matrix").hasSizeGreaterThanOrEqualTo(30);
    }

    private static String sourceOf(String testClass) throws IOException {
        try (Stream<Path> files = Files.walk(Path.of("src/test/java"))) {
            Path file = files.filter(f -> f.getFileName().toString().equals(testClass + ".java")).findFirst().orElse(null);
            return file == null ? null : Files.readString(file);
        }
    }
}
