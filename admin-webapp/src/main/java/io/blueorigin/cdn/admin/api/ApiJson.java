package io.blueorigin.cdn.admin.api;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Strict JSON for the API. Requests bind to records; anything but exactly the documented shape is a
 * {@link ApiException#badRequest 400} whose message names the field: unknown fields, duplicate fields, wrong
 * types (no coercion: {@code "1"} is not a number, {@code 1} is not a boolean or a string, {@code 1.5} is not
 * an integer), malformed JSON, and anything after the JSON value. Absent and {@code null} fields are both
 * left to the handler's validation (which says "required").
 */
final class ApiJson {
    /**
     * Deepest nesting a request may have. Jackson's default (1000) would let a 1 MiB body make every
     * recursive check walk 1000 levels; no documented body nests beyond a few levels, and heartbeat stats
     * are refused past {@code NodesApi.MAX_STATS_DEPTH} anyway.
     */
    static final int MAX_NESTING_DEPTH = 64;
    /** Longest number literal (digits): Jackson's default, stated here because it bounds parse cost. */
    static final int MAX_NUMBER_LENGTH = 1000;
    /** Thread-safe once built; never reconfigured. */
    private static final ObjectMapper STRICT = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH)
                            .maxNumberLength(MAX_NUMBER_LENGTH).maxStringLength(ApiCall.MAX_BODY_BYTES).build())
                    .build())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES,
                    DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES,
                    DeserializationFeature.FAIL_ON_TRAILING_TOKENS,
                    DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .withCoercionConfigDefaults(config -> {
                for (CoercionInputShape shape : CoercionInputShape.values()) {
                    config.setCoercion(shape, CoercionAction.Fail);
                }
                config.setAcceptBlankAsEmpty(false);
            })
            .build();
    /** Compact output for responses. */
    private static final ObjectMapper WRITER = new ObjectMapper();
    /** Writes one value into a streamed answer, leaving flushing to the stream. */
    private static final ObjectWriter STREAM_WRITER = WRITER.writer().without(SerializationFeature.FLUSH_AFTER_WRITE_VALUE);

    private ApiJson() {}

    /** A generator writing compact UTF-8 JSON to {@code out} (closing it closes {@code out}). */
    static JsonGenerator generator(OutputStream out) throws IOException {
        return WRITER.getFactory().createGenerator(out, JsonEncoding.UTF8);
    }

    /** Writes {@code value} at the generator's position (an array element, a field's value). */
    static void write(JsonGenerator generator, Object value) throws IOException {
        STREAM_WRITER.writeValue(generator, value);
    }

    /** How many bytes {@code value} takes as compact JSON, computed without holding them. */
    static long size(Object value) {
        CountingOutputStream counter = new CountingOutputStream(OutputStream.nullOutputStream());
        try {
            WRITER.writeValue(counter, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return counter.count();
    }

    static byte[] write(Object value) {
        try {
            return WRITER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String writeString(Object value) {
        try {
            return WRITER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code body} as a {@code type}, or a 400 naming what is wrong and where. */
    static <T> T read(byte[] body, Class<T> type) throws ApiException {
        if (body.length == 0) {
            throw ApiException.badRequest("body: expected a JSON object (the body is empty)");
        }
        try {
            T value = STRICT.readValue(body, type);
            if (value == null) {
                throw ApiException.badRequest("body: expected a JSON object (got null)");
            }
            return value;
        } catch (UnrecognizedPropertyException e) {
            String field = path(e.getPath().subList(0, e.getPath().size() - 1), e.getPropertyName());
            throw ApiException.badRequest(field + ": unknown field (expected: " + known(e.getKnownPropertyIds()) + ")");
        } catch (JsonParseException e) {
            throw ApiException.badRequest("body: malformed JSON" + at(e.getLocation()) + ": " + e.getOriginalMessage());
        } catch (InputCoercionException | StreamConstraintsException e) {
            throw ApiException.badRequest("body" + at(e.getLocation()) + ": " + e.getOriginalMessage());
        } catch (MismatchedInputException e) {
            if (e.getPath().isEmpty()) {
                String message = e.getOriginalMessage();
                if (message.startsWith("Trailing token")) {
                    throw ApiException.badRequest("body: unexpected content after the JSON object" + at(e.getLocation()));
                }
                throw ApiException.badRequest("body: expected a JSON object" + at(e.getLocation()));
            }
            throw ApiException.badRequest(path(e.getPath(), null) + ": expected " + describe(e.getTargetType()));
        } catch (JsonMappingException e) {
            // e.g. a number out of range, or a duplicate key inside a free-form object
            String where = e.getPath().isEmpty() ? "body" : path(e.getPath(), null);
            throw ApiException.badRequest(where + ": " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("body: malformed JSON" + at(e.getLocation()) + ": " + e.getOriginalMessage());
        } catch (java.io.CharConversionException e) {
            // Jackson guesses the encoding from the first bytes (RFC 4627); a body that looks like UTF-32 but is cut short
            throw ApiException.badRequest("body: not a JSON text in UTF-8 (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw new UncheckedIOException(e); // reading a byte array does not do I/O
        }
    }

    /** {@code urls[2]}, {@code ban.kind}, {@code acks[0].appliedAt}. */
    private static String path(List<JsonMappingException.Reference> references, String last) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : references) {
            if (reference.getFieldName() != null) {
                if (path.length() > 0) {
                    path.append('.');
                }
                path.append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        if (last != null) {
            if (path.length() > 0) {
                path.append('.');
            }
            path.append(last);
        }
        return path.length() == 0 ? "body" : path.toString();
    }

    private static String known(Collection<Object> ids) {
        return ids.stream().map(String::valueOf).collect(Collectors.toCollection(TreeSet::new)).stream()
                .collect(Collectors.joining(", "));
    }

    private static String at(JsonLocation location) {
        return location == null || location.getLineNr() < 0 ? ""
                : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    private static String describe(Class<?> type) {
        if (type == null) {
            return "another type";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == Long.class || type == long.class || type == Integer.class || type == int.class) {
            return "an integer";
        }
        if (List.class.isAssignableFrom(type) || type.isArray()) {
            return "a list";
        }
        if (JsonNode.class.isAssignableFrom(type) || type.isRecord()) {
            return "a JSON object";
        }
        return "a " + type.getSimpleName();
    }
}
