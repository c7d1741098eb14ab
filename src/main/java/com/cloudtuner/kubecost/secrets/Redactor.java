package com.cloudtuner.kubecost.secrets;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one redaction step every text passes on its way to a log, stderr, stdout or the run ledger:
 * each configured secret, in each of its forms, becomes {@value #MASK}. Process-wide, because the
 * logging system is; the application installs the secrets it is started with and adds those its
 * configuration binds.
 */
public final class Redactor {

    public static final String MASK = "***";

    private static volatile Secrets secrets = Secrets.none();
    private static volatile Pattern pattern;

    private Redactor() {
    }

    /** Replaces the secrets hidden so far. */
    public static synchronized void install(Secrets installed) {
        secrets = installed;
        pattern = compile(installed.forms());
    }

    /** Hides these too. */
    public static synchronized void add(Secrets more) {
        install(secrets.with(more));
    }

    public static String redact(String text) {
        Pattern p = pattern;
        if (text == null || p == null) {
            return text;
        }
        return p.matcher(text).replaceAll(Matcher.quoteReplacement(MASK));
    }

    /** A stream whose every line is redacted before it reaches {@code out}. */
    public static PrintStream wrap(OutputStream out) {
        return new PrintStream(new RedactingOutputStream(out), true, StandardCharsets.UTF_8);
    }

    private static Pattern compile(List<String> forms) {
        if (forms.isEmpty()) {
            return null;
        }
        StringBuilder alternatives = new StringBuilder();
        for (String f : forms) {
            alternatives.append(alternatives.isEmpty() ? "" : "|").append(Pattern.quote(f));
        }
        return Pattern.compile(alternatives.toString());
    }
}
