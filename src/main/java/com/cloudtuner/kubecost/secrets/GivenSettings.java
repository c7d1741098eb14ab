package com.cloudtuner.kubecost.secrets;

import static org.springframework.boot.support.SpringApplicationJsonEnvironmentPostProcessor.SPRING_APPLICATION_JSON_ENVIRONMENT_VARIABLE;
import static org.springframework.boot.support.SpringApplicationJsonEnvironmentPostProcessor.SPRING_APPLICATION_JSON_PROPERTY;
import static org.springframework.core.env.StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME;
import static org.springframework.core.env.StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.support.SpringApplicationJsonEnvironmentPostProcessor;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertiesPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.SimpleCommandLinePropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.support.ResourcePropertySource;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The settings the environment, the system properties and the command line give, read before the
 * application binds them, the way Spring Boot reads them: an environment of these places and the
 * application's own application.properties, the JSON of {@code SPRING_APPLICATION_JSON}
 * ({@code spring.application.json}) expanded by Spring Boot's post-processor, and a binder that
 * finds a setting under every relaxed name it accepts ({@code THANOS_BEARER_TOKEN},
 * {@code thanos_url}, {@code thanos.bearerToken}, {@code THANOS_HEADERS_0}). Each place is bound on
 * its own: every value given counts, not only the one that wins.
 */
final class GivenSettings implements SettingValues {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final List<Binder> places = new ArrayList<>();
    private final String unreadableJson;

    GivenSettings(Map<String, String> env, Properties systemProperties, List<String> args) {
        StandardEnvironment environment = new StandardEnvironment();
        MutablePropertySources sources = environment.getPropertySources();
        sources.replace(SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                new SystemEnvironmentPropertySource(SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, new HashMap<String, Object>(env)));
        sources.replace(SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME,
                new PropertiesPropertySource(SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME, systemProperties));
        sources.addFirst(new SimpleCommandLinePropertySource(options(args)));
        sources.addLast(applicationProperties());
        unreadableJson = sources.stream().map(GivenSettings::unreadableJson).filter(Objects::nonNull).findFirst().orElse(null);
        if (unreadableJson == null) { // else the application stops before Spring Boot reads anything
            new SpringApplicationJsonEnvironmentPostProcessor().postProcessEnvironment(environment, new SpringApplication());
        }
        PropertySourcesPlaceholdersResolver placeholders = new PropertySourcesPlaceholdersResolver(environment);
        sources.forEach(source -> places.add(new Binder(ConfigurationPropertySources.from(source), placeholders)));
    }

    @Override
    public List<String> values(String setting) {
        return bindEach(setting, Bindable.of(String.class));
    }

    @Override
    public List<String> entries(String setting) {
        return bindEach(setting, Bindable.listOf(String.class)).stream().flatMap(List::stream).toList();
    }

    /**
     * Why a {@code SPRING_APPLICATION_JSON} given cannot be read as a JSON object, without its text
     * (Spring Boot's own error quotes the offending token, which may be a password); null if none.
     */
    String unreadableJson() {
        return unreadableJson;
    }

    private <T> List<T> bindEach(String setting, Bindable<T> target) {
        List<T> values = new ArrayList<>();
        for (Binder place : places) {
            try {
                place.bind(setting, target).ifBound(values::add);
            } catch (BindException e) {
                // Spring Boot refuses it at start-up too, naming the setting but no value
            }
        }
        return values;
    }

    /** The application's own settings: {@code thanos.url=${THANOS_URL:...}} makes a THANOS_URL given anywhere a thanos.url. */
    private static PropertySource<?> applicationProperties() {
        try {
            return new ResourcePropertySource(new ClassPathResource("application.properties"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The options as Spring reads them from the command line, and {@code --name VALUE} as
     * {@code --name=VALUE}: the command line refuses that form, and whatever prints VALUE must still
     * hide it. An option without a name ({@code --=x}) is left out: Spring's parser throws on it,
     * and the command line refuses it.
     */
    private static String[] options(List<String> args) {
        List<String> options = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--") || arg.length() == 2 || arg.charAt(2) == '=') {
                continue;
            }
            boolean valueFollows = arg.indexOf('=') < 0 && i + 1 < args.size() && !args.get(i + 1).startsWith("--");
            options.add(valueFollows ? arg + "=" + args.get(++i) : arg);
        }
        return options.toArray(String[]::new);
    }

    /** Why the JSON a place gives, if any, is not a JSON object Spring Boot can expand; null if it is. */
    private static String unreadableJson(PropertySource<?> place) {
        for (String name : List.of(SPRING_APPLICATION_JSON_ENVIRONMENT_VARIABLE, SPRING_APPLICATION_JSON_PROPERTY)) {
            if (place.getProperty(name) instanceof String json && !json.isEmpty()) { // Spring Boot ignores an empty one too
                try {
                    JsonNode root = JSON.readTree(json);
                    return root != null && root.isObject() ? null : name + " must be a JSON object, got "
                            + (root == null || root.isMissingNode() ? "nothing" : root.getNodeType().toString().toLowerCase(Locale.ROOT));
                } catch (JacksonException e) {
                    TokenStreamLocation at = e.getLocation();
                    return name + " is not valid JSON" + (at == null || at.getLineNr() < 0 ? ""
                            : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")") + "; its text is not shown";
                }
            }
        }
        return null;
    }
}
