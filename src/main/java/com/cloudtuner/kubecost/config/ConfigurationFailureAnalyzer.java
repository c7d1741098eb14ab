package com.cloudtuner.kubecost.config;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.springframework.beans.BeanInstantiationException;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.origin.Origin;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.convert.ConversionFailedException;
import org.springframework.core.convert.ConverterNotFoundException;
import org.springframework.util.ClassUtils;
import org.springframework.util.unit.DataSize;

/**
 * A setting that cannot be bound, in one line: which setting, where it was given and what is wrong
 * with it, read from the binder's exception rather than from its message, and never the value
 * given, which may be a secret (a URL without a scheme is shown without its user information, with
 * the scheme it lacks). Registered in {@code META-INF/spring.factories} ahead of Spring
 * Boot's own analyzers; the application prints {@link #describe} as its one line before exit code 2.
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
public class ConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<BindException> {

    private static final Map<Class<?>, String> LOOKS_LIKE = Map.of(
            Integer.class, "a whole number from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE,
            Long.class, "a whole number from " + Long.MIN_VALUE + " to " + Long.MAX_VALUE,
            Boolean.class, "true or false",
            Duration.class, "a duration such as 30s, 5m or 1h",
            DataSize.class, "a data size such as 512KB or 2MB",
            URI.class, "a URL such as http://host:port");

    /**
     * The one line for a failed start: the analysis of a setting that could not be bound, else the
     * innermost cause's message, where a bean refusing a combination of settings says what is wrong
     * ({@code thanos.url must be an https URL when thanos.ca-file ... is set}).
     */
    public static String describe(Throwable failure) {
        FailureAnalysis analysis = new ConfigurationFailureAnalyzer().analyze(failure);
        return analysis != null ? analysis.getDescription() : firstLine(NestedExceptionUtils.getMostSpecificCause(failure));
    }

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, BindException failure) {
        return new FailureAnalysis(description(failure), null, failure);
    }

    private static String description(BindException failure) {
        String setting = failure.getName().toString();
        Throwable cause = failure.getCause();
        if (cause instanceof BeanInstantiationException refused && refused.getCause() != null) {
            // a properties record's constructor refused the values: its message names the settings
            String reason = firstLine(refused.getCause());
            return reason.startsWith(setting + ".") ? reason : setting + ": " + reason;
        }
        if (cause instanceof ConversionFailedException conversion && conversion.getTargetType().getType() == URI.class
                && failure.getProperty() != null && failure.getProperty().getValue() instanceof CharSequence url) {
            // 127.0.0.1:9090 fails the URI parser ("Illegal character in scheme name"): say what the fix is
            Optional<String> noScheme = HttpUrls.withoutScheme(setting, url.toString());
            if (noScheme.isPresent()) {
                return noScheme.get() + origin(failure.getProperty());
            }
        }
        if (cause instanceof ConversionFailedException conversion) {
            return setting + " must be " + expected(conversion.getTargetType().getType()) + origin(failure.getProperty());
        }
        if (cause instanceof ConverterNotFoundException) {
            return setting + " holds settings (" + setting + ".*), not a value" + origin(failure.getProperty());
        }
        if (cause instanceof UnboundConfigurationPropertiesException unbound) {
            return unbound.getUnboundProperties().stream().map(p -> p.getName() + origin(p)).collect(Collectors.joining(", "))
                    + " left unbound: the entries of a list are numbered from 0 without gaps";
        }
        return setting + ": " + firstLine(NestedExceptionUtils.getMostSpecificCause(failure));
    }

    /** What a value of the setting's type looks like. */
    private static String expected(Class<?> type) {
        Class<?> boxed = ClassUtils.resolvePrimitiveIfNecessary(type);
        if (boxed.isEnum()) {
            return "one of " + Arrays.stream(boxed.getEnumConstants()).map(c -> c.toString().toLowerCase(Locale.ROOT))
                    .collect(Collectors.joining(", "));
        }
        return LOOKS_LIKE.getOrDefault(boxed, "a " + boxed.getSimpleName());
    }

    /** Where the setting was given (an environment variable, an argument, a file), if known. */
    private static String origin(ConfigurationProperty property) {
        Origin origin = Origin.from(property);
        return origin == null ? "" : " (" + origin + ")";
    }

    private static String firstLine(Throwable t) {
        return t.getMessage() == null ? t.toString() : t.getMessage().strip().lines().findFirst().orElse("");
    }
}
