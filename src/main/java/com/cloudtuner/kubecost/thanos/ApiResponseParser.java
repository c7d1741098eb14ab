package com.cloudtuner.kubecost.thanos;

import com.cloudtuner.kubecost.secrets.Redactor;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.exc.JacksonIOException;
import tools.jackson.core.io.NumberInput;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Streams a Prometheus HTTP API envelope ({@code status}, {@code data}, {@code warnings},
 * {@code errorType}, {@code error}) without building a tree, so a day of raw samples costs two
 * primitive arrays per series. Anything but a complete answer of the expected shape fails with a
 * message naming the defect: an answer of another shape must never pass for "no data".
 */
final class ApiResponseParser {

    /** A key given twice (two {@code data}, two {@code status}) is a defect, not "the last one wins". */
    private static final ObjectMapper MAPPER = JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    @FunctionalInterface
    interface DataReader<T> {
        /** Reads the value of {@code data}; the parser stands on its first token. */
        T read(JsonParser p);
    }

    private ApiResponseParser() {
    }

    static <T> T parse(InputStream body, DataReader<T> dataReader, String what) {
        String status = null;
        String errorType = null;
        String error = null;
        List<String> warnings = new ArrayList<>();
        T data = null;
        try (JsonParser p = MAPPER.createParser(body)) {
            expect(p, p.nextToken(), JsonToken.START_OBJECT, "the answer");
            while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                switch (name) {
                    case "status" -> status = p.getValueAsString();
                    case "errorType" -> errorType = p.getValueAsString();
                    case "error" -> error = p.getValueAsString();
                    case "warnings" -> {
                        if (value == JsonToken.START_ARRAY) {
                            JsonToken w;
                            while ((w = p.nextToken()) != JsonToken.END_ARRAY) {
                                if (w != JsonToken.VALUE_STRING) {
                                    throw new MalformedAnswer("a warning is " + describe(w) + ", not a string");
                                }
                                warnings.add(p.getString());
                            }
                        } else if (value != JsonToken.VALUE_NULL) {
                            throw new MalformedAnswer("warnings is " + describe(value) + ", not an array");
                        }
                    }
                    case "data" -> data = value == JsonToken.VALUE_NULL || !"success".equals(status) && status != null
                            ? skip(p) : dataReader.read(p);
                    default -> p.skipChildren();
                }
            }
            if (p.nextToken() != null) {
                throw new MalformedAnswer("more content after the answer's closing brace");
            }
        } catch (JacksonIOException e) {
            throw e; // the body broke off in transit: a network fault, for the caller to retry
        } catch (JacksonException e) {
            throw new ThanosQueryException(what + ": unreadable response: " + e.getOriginalMessage(), false, e);
        } catch (MalformedAnswer e) {
            if (!"success".equals(status) && status != null) {
                data = null; // an error answer: its status says more than its shape
            } else {
                throw new ThanosQueryException(what + ": unreadable response: " + e.getMessage(), false, e);
            }
        }
        if (!"success".equals(status)) {
            throw new ThanosQueryException(what + ": status " + status
                    + (errorType == null ? "" : ", " + errorType) + (error == null ? "" : ": " + error), false);
        }
        if (!warnings.isEmpty()) {
            throw new ThanosQueryException(what + ": answered with warnings (data may be partial): "
                    + String.join("; ", warnings), false);
        }
        if (data == null) {
            throw new ThanosQueryException(what + ": unreadable response: it has no data", false);
        }
        return data;
    }

    private static <T> T skip(JsonParser p) {
        p.skipChildren();
        return null;
    }

    /** {@code {"resultType": "matrix"|"vector", "result": [series...]}} of the expected type. */
    static DataReader<List<PromSeries>> samples(ResultType expected) {
        return p -> readSamples(p, expected);
    }

    private static List<PromSeries> readSamples(JsonParser p, ResultType expected) {
        expect(p, p.currentToken(), JsonToken.START_OBJECT, "data");
        List<PromSeries> result = null;
        String resultType = null;
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            if (name.equals("result")) {
                result = readResult(p, expected);
            } else if (name.equals("resultType")) {
                resultType = value == JsonToken.VALUE_STRING ? p.getString() : String.valueOf(value);
                if (!resultType.equals(expected.wire())) {
                    throw new MalformedAnswer("resultType is " + resultType + ", expected " + expected.wire());
                }
            } else {
                p.skipChildren();
            }
        }
        if (resultType == null) {
            throw new MalformedAnswer("data has no resultType");
        }
        if (!resultType.equals(expected.wire())) {
            throw new MalformedAnswer("resultType is " + resultType + ", expected " + expected.wire());
        }
        if (result == null) {
            throw new MalformedAnswer("data has no result");
        }
        return result;
    }

    private static List<PromSeries> readResult(JsonParser p, ResultType expected) {
        expect(p, p.currentToken(), JsonToken.START_ARRAY, "result");
        List<PromSeries> series = new ArrayList<>();
        Set<Map<String, String>> seen = new HashSet<>();
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            int index = series.size();
            if (t != JsonToken.START_OBJECT) {
                throw new MalformedAnswer("result element " + index + " is " + describe(t) + ", not a series object");
            }
            PromSeries s = readSeries(p, expected, index);
            if (!seen.add(s.labels())) {
                // Prometheus never answers one label set twice; pooling the two would average a broken upstream
                throw new MalformedAnswer("result element " + index + " repeats the labels of an earlier series: "
                        + s.labels());
            }
            series.add(s);
        }
        return series;
    }

    private static PromSeries readSeries(JsonParser p, ResultType expected, int index) {
        Map<String, String> labels = null;
        SampleBuffer samples = null;
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            if (name.equals("metric")) {
                labels = readLabels(p);
            } else if (name.equals("values") && expected == ResultType.MATRIX) {
                expect(p, value, JsonToken.START_ARRAY, "values of result element " + index);
                samples = new SampleBuffer();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    readPoint(p, samples, index, labels);
                }
            } else if (name.equals("value") && expected == ResultType.VECTOR) {
                samples = new SampleBuffer();
                readPoint(p, samples, index, labels);
            } else if (name.equals("values") || name.equals("value")) {
                throw new MalformedAnswer("result element " + index + " has '" + name + "' in a " + expected.wire() + " answer");
            } else {
                p.skipChildren(); // native histograms: not an exporter's gauge
            }
        }
        if (labels == null) {
            throw new MalformedAnswer("result element " + index + " has no metric");
        }
        if (samples == null) {
            throw new MalformedAnswer("result element " + index + " " + labels + " has no " + expected.pointsField());
        }
        return new PromSeries(labels, samples.timestamps(), samples.values());
    }

    /** {@code [1700000000.123, "1.5"]}; the parser stands on the opening bracket. */
    private static void readPoint(JsonParser p, SampleBuffer samples, int index, Map<String, String> labels) {
        expect(p, p.currentToken(), JsonToken.START_ARRAY, "a sample of result element " + index);
        JsonToken time = p.nextToken();
        if (time != JsonToken.VALUE_NUMBER_INT && time != JsonToken.VALUE_NUMBER_FLOAT) {
            throw new MalformedAnswer("a sample time of result element " + index + " is " + describe(time));
        }
        long millis = Math.round(p.getDoubleValue() * 1000.0);
        JsonToken value = p.nextToken();
        if (value != JsonToken.VALUE_STRING) {
            throw new MalformedAnswer("a sample value of result element " + index + " is " + describe(value) + ", not a string");
        }
        double v = parseValue(p.getString());
        expect(p, p.nextToken(), JsonToken.END_ARRAY, "the end of a sample of result element " + index);
        if (!samples.add(millis, v)) {
            throw new MalformedAnswer("series " + (labels == null ? "(result element " + index + ")" : labels)
                    + " has a sample at " + java.time.Instant.ofEpochMilli(millis) + " that does not come after the one"
                    + " before it: samples out of order, or two samples at one time that contradict each other");
        }
    }

    static double parseValue(String s) {
        return switch (s) {
            case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> {
                if (!isDecimal(s)) {
                    throw new MalformedAnswer("sample value is not a number: " + abbreviate(s));
                }
                yield NumberInput.parseDouble(s, true); // correctly rounded, as Double.parseDouble, and faster
            }
        };
    }

    /**
     * Whether a value is written as Prometheus, Thanos and VictoriaMetrics write a finite number
     * (digits, a point, an exponent), not merely something Java would parse ({@code 1.5f},
     * {@code 0x1p3}, {@code Infinity}, {@code " 1"}). A scan, not a regular expression: it runs for
     * every sample of every answer.
     */
    static boolean isDecimal(String s) {
        int n = s.length();
        int i = n > 0 && s.charAt(0) == '-' ? 1 : 0;
        int digits = 0;
        while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            i++;
            digits++;
        }
        if (i < n && s.charAt(i) == '.') {
            i++;
            while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                i++;
                digits++;
            }
        }
        if (digits == 0) {
            return false;
        }
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                i++;
            }
            int exponent = 0;
            while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                i++;
                exponent++;
            }
            if (exponent == 0) {
                return false;
            }
        }
        return i == n;
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
        expect(p, p.currentToken(), JsonToken.START_ARRAY, "data");
        List<String> values = new ArrayList<>();
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t != JsonToken.VALUE_STRING) {
                throw new MalformedAnswer("element " + values.size() + " of data is " + describe(t) + ", not a string");
            }
            values.add(p.getString());
        }
        return values;
    }

    static List<Map<String, String>> readLabelSets(JsonParser p) {
        expect(p, p.currentToken(), JsonToken.START_ARRAY, "data");
        List<Map<String, String>> sets = new ArrayList<>();
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t != JsonToken.START_OBJECT) {
                throw new MalformedAnswer("element " + sets.size() + " of data is " + describe(t) + ", not a label set");
            }
            sets.add(readLabels(p));
        }
        return sets;
    }

    private static void expect(JsonParser p, JsonToken actual, JsonToken expected, String what) {
        if (actual != expected) {
            throw new MalformedAnswer(what + " is " + describe(actual) + " where " + describe(expected) + " belongs"
                    + " (at character " + p.currentLocation().getCharOffset() + ")");
        }
    }

    private static String describe(JsonToken t) {
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

    /** Redacted before it is cut, so that no part of a secret survives the cut. */
    private static String abbreviate(String text) {
        String s = Redactor.redact(text);
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }

    /** The answer parsed as JSON but is not what the API promises; the message names the defect. */
    static final class MalformedAnswer extends RuntimeException {
        MalformedAnswer(String message) {
            super(message);
        }
    }

    /** Growable primitive arrays: a day of 60 s samples per series without boxing. */
    private static final class SampleBuffer {
        private long[] times = new long[16];
        private double[] values = new double[16];
        private int size;

        /** False when {@code t} does not come after the previous sample's time. */
        boolean add(long t, double v) {
            if (size > 0 && t <= times[size - 1]) {
                return false;
            }
            if (size == times.length) {
                times = Arrays.copyOf(times, size * 2);
                values = Arrays.copyOf(values, size * 2);
            }
            times[size] = t;
            values[size] = v;
            size++;
            return true;
        }

        long[] timestamps() {
            return Arrays.copyOf(times, size);
        }

        double[] values() {
            return Arrays.copyOf(values, size);
        }
    }
}
