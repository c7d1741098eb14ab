package com.cloudtuner.kubecost.thanos;

import static com.cloudtuner.kubecost.thanos.JsonShapes.describe;
import static com.cloudtuner.kubecost.thanos.JsonShapes.expect;

import com.cloudtuner.kubecost.thanos.ApiResponseParser.DataReader;
import com.cloudtuner.kubecost.thanos.ApiResponseParser.MalformedAnswer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * The {@code data} of a query answer, {@code {"resultType": "matrix"|"vector", "result": [series...]}},
 * streamed into series of primitive arrays. Only the result type the request asks for is accepted:
 * a vector where a matrix belongs would pass one sample per series off as all of them.
 */
final class SeriesReader implements DataReader<List<PromSeries>> {

    private final ResultType expected;

    SeriesReader(ResultType expected) {
        this.expected = expected;
    }

    @Override
    public List<PromSeries> read(JsonParser p) {
        expect(p, p.currentToken(), JsonToken.START_OBJECT, "data");
        List<PromSeries> result = null;
        String resultType = null;
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            if (name.equals("result")) {
                result = readResult(p);
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
        if (result == null) {
            throw new MalformedAnswer("data has no result");
        }
        return result;
    }

    private List<PromSeries> readResult(JsonParser p) {
        expect(p, p.currentToken(), JsonToken.START_ARRAY, "result");
        List<PromSeries> series = new ArrayList<>();
        Set<Map<String, String>> seen = new HashSet<>();
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            int index = series.size();
            if (t != JsonToken.START_OBJECT) {
                throw new MalformedAnswer("result element " + index + " is " + describe(t) + ", not a series object");
            }
            PromSeries s = readSeries(p, index);
            if (!seen.add(s.labels())) {
                // Prometheus never answers one label set twice; pooling the two would average a broken upstream
                throw new MalformedAnswer("result element " + index + " repeats the labels of an earlier series: "
                        + s.labels());
            }
            series.add(s);
        }
        return series;
    }

    private PromSeries readSeries(JsonParser p, int index) {
        Map<String, String> labels = null;
        SampleBuffer samples = null;
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            if (name.equals("metric")) {
                labels = JsonShapes.readLabels(p);
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
        double v = SampleValue.parse(p.getString());
        expect(p, p.nextToken(), JsonToken.END_ARRAY, "the end of a sample of result element " + index);
        if (!samples.add(millis, v)) {
            throw new MalformedAnswer("series " + (labels == null ? "(result element " + index + ")" : labels)
                    + " has a sample at " + java.time.Instant.ofEpochMilli(millis) + " that does not come after the one"
                    + " before it: samples out of order, or two samples at one time that contradict each other");
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
