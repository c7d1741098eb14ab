package com.cloudtuner.kubecost.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What an upstream may do with a secret it echoes, and what {@link Redactor} leaves of it: a part
 * of a header value (one cookie), the token in another letter case, the header line in base64,
 * alone or inside a whole encoded request.
 */
class RedactorTest {

    private static final String SESSION = "S3ss10n-Value";
    private static final String CSRF = "Csrf-T0ken";
    private static final String COOKIE = "session=" + SESSION + "; csrf=\"" + CSRF + "\"";
    private static final String TOKEN = "Tok3n-Mixed-Case";

    @AfterEach
    void forgetTheSecrets() {
        Redactor.install(Secrets.none());
    }

    private static String base64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
            one pair                  | rejected session=S3ss10n-Value, try again     | rejected ***, try again
            one value                 | unknown session S3ss10n-Value                 | unknown session ***
            a quoted value unquoted   | csrf Csrf-T0ken does not match                | csrf *** does not match
            a quoted value            | got csrf="Csrf-T0ken"                         | got ***
            the pairs in another order | csrf="Csrf-T0ken"; session=S3ss10n-Value     | ***; ***
            the names alone           | cookies session and csrf expected             | cookies session and csrf expected
            """)
    void eachPartOfAHeaderValueIsASecret(String what, String echoed, String printed) {
        Redactor.install(Secrets.none().headers("Cookie: " + COOKIE + ", X-Scope: team-a"));
        assertThat(Redactor.redact(echoed)).isEqualTo(printed);
    }

    @Test
    void secretsAreFoundInAnyLetterCase() {
        Redactor.install(Secrets.none().token(TOKEN).password("bob", "P\u00e4ssw\u00f6rd-42"));
        assertThat(Redactor.redact("authorization: bearer tok3n-mixed-case; AS SENT: TOK3N-MIXED-CASE"))
                .isEqualTo("authorization: bearer ***; AS SENT: ***");
        assertThat(Redactor.redact("password P\u00c4SSW\u00d6RD-42 refused")).isEqualTo("password *** refused");
    }

    /** Secrets that begin alike, one inside another: each occurrence is hidden whole, whichever comes first. */
    @Test
    void secretsSharingABeginningAreEachHiddenWhole() {
        Redactor.install(Secrets.none().token("abcd-1234").token("abcd-1234-extra").token("abcx-9876"));
        assertThat(Redactor.redact("a abcd-1234-extra b ABCD-1234 c abcx-9876 d abcd-12 e"))
                .isEqualTo("a *** b *** c *** d abcd-12 e");
    }

    @Test
    void aHeaderLineEncodedInBase64IsHiddenWhole() {
        Redactor.install(Secrets.none().headers("Cookie: " + COOKIE));
        assertThat(Redactor.redact("header " + base64("Cookie: " + COOKIE) + " invalid")).isEqualTo("header *** invalid");
    }

    /**
     * An upstream encoding the whole request: the header line starts at each of the three positions
     * of a base64 group (request paths of 6, 7 and 8 characters), with its name as configured or
     * lower-cased (HTTP/2). Whatever remains visible, decoded at any alignment, shows no three
     * consecutive characters of a secret.
     */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
            "/api/a, Cookie", "/api/ab, Cookie", "/api/abc, Cookie",
            "/api/a, cookie", "/api/ab, cookie", "/api/abc, cookie",
            "/api/a, Authorization", "/api/ab, Authorization", "/api/abc, authorization",
    })
    void aHeaderLineInsideAnEncodedRequestIsHidden(String path, String header) {
        Redactor.install(Secrets.none().headers("Cookie: " + COOKIE).token(TOKEN));
        String line = header + ": " + (header.equalsIgnoreCase("cookie") ? COOKIE : "Bearer " + TOKEN);
        String request = "GET " + path + " HTTP/1.1\r\nHost: thanos\r\n" + line + "\r\nAccept: */*\r\n\r\n";
        String redacted = Redactor.redact("request was " + base64(request));
        assertThat(redacted).contains(Redactor.MASK);
        for (String secret : List.of(SESSION, CSRF, TOKEN)) {
            for (String visible : decodedAtEveryAlignment(redacted)) {
                for (int i = 0; i + 3 <= secret.length(); i++) {
                    assertThat(visible).as("decoded from %s", redacted).doesNotContain(secret.substring(i, i + 3));
                }
            }
        }
    }

    /** Each piece between masks, decoded as base64 from each of its first four characters. */
    private static List<String> decodedAtEveryAlignment(String redacted) {
        List<String> decoded = new ArrayList<>();
        for (String piece : redacted.split(Pattern.quote(Redactor.MASK))) {
            String base64 = piece.replaceAll("[^A-Za-z0-9+/]", "");
            for (int start = 0; start < Math.min(4, base64.length()); start++) {
                String aligned = base64.substring(start);
                aligned = aligned.substring(0, aligned.length() / 4 * 4);
                decoded.add(new String(Base64.getDecoder().decode(aligned), StandardCharsets.ISO_8859_1));
            }
        }
        return decoded;
    }
}
