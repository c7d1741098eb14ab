package com.cloudtuner.kubecost.thanos;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.exc.JacksonIOException;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Streams a Prometheus HTTP API envelope ({@code status}, {@code data}, {@code warnings},
 * {@code errorType}, {@code error}) without building a tree, so a day of raw samples costs two
 * primitive arrays per series. Anything but a complete answer of the expected shape fails with a
 * message naming the defect: an answer of another shape must never pass for "no data".
 * One instance holds the envelope of one answer as far as it has been read.
 */
final class ApiResponseParser<T> {

    /** A key given twice (two {@code data}, two {@code status}) is a defect, not "the last one wins". */
    private static final ObjectMapper MAPPER = JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    @FunctionalInterface
    interface DataReader<T> {
        /** Reads the value of {@code data}; the parser stands on its first token. */
        T read(JsonParser p);
    }

    private final DataReader<T> dataReader;
    private final List<String> warnings = new ArrayList<>();
    private String status;
    private String errorType;
    private String error;
    private T data;

    private ApiResponseParser(DataReader<T> dataReader) {
        this.dataReader = dataReader;
    }

    static <T> T parse(InputStream body, DataReader<T> dataReader, String what) {
        return new ApiResponseParser<>(dataReader).read(body, what);
    }

    private T read(InputStream body, String what) {
        try (JsonParser p = MAPPER.createParser(body)) {
            JsonShapes.expect(p, p.nextToken(), JsonToken.START_OBJECT, "the answer");
            while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                readProperty(p);
            }
            if (p.nextToken() != null) {
                throw new MalformedAnswer("more content after the answer's closing brace");
            }
        } catch (JacksonIOException e) {
            throw e; // the body broke off in transit: a network fault, for the caller to retry
        } catch (JacksonException e) {
            throw new ThanosQueryException(what + ": unreadable response: " + e.getOriginalMessage(), false, e);
        } catch (MalformedAnswer e) {
            // of an error answer, the status (which the verdict reports) says more than the shape
            if (!isError()) {
                throw new ThanosQueryException(what + ": unreadable response: " + e.getMessage(), false, e);
            }
        }
        return verdict(what);
    }

    /** The parser stands on the property's name. */
    private void readProperty(JsonParser p) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        switch (name) {
            case "status" -> status = p.getValueAsString();
            case "errorType" -> errorType = p.getValueAsString();
            case "error" -> error = p.getValueAsString();
            case "warnings" -> readWarnings(p, value);
            case "data" -> data = value == JsonToken.VALUE_NULL || isError() ? skip(p) : dataReader.read(p);
            default -> p.skipChildren();
        }
    }

    private void readWarnings(JsonParser p, JsonToken value) {
        if (value == JsonToken.START_ARRAY) {
            JsonToken w;
            while ((w = p.nextToken()) != JsonToken.END_ARRAY) {
                if (w != JsonToken.VALUE_STRING) {
                    throw new MalformedAnswer("a warning is " + JsonShapes.describe(w) + ", not a string");
                }
                warnings.add(p.getString());
            }
        } else if (value != JsonToken.VALUE_NULL) {
            throw new MalformedAnswer("warnings is " + JsonShapes.describe(value) + ", not an array");
        }
    }

    private T skip(JsonParser p) {
        p.skipChildren();
        return null;
    }

    /** No status read yet is not an error: it may still come after the data. */
    private boolean isError() {
        return !"success".equals(status) && status != null;
    }

    /** The data, unless the status, a warning or its absence says it must not be used. */
    private T verdict(String what) {
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

    /** The answer parsed as JSON but is not what the API promises; the message names the defect. */
    static final class MalformedAnswer extends RuntimeException {
        MalformedAnswer(String message) {
            super(message);
        }
    }
}
