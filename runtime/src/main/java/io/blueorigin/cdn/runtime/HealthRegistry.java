package io.blueorigin.cdn.runtime;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The readiness checks of one node, by name, and the facts {@code /healthz} reports. Components register
 * their checks while the node is assembled; the management server evaluates them per request.
 *
 * <p>Thread-safe: checks live in a concurrent map; evaluation order is registration order only for display.
 */
public final class HealthRegistry {
    private final NodeIdentity identity;
    private final Instant startedAt;
    private final Clock clock;
    private final Map<String, ReadinessCheck> checks = new ConcurrentHashMap<>();
    private final Map<String, Integer> order = new ConcurrentHashMap<>();

    public HealthRegistry(NodeIdentity identity, Clock clock) {
        this.identity = requireNonNull(identity, "identity is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.startedAt = clock.instant();
    }

    public HealthRegistry(NodeIdentity identity) {
        this(identity, Clock.systemUTC());
    }

    public NodeIdentity identity() {
        return identity;
    }

    /** Adds (or replaces) the check called {@code name}. */
    public void register(String name, ReadinessCheck check) {
        requireNonNull(name, "name is null");
        requireNonNull(check, "check is null");
        order.putIfAbsent(name, order.size());
        checks.put(name, check);
    }

    /** Liveness facts: the process answers, and who it is. */
    public Map<String, Object> liveness() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "up");
        body.put("role", identity.role().label());
        body.put("node", identity.name());
        body.put("pop", identity.pop());
        body.put("uptimeSeconds", Duration.between(startedAt, clock.instant()).toSeconds());
        return body;
    }

    /** Evaluates every check; a check that throws counts as not ready, with its message. */
    public Readiness readiness() {
        Map<String, Object> results = new LinkedHashMap<>();
        boolean ready = true;
        for (String name : checks.keySet().stream().sorted((a, b) -> order.get(a) - order.get(b)).toList()) {
            ReadinessCheck.Result result;
            try {
                result = checks.get(name).check();
            } catch (RuntimeException e) {
                result = ReadinessCheck.Result.notReady(Map.of("error", String.valueOf(e.getMessage())));
            }
            ready &= result.ready();
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("ready", result.ready());
            entry.putAll(result.details());
            results.put(name, entry);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", ready ? "ready" : "not-ready");
        body.put("node", identity.name());
        body.put("checks", results);
        return new Readiness(ready, body);
    }

    /** The outcome of all checks: {@code ready} iff every check is ready; {@code body} is the JSON shown. */
    public record Readiness(boolean ready, Map<String, Object> body) {}
}
