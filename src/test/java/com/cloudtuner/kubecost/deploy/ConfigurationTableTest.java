package com.cloudtuner.kubecost.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The configuration table (docs/configuration.md) and the code agree: every property in the table
 * is one the code reads (a component of a {@code @ConfigurationProperties} record, or a Spring Boot
 * property the logging configuration reads), every property the code reads is in the table, and
 * each row's environment variable is the one that sets its property.
 */
class ConfigurationTableTest {

    private static final Path CONFIGURATION = Path.of("docs/configuration.md");
    private static final Pattern PROPERTY = Pattern.compile("`([a-z][a-z0-9.-]*\\.[a-z0-9.-]+)`");
    private static final Pattern ENV = Pattern.compile("`([A-Z][A-Z0-9_]*)`");
    private static final Pattern SPRING_PROPERTY = Pattern.compile("<springProperty [^>]*source=\"([^\"]+)\"");

    @Test
    void everyDocumentedPropertyIsReadAndEveryReadPropertyIsDocumented() throws IOException {
        Set<String> documented = new TreeSet<>();
        for (Row row : rows()) {
            documented.addAll(row.properties);
        }
        Set<String> read = new TreeSet<>(EnvNamesTheCodeReads.scanBoundProperties());
        read.addAll(loggingProperties());
        assertThat(documented).as("properties in the configuration table of " + CONFIGURATION).isEqualTo(read);
    }

    @Test
    void eachRowsEnvironmentVariableSetsItsProperty() throws IOException {
        EnvNamesTheCodeReads code = EnvNamesTheCodeReads.of(Path.of("src/main/resources/application.properties"));
        for (Row row : rows()) {
            assertThat(row.envs).as(row.text).hasSameSizeAs(row.properties);
            for (int i = 0; i < row.envs.size(); i++) {
                String env = row.envs.get(i);
                String property = row.properties.get(i);
                String bound = code.boundProperty(env);
                boolean placeholder = applicationProperties().contains(property + "=${" + env + ":");
                assertThat(property.equals(bound) || placeholder || relaxed(property).equals(env))
                        .as(row.text + ": " + env + " sets " + property).isTrue();
            }
        }
    }

    /** Spring Boot's own rule for an environment variable: upper case, dots and dashes to underscores. */
    private static String relaxed(String property) {
        return property.toUpperCase().replace('.', '_').replace("-", "");
    }

    private record Row(String text, List<String> properties, List<String> envs) {
    }

    private static List<Row> rows() throws IOException {
        List<String> lines = Files.readAllLines(CONFIGURATION);
        int section = lines.indexOf("# Configuration");
        assertThat(section).as(CONFIGURATION + " has a '# Configuration' section").isNotNegative();
        int header = section + 1;
        while (!lines.get(header).startsWith("|")) {
            header++;
        }
        List<Row> rows = new ArrayList<>();
        for (int i = header + 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
            String[] cells = lines.get(i).split("\\|");
            rows.add(new Row(lines.get(i), all(PROPERTY, cells[1]), all(ENV, cells[2])));
        }
        assertThat(rows).as("rows of the configuration table").isNotEmpty();
        return rows;
    }

    private static Set<String> loggingProperties() throws IOException {
        return new TreeSet<>(all(SPRING_PROPERTY, Files.readString(Path.of("src/main/resources/logback-spring.xml"))));
    }

    private static String applicationProperties() throws IOException {
        return Files.readString(Path.of("src/main/resources/application.properties"));
    }

    private static List<String> all(Pattern p, String text) {
        List<String> found = new ArrayList<>();
        Matcher m = p.matcher(text);
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }
}
