package io.blueorigin.cdn.admin.api;

import static java.util.Objects.requireNonNull;

import io.blueorigin.cdn.admin.db.ApiToken;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * One API request as a handler sees it: the authenticated token, path parameters, the body (size-limited,
 * {@code application/json}, strictly parsed), the query (only known parameters), and ways to answer.
 * Confined to the request's thread until a handler starts async processing.
 */
final class ApiCall {
    /** Largest request body: 1 MiB. */
    static final int MAX_BODY_BYTES = 1 << 20;
    /** How much of an oversized chunked body is read and dropped so the 413 reaches the client. */
    static final long DRAIN_LIMIT_BYTES = 4L << 20;

    private final HttpServletRequest request;
    private final HttpServletResponse response;
    private final ApiToken token;
    private final Map<String, String> parameters;

    ApiCall(HttpServletRequest request, HttpServletResponse response, ApiToken token, Map<String, String> parameters) {
        this.request = requireNonNull(request, "request is null");
        this.response = requireNonNull(response, "response is null");
        this.token = requireNonNull(token, "token is null");
        this.parameters = Map.copyOf(parameters);
    }

    /** The authenticated token (its id is {@code created_by} of what this request appends). */
    ApiToken token() {
        return token;
    }

    /** The path parameter {@code name} of the matched route ({@code {name}} in its pattern). */
    String parameter(String name) {
        String value = parameters.get(name);
        if (value == null) {
            throw new IllegalStateException("the route has no parameter " + name);
        }
        return value;
    }

    /** The authenticated token must be the node token of {@code name} (403 otherwise, see {@link Access}). */
    void checkActingAs(String name) throws ApiException {
        Access.checkActingAs(token, name);
    }

    /**
     * The body as {@code type}: 415 unless {@code Content-Type: application/json} (UTF-8), 413 above
     * {@value #MAX_BODY_BYTES} bytes, 400 for anything but the documented shape ({@link ApiJson#read}).
     *
     * <p>Also accepted: {@code application/x-www-form-urlencoded} whose body is a JSON object, which is what
     * {@code curl -d '{...}'} sends when the {@code Content-Type} is left out (the README's examples). A real
     * form body ({@code urls=/a}) is still a 415. Deviation from RFC 9110 §8.3 (the body is not what its
     * type says): deliberate, it costs nothing and the alternative is a purge that silently did not happen.
     */
    <T> T body(Class<T> type) throws ApiException, IOException {
        BodyType bodyType = bodyType(request.getContentType());
        long declared = request.getContentLengthLong(); // -1 when chunked
        if (declared > MAX_BODY_BYTES + DRAIN_LIMIT_BYTES) {
            throw tooLarge(declared); // too much to read for a refusal: the connection is closed instead
        }
        byte[] body;
        try (InputStream in = request.getInputStream()) {
            body = in.readNBytes(MAX_BODY_BYTES + 1);
            if (body.length > MAX_BODY_BYTES) {
                drain(in);
                throw tooLarge(declared);
            }
        }
        if (bodyType == BodyType.FORM && !startsLikeJsonObject(body)) {
            throw ApiException.unsupportedMediaType("Content-Type: expected application/json (got '"
                    + request.getContentType() + "' with a body that is not a JSON object); send -H 'Content-Type: application/json'");
        }
        return ApiJson.read(body, type);
    }

    /** What a body's {@code Content-Type} says it is. */
    private enum BodyType {
        JSON,
        /** {@code application/x-www-form-urlencoded}: taken as JSON if the body is a JSON object (curl's default). */
        FORM
    }

