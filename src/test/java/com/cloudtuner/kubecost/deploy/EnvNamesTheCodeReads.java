package com.cloudtuner.kubecost.deploy;

import com.cloudtuner.kubecost.config.KnownSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Which environment variables the worker reads, derived from the code rather than from a list kept
 * by hand: a variable is read when application.properties names it in a {@code ${NAME:default}}
 * placeholder, or when Spring Boot's relaxed binding maps it onto a property of one of the
 * {@code @ConfigurationProperties} records (THANOS_TIMEOUT onto thanos.timeout) or onto a property
 * logback-spring.xml reads ({@code <springProperty source=...>}). The mapping is
 * Spring Boot's own, asked through a system-environment property source, not re-implemented here.
 */
final class EnvNamesTheCodeReads {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*):");
    private static final Pattern SPRING_PROPERTY = Pattern.compile("<springProperty [^>]*source=\"([^\"]+)\"");

    private final Set<String> placeholders;
    private final Set<String> boundProperties;

    private EnvNamesTheCodeReads(Set<String> placeholders, Set<String> boundProperties) {
        this.placeholders = placeholders;
        this.boundProperties = boundProperties;
    }

    static EnvNamesTheCodeReads of(Path applicationProperties) {
        Set<String> placeholders = new TreeSet<>();
        Set<String> bound = scanBoundProperties();
        try {
            Matcher m = PLACEHOLDER.matcher(Files.readString(applicationProperties));
            while (m.find()) {
                placeholders.add(m.group(1));
            }
            Path logback = applicationProperties.resolveSibling("logback-spring.xml");
            if (Files.exists(logback)) {
                Matcher p = SPRING_PROPERTY.matcher(Files.readString(logback));
                while (p.find()) {
                    bound.add(p.group(1)); // e.g. logging.structured.format.console, set by LOGGING_STRUCTURED_FORMAT_CONSOLE
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new EnvNamesTheCodeReads(placeholders, bound);
    }

    /** The canonical names of every property the {@code @ConfigurationProperties} records bind, e.g. worker.exporter.metric-mode. */
    static Set<String> scanBoundProperties() {
        return new TreeSet<>(KnownSettings.scan().names()); // the worker's own list, which its start-up check uses
    }

    Set<String> placeholders() {
        return placeholders;
    }

    Set<String> boundProperties() {
        return boundProperties;
    }

    /** Whether the worker reads an environment variable of this name. */
    boolean reads(String envName) {
        return placeholders.contains(envName) || boundProperty(envName) != null;
    }

    /** The bound property an environment variable sets through relaxed binding, or null. */
    String boundProperty(String envName) {
        // Spring Boot applies its environment-variable mapping only to a source of this name.
        SystemEnvironmentPropertySource env = new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, Map.of(envName, "value"));
        ConfigurationPropertySource source = ConfigurationPropertySource.from(env);
        return boundProperties.stream()
                .filter(p -> source.getConfigurationProperty(ConfigurationPropertyName.of(p)) != null)
                .findFirst().orElse(null);
    }
}
