package com.cloudtuner.kubecost.config;

import java.lang.reflect.RecordComponent;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DataObjectPropertyName;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.type.filter.AnnotationTypeFilter;

/**
 * Every setting the worker binds, with its type, read from the {@code @ConfigurationProperties}
 * records of this package themselves (their components, nested records such as
 * {@code worker.exporter} included, named as the binder names them), so that no list kept by hand
 * can fall behind the code. The scan reads the class files of this one package only: cheap enough
 * for every start.
 */
public final class KnownSettings {

    private static final String PACKAGE = KnownSettings.class.getPackageName();

    /** Canonical name (e.g. {@code worker.exporter.metric-mode}) to the type the binder converts its value to. */
    private final Map<String, Class<?>> types;

    private KnownSettings(Map<String, Class<?>> types) {
        this.types = Collections.unmodifiableMap(types);
    }

    public static KnownSettings scan() {
        ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false);
        scanner.addIncludeFilter(new AnnotationTypeFilter(ConfigurationProperties.class));
        Map<String, Class<?>> types = new TreeMap<>();
        for (BeanDefinition candidate : scanner.findCandidateComponents(PACKAGE)) {
            Class<?> type;
            try {
                type = Class.forName(candidate.getBeanClassName());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
            ConfigurationProperties annotation = type.getAnnotation(ConfigurationProperties.class);
            collect(type, annotation.prefix().isEmpty() ? annotation.value() : annotation.prefix(), types);
        }
        if (types.isEmpty()) {
            throw new IllegalStateException("found no @ConfigurationProperties record in " + PACKAGE);
        }
        return new KnownSettings(types);
    }

    private static void collect(Class<?> type, String prefix, Map<String, Class<?>> into) {
        if (!type.isRecord()) {
            throw new IllegalStateException(type.getName() + " is not a record; teach KnownSettings its properties");
        }
        for (RecordComponent c : type.getRecordComponents()) {
            String name = prefix + "." + DataObjectPropertyName.toDashedForm(c.getName());
            if (c.getType().isRecord() && c.getType().getName().startsWith(PACKAGE)) {
                collect(c.getType(), name, into); // a nested group such as worker.exporter
            } else {
                into.put(name, c.getType());
            }
        }
    }

    /** The canonical names, sorted. */
    public Set<String> names() {
        return types.keySet();
    }

    /** The prefixes the settings live under ({@code thanos}, {@code worker}, ...). */
    public Set<String> prefixes() {
        Set<String> prefixes = new java.util.TreeSet<>();
        types.keySet().forEach(name -> prefixes.add(name.substring(0, name.indexOf('.'))));
        return prefixes;
    }

    public Class<?> type(String name) {
        return types.get(name);
    }
}