    /** Whether the first byte that is not JSON whitespace opens an object. */
    private static boolean startsLikeJsonObject(byte[] body) {
        for (byte b : body) {
            if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                return b == '{';
            }
        }
        return false;
    }

    /**
     * Reads and drops what is left of an oversized body, up to {@link #DRAIN_LIMIT_BYTES}: closing a
     * connection with unread bytes makes TCP reset it, and the client would lose the 413. A larger body
     * is cut off (the connection closes) rather than read.
     */
    private static void drain(InputStream in) throws IOException {
        byte[] scratch = new byte[64 * 1024];
        long left = DRAIN_LIMIT_BYTES;
        int n;
        while (left > 0 && (n = in.read(scratch, 0, (int) Math.min(scratch.length, left))) > 0) {
            left -= n;
        }
    }

    private static ApiException tooLarge(long declared) {
        return ApiException.payloadTooLarge("body: at most " + MAX_BODY_BYTES + " bytes (1 MiB)"
                + (declared >= 0 ? " (got " + declared + ")" : "") + "; split the request");
    }

    private static BodyType bodyType(@Nullable String contentType) throws ApiException {
        String expected = "Content-Type: expected application/json";
        if (contentType == null) {
            throw ApiException.unsupportedMediaType(expected + " (none was sent)");
        }
        String[] parts = contentType.split(";");
        String mediaType = parts[0].trim().toLowerCase(Locale.ROOT);
        BodyType bodyType = switch (mediaType) {
            case "application/json" -> BodyType.JSON;
            case "application/x-www-form-urlencoded" -> BodyType.FORM;
            default -> throw ApiException.unsupportedMediaType(expected + " (got '" + contentType + "')");
        };
        for (String parameter : Arrays.asList(parts).subList(1, parts.length)) {
            String[] nameValue = parameter.trim().split("=", 2);
            if (nameValue[0].trim().equalsIgnoreCase("charset") && (nameValue.length < 2
                    || !nameValue[1].trim().replace("\"", "").equalsIgnoreCase("utf-8"))) {
                throw ApiException.unsupportedMediaType(expected + " in UTF-8 (got '" + contentType + "')");
            }
        }
        return bodyType;
    }

    /** The query, refusing parameters other than {@code allowed} and repeated ones. */
    Query query(String... allowed) throws ApiException {
        Map<String, String[]> map;
        try {
            map = request.getParameterMap();
        } catch (RuntimeException e) {
            throw ApiException.badRequest("query: malformed (" + e.getMessage() + ")");
        }
        Set<String> known = Set.of(allowed);
        for (Map.Entry<String, String[]> entry : map.entrySet()) {
            if (!known.contains(entry.getKey())) {
                throw ApiException.badRequest(entry.getKey() + ": unknown query parameter (expected: "
                        + String.join(", ", new TreeSet<>(known)) + ")");
            }
            if (entry.getValue().length > 1) {
                throw ApiException.badRequest(entry.getKey() + ": given " + entry.getValue().length + " times (expected once)");
            }
        }
        return new Query(map);
    }

    void respond(int status, Object body) throws IOException {
        ApiResponses.json(response, status, body);
    }

    void noContent() {
        ApiResponses.noContent(response);
    }

    HttpServletRequest request() {
        return request;
    }

    HttpServletResponse response() {
        return response;
    }

    /** Validated query parameters. */
    static final class Query {
        private final Map<String, String[]> parameters;

        private Query(Map<String, String[]> parameters) {
            this.parameters = parameters;
        }

        /** The value of {@code name}, if given (possibly empty). */
        Optional<String> text(String name) {
            String[] values = parameters.get(name);
            return values == null ? Optional.empty() : Optional.of(values[0]);
        }

        /** An integer in {@code min..max}; {@code fallback} when absent, 400 when absent and fallback is null. */
        long integer(String name, long min, long max, @Nullable Long fallback) throws ApiException {
            String[] values = parameters.get(name);
            String range = min + ".." + max;
            if (values == null) {
                if (fallback == null) {
                    throw ApiException.badRequest(name + ": required query parameter (an integer " + range + ")");
                }
                return fallback;
            }
            long value;
            try {
                value = Long.parseLong(values[0]);
            } catch (NumberFormatException e) {
                throw ApiException.badRequest(name + ": '" + values[0] + "' is not an integer (expected " + range + ")");
            }
            if (value < min || value > max) {
                throw ApiException.badRequest(name + ": " + value + " is out of range (expected " + range + ")");
            }
            return value;
        }
    }
}
