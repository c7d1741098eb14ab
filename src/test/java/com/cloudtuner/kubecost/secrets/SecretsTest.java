package com.cloudtuner.kubecost.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.support.SpringApplicationJsonEnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertiesPropertySource;
import org.springframework.core.env.SimpleCommandLinePropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.support.ResourcePropertySource;

/**
 * The secrets known before Spring Boot binds anything: every place and every name it would bind a
 * secret setting from (environment variables under relaxed names, system properties, arguments,
 * the JSON of SPRING_APPLICATION_JSON), and nothing else.
 */
class SecretsTest {

    private static final String SECRET = "Hunter2Secret";

    enum Where { ENVIRONMENT, SYSTEM_PROPERTY, ARGUMENT }

    private static Secrets given(Where where, String name, String value) {
        Properties systemProperties = new Properties();
        Map<String, String> env = Map.of();
        List<String> args = List.of();
        switch (where) {
            case ENVIRONMENT -> env = Map.of(name, value);
            case SYSTEM_PROPERTY -> systemProperties.setProperty(name, value);
            case ARGUMENT -> args = List.of("--" + name + "=" + value);
        }
        return Secrets.fromEnvironment(env, systemProperties, args);
    }

    /** What {@link Redactor} makes of {@code text} with these secrets. */
    private static String redact(Secrets secrets, String text) {
        String redacted = text;
        for (String form : secrets.forms()) {
            redacted = redacted.replace(form, Redactor.MASK);
        }
        return redacted;
    }

    private static String base64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * What Spring Boot binds {@code property} to when {@code name=value} is set {@code where}, with
     * the application's own application.properties (its ${THANOS_URL:...} placeholders) and its
     * SPRING_APPLICATION_JSON processing: proof that the name is one it really reads.
     */
    private static List<String> springBinds(Where where, String name, String value, String property) throws Exception {
        ConfigurableEnvironment environment = new StandardEnvironment();
        MutablePropertySources sources = environment.getPropertySources();
        sources.remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
        sources.remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
        Properties p = new Properties();
        switch (where) {
            case ENVIRONMENT -> sources.addLast(new SystemEnvironmentPropertySource(
                    StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, Map.of(name, value)));
            case SYSTEM_PROPERTY -> {
                p.setProperty(name, value);
                sources.addLast(new PropertiesPropertySource(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME, p));
            }
            case ARGUMENT -> sources.addFirst(new SimpleCommandLinePropertySource("--" + name + "=" + value));
        }
        sources.addLast(new ResourcePropertySource("classpath:application.properties"));
        new SpringApplicationJsonEnvironmentPostProcessor().postProcessEnvironment(environment, new SpringApplication());
        ConfigurationPropertySources.attach(environment);
        return Binder.get(environment).bind(property, Bindable.listOf(String.class)).orElse(List.of());
    }

