package io.blueorigin.cdn.testkit;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A request as the test origin received it.
 *
 * @param method request method
 * @param path raw path (still percent-encoded)
 * @param query raw query, or empty
 * @param headers header fields in arrival order, names as sent
 * @param body the request body
 */
public record RecordedRequest(String method, String path, Optional<String> query, List<Map.Entry<String, String>> headers,
        byte[] body) {

    public RecordedRequest {
        headers = List.copyOf(headers);
    }

    /** The first value of header {@code name} (case-insensitive). */
    public Optional<String> header(String name) {
        return headers.stream().filter(h -> h.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue).findFirst();
    }

    /** Every value of header {@code name} (case-insensitive), in order. */
    public List<String> headers(String name) {
        return headers.stream().filter(h -> h.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue).toList();
    }

    public boolean hasHeader(String name) {
        return header(name).isPresent();
    }

    /** Lower-case names of every header received. */
    public List<String> headerNames() {
        return headers.stream().map(h -> h.getKey().toLowerCase(Locale.ROOT)).toList();
    }

    public String bodyAsString() {
        return new String(body, java.nio.charset.StandardCharsets.UTF_8);
    }
}
