package io.blueorigin.cdn.router;

import static java.util.Objects.requireNonNull;

import com.codahale.metrics.Counter;
import io.blueorigin.cdn.router.RouteDecision.Reason;
import io.blueorigin.cdn.runtime.metrics.NodeMetrics;
import java.net.InetAddress;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Routes one client: locates its address ({@link GeoLocator}) and applies the {@link RoutingPolicy} to the
 * current {@link HealthView}. Shared by the HTTP endpoints and the DNS server, so both decide alike; counts
 * each decision by reason ({@code cdn_router_decisions_total}).
 *
 * <p>Thread-safe: the locator and policy are, and the view is read once per decision from its owner.
 */
public final class Router {
    private final GeoLocator locator;
    private final RoutingPolicy policy;
    private final Supplier<@Nullable HealthView> view;
    private final Map<Reason, Counter> decisions = new EnumMap<>(Reason.class);

    /**
     * @param view the current view, or null before the first one (every decision is then {@code NONE_AVAILABLE})
     */
    public Router(GeoLocator locator, RoutingPolicy policy, Supplier<@Nullable HealthView> view, NodeMetrics metrics) {
        this.locator = requireNonNull(locator, "locator is null");
        this.policy = requireNonNull(policy, "policy is null");
        this.view = requireNonNull(view, "view is null");
        for (Reason reason : Reason.values()) {
            decisions.put(reason, metrics.counter("cdn_router_decisions_total",
                    "Routing decisions (HTTP redirects, route queries and DNS answers), by reason",
                    "reason", reason.name().toLowerCase(Locale.ROOT)));
        }
    }

    /** The decision for a client at {@code client}, keyed by {@link ClientAddress#key}. */
    public Routed route(InetAddress client) {
        return route(client, ClientAddress.key(client));
    }

    /** The decision for a client located by {@code locateBy} (e.g. an EDNS client subnet) with key {@code key}. */
    public Routed route(InetAddress locateBy, String key) {
        HealthView current = view.get();
        Coordinates location = locator.locate(locateBy).orElse(null);
        RouteDecision decision = current == null ? RouteDecision.noneAvailable()
                : policy.choose(location, key, current.edges());
        decisions.get(decision.reason()).inc();
        return new Routed(locateBy, location, decision, current);
    }

    /** The configured default POP, if any. */
    public @Nullable String defaultPop() {
        return policy.defaultPop().orElse(null);
    }

    /**
     * One decision and what it was made from.
     *
     * @param client the address located
     * @param location where it is, or null when unknown
     * @param view the view decided on, or null when the router has none yet
     */
    public record Routed(InetAddress client, @Nullable Coordinates location, RouteDecision decision,
            @Nullable HealthView view) {
        /** The DNS addresses of the chosen edge (empty without a choice). */
        public List<InetAddress> addresses() {
            return decision.chosen().map(e -> view == null ? List.<InetAddress>of() : view.addressesOf(e.name()))
                    .orElse(List.of());
        }

        /** The version of the view decided on, -1 without one. */
        public long viewVersion() {
            return view == null ? -1 : view.version();
        }
    }
}
