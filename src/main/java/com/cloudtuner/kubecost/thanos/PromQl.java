package com.cloudtuner.kubecost.thanos;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.regex.Pattern;

/** Builds PromQL selectors. Every label value that enters a query string passes through {@link #quote}. */
public final class PromQl {

    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    private PromQl() {
    }

    /** A double-quoted PromQL string literal (Go escaping rules) holding exactly {@code value}. */
    public static String quote(String value) {
        StringBuilder sb = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '"' -> sb.append("\\\"");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    /**
     * A regular expression (RE2, as Prometheus, Thanos and VictoriaMetrics use) matching exactly
     * {@code value}: every metacharacter escaped, like Go's {@code regexp.QuoteMeta}, so that
     * {@code team.a} never matches {@code teamxa}.
     */
    public static String regexLiteral(String value) {
        StringBuilder sb = new StringBuilder(value.length() + 8);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ("\\.+*?()|[]{}^$".indexOf(c) >= 0) {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.toString();
    }

    /**
     * {@code label=~"v1|v2|..."}: the label is one of these values exactly. The server anchors the
     * expression at both ends, so {@code acme} never matches {@code acme-eu}.
     */
    public static String anyOf(String label, Collection<String> values) {
        if (!LABEL.matcher(label).matches()) {
            throw new IllegalArgumentException("not a label name: " + label);
        }
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no values for " + label);
        }
        StringJoiner alternatives = new StringJoiner("|");
        for (String v : values) {
            alternatives.add(regexLiteral(v));
        }
        return label + "=~" + quote(alternatives.toString());
    }

    private static final java.util.regex.Pattern LONG_ALTERNATIVES =
            // possessive: a lazy repetition of an alternation recurses per character and overflows the stack on a
            // selector of a few thousand characters (a batch of 250 tenants)
            java.util.regex.Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=~\"((?:[^\"\\\\]++|\\\\.)*+)\"");

    /**
     * The text with every long {@code label=~"a|b|..."} matcher cut to the number of its
     * alternatives: a batch's selector names hundreds of tenants, which no log line should carry.
     */
    public static String withShortMatchers(String text) {
        java.util.regex.Matcher m = LONG_ALTERNATIVES.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            if (m.group(2).length() < 60) {
                m.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(m.group()));
                continue;
            }
            int alternatives = m.group(2).split("(?<!\\\\)\\|", -1).length;
            m.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(m.group(1) + "=~<" + alternatives + " values>"));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** {@code metric{matcher,...}}; each matcher already a complete, quoted {@code label op "value"}. */
    public static String selector(String metric, List<String> matchers) {
        if (!NAME.matcher(metric).matches()) {
            throw new IllegalArgumentException("not a metric name: " + metric);
        }
        return metric + "{" + String.join(",", matchers) + "}";
    }

    /** {@code metric{label="value",...}} with every value quoted. */
    public static String selector(String metric, Map<String, String> labelEquals) {
        if (!NAME.matcher(metric).matches()) {
            throw new IllegalArgumentException("not a metric name: " + metric);
        }
        StringBuilder sb = new StringBuilder(metric).append('{');
        String sep = "";
        for (Map.Entry<String, String> e : labelEquals.entrySet()) {
            if (!LABEL.matcher(e.getKey()).matches()) {
                throw new IllegalArgumentException("not a label name: " + e.getKey());
            }
            sb.append(sep).append(e.getKey()).append('=').append(quote(e.getValue()));
            sep = ",";
        }
        return sb.append('}').toString();
    }

    /** Series whose metric name starts with {@code prefix} (a metric name prefix has no regex metacharacters). */
    public static String metricPrefixSelector(String prefix) {
        if (!NAME.matcher(prefix).matches()) {
            throw new IllegalArgumentException("not a metric name prefix: " + prefix);
        }
        return "{__name__=~" + quote(prefix + ".+") + "}";
    }
}
