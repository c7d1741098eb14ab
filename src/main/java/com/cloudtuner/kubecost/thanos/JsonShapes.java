package com.cloudtuner.kubecost.thanos;

import com.cloudtuner.kubecost.thanos.ApiResponseParser.MalformedAnswer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * The small shapes the API's answers are made of (a label set, a list of strings, a list of label
 * sets) and the token check every reader relies on. A defect fails with a message that says what
 * stood where, since the answer itself is rarely at hand when the message is read.
 */
final class JsonShapes {

    private JsonShapes() {
    }

    static Map<String, String> readLabels(JsonParser p) {
        expect(p, p.currentToken(), JsonToken.START_OBJECT, "a label set");
        Map<String, String> labels = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            if (value != JsonToken.VALUE_STRING) {
                throw new MalformedAnswer("label " + name + " is " + describe(value) + ", not a string");
            }
            labels.put(name, p.getString());
        }
        return labels;
    }

    /** A list of strings; a null or non-string element is a defect, not a value. */
    static List<String> readStrings(JsonParser p) {
        return readArray(p, JsonToken.VALUE_STRING, "a string", JsonParser::getString);
    }

    static List<Map<String, String>> readLabelSets(JsonParser p) {
        return readArray(p, JsonToken.START_OBJECT, "a label set", JsonShapes::readLabels);
    }

    /** The elements of {@code data}, each of which must begin with {@code first}. */
    private static <T> List<T> readArray(JsonParser p, JsonToken first, String kind, Function<JsonParser, T> element) {
        expect(p, p.currentToken(), JsonToken.START_ARRAY, "data");
        List<T> elements = new ArrayList<>();
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t != first) {
                throw new MalformedAnswer("element " + elements.size() + " of data is " + describe(t) + ", not " + kind);
            }
            elements.add(element.apply(p));
        }
        return elements;
    }

    static void expect(JsonParser p, JsonToken actual, JsonToken expected, String what) {
        if (actual != expected) {
            throw new MalformedAnswer(what + " is " + describe(actual) + " where " + describe(expected) + " belongs"
                    + " (at character " + p.currentLocation().getCharOffset() + ")");
        }
    }

    static String describe(JsonToken t) {
        if (t == null) {
            return "the end of the body";
        }
        return switch (t) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_NULL -> "null";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            default -> t.name();
        };
    }
}
