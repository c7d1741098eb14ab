package com.cloudtuner.kubecost.thanos;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Streams a Prometheus HTTP API envelope ({@code status}, {@code data}, {@code warnings},
 * {@code errorType}, {@code error}) without building a tree, so a day of raw samples costs
 * two primitive arrays per series.
 */
final class ApiResponseParser {

    private static final ObjectMapper MAPPER = JsonMapper.builder().build();

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
            expect(p, p.nextToken(), JsonToken.START_OBJECT);
            while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                switch (name) {
                    case "status" -> status = p.getValueAsString();
                    case "errorType" -> errorType = p.getValueAsString();
                    case "error" -> error = p.getValueAsString();
                    case "warnings" -> {
                        if (value == JsonToken.START_ARRAY) {
                            while (p.nextToken() != JsonToken.END_ARRAY) {
                                warnings.add(p.getValueAsString());
                            }
                        }
                    }
                    case "data" -> data = value == JsonToken.VALUE_NULL ? null : dataReader.read(p);
                    default -> p.skipChildren();
                }
            }
        } catch (JacksonException e) {
            throw new ThanosQueryException(what + ": unreadable response: " + e.getOriginalMessage(), false, e);
        } catch (IllegalStateException e) {
            throw new ThanosQueryException(what + ": unreadable response: " + e.getMessage(), false, e);
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
            throw new ThanosQueryException(what + ": response has no data", false);
        }
        return data;
    }

    /** {@code {"resultType": "matrix"|"vector", "result": [...]}} */
    static List<PromSeries> readSamples(JsonParser p) {
        expect(p, p.currentToken(), JsonToken.START_OBJECT);
        List<PromSeries> result = null;
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String name = p.currentName();
            p.nextToken();
            if (name.equals("result")) {
                result = readResult(p);
            } else {
                p.skipChildren();
            }
        }
        if (result == null) {
            throw new IllegalStateException("data has no result");
        }
        return result;
    }

    private static List<PromSeries> readResult(JsonParser p) {
        expect(p, p.currentToken(), JsonToken.START_ARRAY);
        List<PromSeries> series = new ArrayList<>();
        while (p.nextToken() == JsonToken.START_OBJECT) {
            Map<String, String> labels = Map.of();
            SampleBuffer samples = new SampleBuffer();
            while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                String name = p.currentName();
                p.nextToken();
                switch (name) {
                    case "metric" -> labels = readLabels(p);
                    case "values" -> {
                        expect(p, p.currentToken(), JsonToken.START_ARRAY);
                        while (p.nextToken() == JsonToken.START_ARRAY) {
                            readPoint(p, samples);
                        }
                    }
                    case "value" -> readPoint(p, samples);
                    default -> p.skipChildren(); // native histograms: not an exporter's gauge
                }
            }
            series.add(new PromSeries(labels, samples.timestamps(), samples.values()));
        }
        return series;
    }

    /** {@code [1700000000.123, "1.5"]}; the parser stands on the opening bracket. */
    private static void readPoint(JsonParser p, SampleBuffer samples) {
        expect(p, p.currentToken(), JsonToken.START_ARRAY);
        p.nextToken();
        long millis = Math.round(p.getDoubleValue() * 1000.0);
        p.nextToken();
        double value = parseValue(p.getValueAsString());
        expect(p, p.nextToken(), JsonToken.END_ARRAY);
        samples.add(millis, value);
    }

    static double parseValue(String s) {
        if (s == null) {
            throw new IllegalStateException("sample value is not a string");
        }
        return switch (s) {
            case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> {
                try {
                    yield Double.parseDouble(s);
                } catch (NumberFormatException e) {
                    throw new IllegalStateException("sample value is not a number: " + s);
                }
            }
        };
    }

    static Map<String, String> readLabels(JsonParser p) {
        expect(p, p.currentToken(), JsonToken.START_OBJECT);
        Map<String, String> labels = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String name = p.currentName();
            p.nextToken();
            labels.put(name, p.getValueAsString());
        }
        return labels;
    }

    static List<String> readStrings(JsonParser p) {
        expect(p, p.currentToken(), JsonToken.START_ARRAY);
        List<String> values = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            values.add(p.getValueAsString());
        }
        return values;
    }

    static List<Map<String, String>> readLabelSets(JsonParser p) {
        expect(p, p.currentToken(), JsonToken.START_ARRAY);
        List<Map<String, String>> sets = new ArrayList<>();
        while (p.nextToken() == JsonToken.START_OBJECT) {
            sets.add(readLabels(p));
        }
        return sets;
    }

    private static void expect(JsonParser p, JsonToken actual, JsonToken expected) {
        if (actual != expected) {
            throw new IllegalStateException("expected " + expected + " but found " + actual
                    + " at " + p.currentLocation().getCharOffset());
        }
    }

    /** Growable primitive arrays: a day of 60 s samples per series without boxing. */
    private static final class SampleBuffer {
        private long[] times = new long[64];
        private double[] values = new double[64];
        private int size;

        void add(long t, double v) {
            if (size == times.length) {
                times = Arrays.copyOf(times, size * 2);
                values = Arrays.copyOf(values, size * 2);
            }
            times[size] = t;
            values[size] = v;
            size++;
        }

        long[] timestamps() {
            return Arrays.copyOf(times, size);
        }

        double[] values() {
            return Arrays.copyOf(values, size);
        }
    }
}
