package io.blueorigin.cdn.admin.api;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
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
    /** Thread-safe once built; never reconfigured. */
    private static final ObjectMapper STRICT = JsonMapper.builder()
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

    private ApiJson() {}

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
            return STRICT.readValue(body, type);
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
        } catch (java.io.IOException e) {
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