    @ParameterizedTest(name = "{0} {1} sets {3}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
            ENVIRONMENT     | THANOS_URL                 | http://bob:%s@bad_host/                             | thanos.url
            ENVIRONMENT     | thanos_url                 | http://bob:%s@bad_host/                             | thanos.url
            ENVIRONMENT     | thanos.url                 | http://bob:%s@bad_host/                             | thanos.url
            ENVIRONMENT     | CLICKHOUSE_URL             | http://bob:%s@bad_host/                             | clickhouse.url
            ENVIRONMENT     | clickhouse_url             | http://bob:%s@bad_host/                             | clickhouse.url
            ENVIRONMENT     | PUSHGATEWAY_URL            | http://bob:%s@bad_host/                             | pushgateway.url
            ENVIRONMENT     | pushgateway_url            | http://bob:%s@bad_host/                             | pushgateway.url
            ENVIRONMENT     | THANOS_BEARER_TOKEN        | %s                                                  | thanos.bearer-token
            ENVIRONMENT     | THANOS_BEARERTOKEN         | %s                                                  | thanos.bearer-token
            ENVIRONMENT     | thanos_bearertoken         | %s                                                  | thanos.bearer-token
            ENVIRONMENT     | THANOS_PASSWORD            | %s                                                  | thanos.password
            ENVIRONMENT     | thanos_password            | %s                                                  | thanos.password
            ENVIRONMENT     | CLICKHOUSE_PASSWORD        | %s                                                  | clickhouse.password
            ENVIRONMENT     | clickhouse_password        | %s                                                  | clickhouse.password
            ENVIRONMENT     | THANOS_HEADERS             | X-Api-Key: %s                                       | thanos.headers
            ENVIRONMENT     | thanos_headers             | X-Api-Key: %s                                       | thanos.headers
            ENVIRONMENT     | THANOS_HEADERS_0           | X-Api-Key: %s                                       | thanos.headers
            SYSTEM_PROPERTY | thanos.url                 | http://bob:%s@bad_host/                             | thanos.url
            SYSTEM_PROPERTY | THANOS_URL                 | http://bob:%s@bad_host/                             | thanos.url
            SYSTEM_PROPERTY | clickhouse.url             | http://bob:%s@bad_host/                             | clickhouse.url
            SYSTEM_PROPERTY | pushgateway.url            | http://bob:%s@bad_host/                             | pushgateway.url
            SYSTEM_PROPERTY | thanos.bearer-token        | %s                                                  | thanos.bearer-token
            SYSTEM_PROPERTY | thanos.bearerToken         | %s                                                  | thanos.bearer-token
            SYSTEM_PROPERTY | thanos.password            | %s                                                  | thanos.password
            SYSTEM_PROPERTY | clickhouse.password        | %s                                                  | clickhouse.password
            SYSTEM_PROPERTY | thanos.headers             | X-Api-Key: %s                                       | thanos.headers
            SYSTEM_PROPERTY | thanos.headers[0]          | X-Api-Key: %s                                       | thanos.headers
            ARGUMENT        | thanos.url                 | http://bob:%s@bad_host/                             | thanos.url
            ARGUMENT        | thanos.bearer-token        | %s                                                  | thanos.bearer-token
            ARGUMENT        | thanos.headers[0]          | X-Api-Key: %s                                       | thanos.headers
            ARGUMENT        | clickhouse.password        | %s                                                  | clickhouse.password
            ENVIRONMENT     | SPRING_APPLICATION_JSON    | {"thanos":{"url":"http://bob:%s@bad_host/"}}        | thanos.url
            ENVIRONMENT     | SPRING_APPLICATION_JSON    | {"clickhouse":{"url":"http://bob:%s@bad_host/"}}    | clickhouse.url
            ENVIRONMENT     | SPRING_APPLICATION_JSON    | {"pushgateway.url":"http://bob:%s@bad_host/"}       | pushgateway.url
            ENVIRONMENT     | SPRING_APPLICATION_JSON    | {"thanos":{"bearerToken":"%s"}}                     | thanos.bearer-token
            ENVIRONMENT     | SPRING_APPLICATION_JSON    | {"thanos":{"bearer-token":"%s"}}                    | thanos.bearer-token
            ENVIRONMENT     | SPRING_APPLICATION_JSON    | {"THANOS_PASSWORD":"%s"}                            | thanos.password
            ENVIRONMENT     | SPRING_APPLICATION_JSON    | {"clickhouse":{"password":"%s"}}                    | clickhouse.password
            ENVIRONMENT     | SPRING_APPLICATION_JSON    | {"thanos":{"headers":["X-Tenant: a","X-Api-Key: %s"]}} | thanos.headers
            ENVIRONMENT     | spring_application_json    | {"thanos":{"password":"%s"}}                        | thanos.password
            SYSTEM_PROPERTY | spring.application.json    | {"thanos":{"password":"%s"}}                        | thanos.password
            ARGUMENT        | spring.application.json    | {"thanos":{"password":"%s"}}                        | thanos.password
            """)
    void everyNameAndPlaceSpringBootBindsASecretFromIsRead(Where where, String name, String template, String property) throws Exception {
        String value = template.formatted(SECRET);
        assertThat(String.join(",", springBinds(where, name, value, property)))
                .as("Spring Boot binds %s set as %s %s", property, where, name).contains(SECRET);

        Secrets secrets = given(where, name, value);
        assertThat(secrets.unreadableJson()).isEmpty();
        String error = "invalid configuration: " + property + " is wrong, got " + value;
        assertThat(redact(secrets, error)).doesNotContain(SECRET).contains(Redactor.MASK)
                .startsWith("invalid configuration: " + property + " is wrong");
    }

    /** The command line refuses {@code --name VALUE} for a property, and VALUE is hidden all the same. */
    @ParameterizedTest
    @CsvSource({"thanos.bearer-token", "clickhouse.password", "thanos.password"})
    void aPropertyWhoseValueFollowsAfterASpaceIsASecretToo(String property) {
        Secrets secrets = Secrets.fromEnvironment(Map.of(), new Properties(), List.of("backfill", "--" + property, SECRET, "--tenant", "acme"));
        assertThat(secrets.forms()).contains(SECRET).doesNotContain("acme");
    }

    @Test
    void theUrlPasswordIsHiddenInTheBasicAuthHeaderItMakesToo() {
        Secrets secrets = given(Where.SYSTEM_PROPERTY, "thanos.url", "http://bob:" + SECRET + "@bad_host/");
        assertThat(secrets.forms()).contains(SECRET, "bob:" + SECRET, base64("bob:" + SECRET), base64(SECRET));
    }

    @Test
    void aPasswordBeyondAsciiIsHiddenInTheHeaderOkHttpMakesOfIt() {
        Secrets secrets = Secrets.none().password("bob", "p\u00e4ssw\u00f6rd-42");
        String header = "Authorization: " + okhttp3.Credentials.basic("bob", "p\u00e4ssw\u00f6rd-42"); // ISO-8859-1
        assertThat(redact(secrets, header)).isEqualTo("Authorization: Basic " + Redactor.MASK);
    }

    @Test
    void aPasswordIsHiddenInTheBasicAuthHeaderOfEachUserItMayGoWith() {
        Properties systemProperties = new Properties();
        systemProperties.setProperty("thanos.username", "reader");
        Secrets secrets = Secrets.fromEnvironment(Map.of("THANOS_PASSWORD", SECRET, "thanos_username", "writer"), systemProperties,
                List.of("--spring.application.json={\"thanos\":{\"username\":\"admin\"}}"));
        assertThat(secrets.forms()).contains(base64("reader:" + SECRET), base64("writer:" + SECRET), base64("admin:" + SECRET));
    }

    @Test
    void aSettingGivenInSeveralPlacesHasEachValueHidden() {
        Properties systemProperties = new Properties();
        systemProperties.setProperty("thanos.password", "from-property");
        Secrets secrets = Secrets.fromEnvironment(Map.of("THANOS_PASSWORD", "from-environment", "SPRING_APPLICATION_JSON",
                "{\"thanos\":{\"password\":\"from-json\"}}"), systemProperties, List.of("--thanos.password=from-argument"));
        assertThat(secrets.forms()).contains("from-property", "from-environment", "from-json", "from-argument");
    }

    @Test
    void settingsThatHoldNoSecretAreNotHidden() {
        Properties systemProperties = new Properties();
        systemProperties.setProperty("thanos.timeout", "60s");
        systemProperties.setProperty("java.home", "/usr/lib/jvm/java-17");
        Secrets secrets = Secrets.fromEnvironment(Map.of("THANOS_USERNAME", "reader", "CLICKHOUSE_DATABASE", "costs",
                        "HOME", "/home/worker", "SPRING_APPLICATION_JSON", "{\"worker\":{\"tenants\":\"acme,globex\"}}"),
                systemProperties, List.of("--clickhouse.user=default", "--tenant=acme"));
        assertThat(secrets.forms()).isEmpty();
    }

    @Test
    void aNameThatOnlyContainsASettingsNameIsNotThatSetting() {
        Secrets secrets = Secrets.fromEnvironment(Map.of("OLD_THANOS_PASSWORD", "not-read-1", "THANOS_PASSWORD_FILE", "/run/secret"),
                new Properties(), List.of());
        assertThat(secrets.forms()).isEmpty();
    }

    @Test
    void aNumberInApplicationJsonIsASettingToo() throws Exception {
        String json = "{\"thanos\":{\"password\":73615024,\"retries\":3,\"tls\":{\"insecure\":false}}}";
        assertThat(springBinds(Where.ENVIRONMENT, "SPRING_APPLICATION_JSON", json, "thanos.password")).containsExactly("73615024");
        Secrets secrets = given(Where.ENVIRONMENT, "SPRING_APPLICATION_JSON", json);
        assertThat(secrets.unreadableJson()).isEmpty();
        assertThat(secrets.forms()).contains("73615024", base64("73615024"));
    }

    @Test
    void aMalformedApplicationJsonIsReportedWithoutItsTextAndTheOtherSettingsStillRead() {
        Secrets secrets = Secrets.fromEnvironment(Map.of("SPRING_APPLICATION_JSON", "{\"thanos\":{\"password\":" + SECRET + "}}",
                "THANOS_BEARER_TOKEN", "tok3n-secret"), new Properties(), List.of());
        assertThat(secrets.unreadableJson()).hasValue("SPRING_APPLICATION_JSON is not valid JSON (line 1, column 23); its text is not shown");
        assertThat(secrets.forms()).contains("tok3n-secret");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
            a string            | "http://bob:Hunter2Secret@bad_host/"            | must be a JSON object, got string
            a list              | ["Hunter2Secret"]                               | must be a JSON object, got array
            only blanks         | '  '                                            | must be a JSON object, got nothing
            an unclosed object  | {"thanos":{"password":"Hunter2Secret"}          | is not valid JSON (line 1, column 39)
            a second object     | {"a":1} {"thanos":{"password":"Hunter2Secret"}} | is not valid JSON (line 1, column 9)
            """)
    void applicationJsonThatSpringBootCannotTakeAsAnObjectIsReportedWithoutItsText(String what, String json, String says) {
        Properties systemProperties = new Properties();
        systemProperties.setProperty("spring.application.json", json);
        Secrets secrets = Secrets.fromEnvironment(Map.of(), systemProperties, List.of());
        assertThat(secrets.unreadableJson()).hasValueSatisfying(
                problem -> assertThat(problem).startsWith("spring.application.json " + says).doesNotContain(SECRET));
    }

