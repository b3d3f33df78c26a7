package io.blueorigin.cdn.admin.console;

import static java.util.Objects.requireNonNull;

import io.blueorigin.cdn.admin.Scope;
import io.blueorigin.cdn.admin.api.ApiException;
import java.io.IOException;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One console endpoint: method, path below {@code /console} with {@code {name}} segments, the role it needs
 * (a user's role grants it as a token's scope would: admin implies purge implies read), and its handler.
 */
record ConsoleRoute(String method, String pattern, Scope scope, Handler handler) {
    ConsoleRoute {
        requireNonNull(method, "method is null");
        requireNonNull(pattern, "pattern is null");
        requireNonNull(scope, "scope is null");
        requireNonNull(handler, "handler is null");
    }

    /** What answers a console request. */
    @FunctionalInterface
    interface Handler {
        void handle(Exchange exchange) throws ApiException, SQLException, IOException, Exchange.BadInput;
    }

    static ConsoleRoute get(String pattern, Scope scope, Handler handler) {
        return new ConsoleRoute("GET", pattern, scope, handler);
    }

    static ConsoleRoute post(String pattern, Scope scope, Handler handler) {
        return new ConsoleRoute("POST", pattern, scope, handler);
    }

    /** The path parameters when {@code path} matches the pattern (segment by segment; {@code {x}} takes one). */
    Optional<Map<String, String>> match(String path) {
        List<String> want = List.of(pattern.split("/", -1));
        List<String> got = List.of(path.split("/", -1));
        if (want.size() != got.size()) {
            return Optional.empty();
        }
        Map<String, String> parameters = new HashMap<>();
        for (int i = 0; i < want.size(); i++) {
            String segment = want.get(i);
            if (segment.startsWith("{") && segment.endsWith("}")) {
                if (got.get(i).isEmpty()) {
                    return Optional.empty();
                }
                parameters.put(segment.substring(1, segment.length() - 1), got.get(i));
            } else if (!segment.equals(got.get(i))) {
                return Optional.empty();
            }
        }
        return Optional.of(parameters);
    }
}
