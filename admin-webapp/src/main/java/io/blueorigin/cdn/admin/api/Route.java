package io.blueorigin.cdn.admin.api;

import static java.util.Objects.requireNonNull;

import io.blueorigin.cdn.admin.Scope;
import java.io.IOException;
import java.sql.SQLException;
import java.util.List;

/**
 * One endpoint: method, path pattern ({@code /api/v1/nodes/{name}/acks}: a {@code {...}} segment matches any
 * one segment and becomes a path parameter), the scope it needs, and its handler. {@code nodesToo}: node
 * tokens may call it as well (a read every node needs, such as the site table), whatever node they are bound to.
 */
record Route(String method, String pattern, Scope scope, boolean nodesToo, Handler handler) {

    /** Handles one request; may start async processing (then it owns completing the request). */
    @FunctionalInterface
    interface Handler {
        void handle(ApiCall call) throws ApiException, SQLException, IOException;
    }

    Route(String method, String pattern, Scope scope, Handler handler) {
        this(method, pattern, scope, false, handler);
    }

    Route {
        requireNonNull(method, "method is null");
        requireNonNull(pattern, "pattern is null");
        requireNonNull(scope, "scope is null");
        requireNonNull(handler, "handler is null");
        if (!pattern.startsWith("/")) {
            throw new IllegalArgumentException("pattern must start with '/': " + pattern);
        }
        if (nodesToo && scope == Scope.NODE) {
            throw new IllegalArgumentException("nodesToo is for routes of other scopes: " + pattern);
        }
    }

    List<String> segments() {
        return List.of(pattern.substring(1).split("/", -1));
    }
}