    @Test
    void anEmptyApplicationJsonIsIgnoredAsSpringBootIgnoresIt() {
        Secrets secrets = Secrets.fromEnvironment(Map.of("SPRING_APPLICATION_JSON", ""), new Properties(), List.of());
        assertThat(secrets.unreadableJson()).isEmpty();
        assertThat(secrets.forms()).isEmpty();
    }

    @Test
    void aPasswordWithAnAtSignOfItsOwnIsHiddenWhole() {
        Secrets secrets = given(Where.ENVIRONMENT, "THANOS_URL", "http://bob:P@ss-w0rd@bad_host/");
        assertThat(secrets.forms()).contains("P@ss-w0rd", base64("bob:P@ss-w0rd"));
        assertThat(redact(secrets, "got http://bob:P@ss-w0rd@bad_host/")).isEqualTo("got http://***@bad_host/");
    }

    @Test
    void aPercentEncodedPasswordIsHiddenAsConfiguredAndAsSent() {
        Secrets secrets = given(Where.ENVIRONMENT, "THANOS_URL", "http://bob:Hunter%402Secret@thanos:9090/");
        assertThat(secrets.forms()).contains("Hunter%402Secret", "Hunter@2Secret", base64("bob:Hunter@2Secret"));
    }

    @Test
    void aUrlWithoutItsSchemeHasItsUserInformationHidden() {
        Secrets secrets = given(Where.ENVIRONMENT, "THANOS_URL", "bob:" + SECRET + "@thanos:9090");
        assertThat(redact(secrets, "thanos.url must be an http(s) URL, got bob:" + SECRET + "@thanos:9090"))
                .isEqualTo("thanos.url must be an http(s) URL, got ***@thanos:9090");
    }

    @Test
    void relaxedNamesIgnoreCaseAndSeparators() {
        List<String> names = new ArrayList<>();
        for (String name : List.of("THANOS_BEARER_TOKEN", "thanos.bearer-token", "thanos.bearerToken", "Thanos_BearerToken",
                "thanos-bearer_token")) {
            names.add(Secrets.relaxed(name));
        }
        assertThat(names).containsOnly("thanosbearertoken");
        assertThat(Secrets.relaxed("thanos.headers[0]")).isEqualTo(Secrets.relaxed("THANOS_HEADERS_0"));
    }
}
