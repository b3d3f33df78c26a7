package io.blueorigin.cdn.runtime;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * One condition a node must meet before it should receive traffic (store open, invalidations caught up,
 * database reachable). Checks are called on the management thread for every {@code /readyz} request, so
 * they must be cheap and must not block on I/O for long: report the state a background task maintains.
 */
@FunctionalInterface
public interface ReadinessCheck {

    Result check();

    /**
     * @param ready whether this condition holds
     * @param details facts for the operator, rendered as JSON (values: strings, numbers, booleans, maps)
     */
    record Result(boolean ready, Map<String, Object> details) {
        public Result {
            requireNonNull(details, "details is null");
            details = Map.copyOf(details);
        }

        public static Result ready(Map<String, Object> details) {
            return new Result(true, details);
        }

        public static Result notReady(Map<String, Object> details) {
            return new Result(false, details);
        }
    }
}
