package io.blueorigin.cdn.httpcache;

import static java.util.Objects.requireNonNull;

/**
 * What the cache needs to know of a client request, independent of the server API that received it.
 *
 * @param method the request method, as received (methods are case-sensitive, RFC 9110 §9.1)
 * @param fields the request's header fields
 * @param directives its parsed cache directives
 */
public record RequestFacts(String method, FieldLookup fields, RequestDirectives directives) {

    public RequestFacts {
        requireNonNull(method, "method is null");
        requireNonNull(fields, "fields is null");
        requireNonNull(directives, "directives is null");
    }

    public static RequestFacts of(String method, FieldLookup fields) {
        return new RequestFacts(method, fields, RequestDirectives.parse(fields));
    }

    public boolean isGet() {
        return method.equals("GET");
    }

    public boolean isHead() {
        return method.equals("HEAD");
    }

    public boolean isGetOrHead() {
        return isGet() || isHead();
    }

    /** Safe methods (RFC 9110 §9.2.1) never invalidate; everything else, including unknown methods, does. */
    public boolean isSafe() {
        return switch (method) {
            case "GET", "HEAD", "OPTIONS", "TRACE" -> true;
            default -> false;
        };
    }

    public boolean hasAuthorization() {
        return fields.has("Authorization");
    }
}
