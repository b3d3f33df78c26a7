package io.blueorigin.cdn.admin.api;

import static java.util.Objects.requireNonNull;

import io.blueorigin.cdn.admin.Scope;
import java.io.IOException;
import java.sql.SQLException;
import java.util.List;

/**
 * One endpoint: method, path pattern ({@code /api/v1/nodes/{name}/acks}: a {@code {...}} segment matches any
 * one segment and becomes a path parameter), the scope it needs, and its handler.
 */
record Route(String method, String pattern, Scope scope, Handler handler) {

    /** Handles one request; may start async processing (then it owns completing the request). */
    @FunctionalInterface
    interface Handler {
        void handle(ApiCall call) throws ApiException, SQLException, IOException;
    }

    Route {
        requireNonNull(method, "method is null");
        requireNonNull(pattern, "pattern is null");
        requireNonNull(scope, "scope is null");
        requireNonNull(handler, "handler is null");
        if (!pattern.startsWith("/")) {
            throw new IllegalArgumentException("pattern must start with '/': " + pattern);
        }
    }

    List<String> segments() {
        return List.of(pattern.substring(1).split("/", -1));
    }
}
