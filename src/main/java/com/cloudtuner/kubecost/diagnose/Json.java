package com.cloudtuner.kubecost.diagnose;

import com.cloudtuner.kubecost.cost.Figures;
import java.io.PrintStream;
import java.time.Instant;
import java.util.List;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The JSON the tools print with {@code --json}: one document on stdout. */
final class Json {

    private static final ObjectMapper MAPPER = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
    private static final ObjectMapper COMPACT = JsonMapper.builder().build();

    private Json() {
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    static ArrayNode array() {
        return MAPPER.createArrayNode();
    }

    /** Words as one line of JSON, {@code ["backfill","--from=..."]}: what a Job's {@code args} takes. */
    static String array(List<String> words) {
        return COMPACT.writeValueAsString(words);
    }

    static String instant(Instant t) {
        return t == null ? null : t.toString();
    }

    /** A double as JSON allows: non-finite values (never stored, but possible in raw samples) as strings. */
    static void putNumber(ObjectNode n, String name, Double v) {
        if (v == null) {
            n.putNull(name);
        } else if (Double.isFinite(v)) {
            n.put(name, v);
        } else {
            n.put(name, Double.isNaN(v) ? "NaN" : v > 0 ? "+Inf" : "-Inf");
        }
    }

    /** One column that differs: {@code column}, {@code stored} and {@code fresh} (numbers, null for NULL; strings for the currency). */
    static void difference(Figures.Difference d, ObjectNode n) {
        n.put("column", d.column());
        value(n, "stored", d.stored());
        value(n, "fresh", d.fresh());
    }

    private static void value(ObjectNode n, String name, Object v) {
        if (v == null || v instanceof Double) {
            putNumber(n, name, (Double) v);
        } else {
            n.put(name, v.toString());
        }
    }

    static void print(ObjectNode document, PrintStream out) {
        out.println(MAPPER.writeValueAsString(document));
        out.flush();
    }
}
