package com.cloudtuner.kubecost.config;

import java.util.Locale;
import java.util.Map;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.ConfigurationPropertyState;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * One setting as given, an argument {@code --name=value} or an environment variable, and which
 * known setting it sets: asked of Spring Boot's own relaxed binding (a source holding only this
 * setting, and the binder's name mapping for it), so that {@code THANOS_BEARER_TOKEN},
 * {@code --thanos.bearerToken} and {@code THANOS_HEADERS_0} count exactly when the binder would
 * bind them.
 *
 * @param name    as given: {@code thanos.url} (argument) or {@code THANOS_URL} (environment)
 * @param fromEnv whether an environment variable gives it
 */
record GivenSetting(String name, String value, boolean fromEnv) {

    /** How it is named in a message: {@code --thanos.url} or {@code THANOS_URL}. */
    String shown() {
        return fromEnv ? name : "--" + name;
    }

    /** How an operator would name {@code setting} in the same place: {@code worker.settle-delay} or {@code WORKER_SETTLE_DELAY}. */
    String shownAs(String setting) {
        return fromEnv ? setting.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_') + " (" + setting + ")" : setting;
    }

    /** Whether this sets {@code setting}; {@code collection}: also through an indexed entry ({@code THANOS_HEADERS_0}). */
    boolean sets(String setting, boolean collection) {
        ConfigurationPropertySource source = source();
        ConfigurationPropertyName target = ConfigurationPropertyName.of(setting);
        ConfigurationProperty bound = source.getConfigurationProperty(target);
        return bound != null || collection && source.containsDescendantOf(target) == ConfigurationPropertyState.PRESENT;
    }

    private ConfigurationPropertySource source() {
        // Spring Boot applies its environment-variable mapping only to a source of this name
        PropertySource<?> source = fromEnv
                ? new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, Map.of(name, value))
                : new MapPropertySource("commandLineArgs", Map.of(name, value));
        return ConfigurationPropertySources.from(source).iterator().next();
    }
}
