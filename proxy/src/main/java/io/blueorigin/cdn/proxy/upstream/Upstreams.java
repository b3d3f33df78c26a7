package io.blueorigin.cdn.proxy.upstream;

import io.blueorigin.cdn.proxy.UpstreamConfig;
import io.blueorigin.cdn.httpcache.site.Origin;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The upstreams of one node and which one serves a key: with several (a shield tier), the consistent-hash
 * ring's first member for the key that is neither marked down nor behind an open breaker; with every one
 * unusable, the fallback (the origin) if configured, else the key's own ring member, which then fails
 * fast or is probed. One upstream: always it. Thread-safe.
 *
 * <p>An edge's shield ring follows admin's registry ({@link #replaceMembers}): the ring is replaced whole
 * (one volatile write of an immutable {@link HashRing}), shared by every per-site view made with
 * {@link #withSiteFallback}, so each site sees the new shields at once. A shield that stays keeps its
 * {@link Upstream} (breaker, gate, mark-down); being a consistent-hash ring, adding or removing one of N
 * shields moves about 1/N of the keys.
 */
public final class Upstreams {
    private static final Logger LOG = LoggerFactory.getLogger(Upstreams.class);

    private final Members ring;
    private final @Nullable Upstream fallback;
    private final @Nullable UpstreamConfig config;
    private final long downMillis;
    private final LongSupplier clock;

    public Upstreams(UpstreamConfig config, LongSupplier clock) {
        this.clock = clock;
        this.config = config;
        this.downMillis = config.downTime().toMillis();
        List<Upstream> members = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (URI url : config.urls()) {
            members.add(create(config, url, false));
            names.add(url.toString());
        }
        this.ring = new Members(new HashRing<>(members, names, HashRing.DEFAULT_VIRTUAL_NODES));
        this.fallback = config.fallback().map(url -> create(config, url, true)).orElse(null);
    }

    private Upstreams(Members ring, @Nullable Upstream fallback, long downMillis, LongSupplier clock) {
        this.ring = ring;
        this.config = null;
        this.fallback = fallback;
        this.downMillis = downMillis;
        this.clock = clock;
    }

    /**
     * A site's origins, as a shield fetches them: a ring over them (one origin: always it), each with its own
     * gate ({@code maxConcurrent} of the origin, {@code upstream.max-queued} of the node) and breaker
     * ({@code upstream.breaker.*}), so one site's failing origin opens its own breakers only.
     */
    public static Upstreams ofOrigins(List<Origin> origins, UpstreamConfig node, LongSupplier clock) {
        List<Upstream> members = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (Origin o : origins) {
            members.add(originUpstream(o, node, clock, false));
            names.add(o.url().toString());
        }
        return new Upstreams(new Members(new HashRing<>(members, names, HashRing.DEFAULT_VIRTUAL_NODES)), null,
                node.downTime().toMillis(), clock);
    }

    /**
     * An edge's upstreams for one site: these shields, shared (one breaker and gate per shield, whatever the
     * site), and as fallback the site's {@code origin} instead of the node's ({@code upstream.fallback-url}),
     * so a fallback never fetches one site's key from another site's origin. No fallback when this has none.
     */
    public Upstreams withSiteFallback(@Nullable Origin origin, UpstreamConfig node) {
        if (fallback == null || origin == null) {
            return new Upstreams(ring, null, downMillis, clock);
        }
        return new Upstreams(ring, originUpstream(origin, node, clock, true), downMillis, clock);
    }

    private static Upstream originUpstream(Origin o, UpstreamConfig node, LongSupplier clock, boolean isFallback) {
        return new Upstream(o.url(), new CircuitBreaker(node.breakerFailures(), node.breakerOpenTime().toMillis(), clock),
                new ConcurrencyGate(o.maxConcurrent(), UpstreamConfig.defaultMaxConcurrentPass(o.maxConcurrent()),
                        node.maxQueued()), isFallback, o);
    }

    /**
     * Makes {@code urls} the ring's members (an edge's shields as admin's registry lists them): members that
     * stay keep their state, new ones start closed and unmarked. Only on the node's own upstreams (made from
     * its configuration); an empty list is ignored (a ring is never empty: the configured or last-known shields
     * stay, and their breakers judge them).
     *
     * @return whether the members changed
     */
    public synchronized boolean replaceMembers(List<URI> urls) {
        if (config == null) {
            throw new IllegalStateException("only the node's own upstreams follow the registry");
        }
        List<URI> wanted = urls.stream().distinct().sorted().toList();
        HashRing<Upstream> current = ring.current;
        List<URI> have = current.members().stream().map(Upstream::url).sorted().toList();
        if (wanted.isEmpty() || wanted.equals(have)) {
            return false;
        }
        List<Upstream> members = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (URI url : wanted) {
            Upstream kept = current.members().stream().filter(u -> u.url().equals(url)).findFirst().orElse(null);
            members.add(kept != null ? kept : create(config, url, false));
            names.add(url.toString());
        }
        ring.current = new HashRing<>(members, names, HashRing.DEFAULT_VIRTUAL_NODES);
        LOG.info("upstream ring now {} (was {})", wanted, have);
        return true;
    }

    /** The ring, replaced whole by {@link #replaceMembers}; shared by this node's per-site views. */
    private static final class Members {
        volatile HashRing<Upstream> current;

        Members(HashRing<Upstream> current) {
            this.current = current;
        }
    }

    private Upstream create(UpstreamConfig config, URI url, boolean isFallback) {
        return new Upstream(url, new CircuitBreaker(config.breakerFailures(), config.breakerOpenTime().toMillis(), clock),
                new ConcurrencyGate(config.maxConcurrent(), config.maxConcurrentPass(), config.maxQueued()), isFallback);
    }

    /** The upstream for {@code key} now. */
    public Upstream select(String key) {
        HashRing<Upstream> r = ring.current;
        List<Upstream> members = r.members();
        if (members.size() == 1 && fallback == null) {
            return members.get(0);
        }
        long now = clock.getAsLong();
        Upstream usable = r.first(key, u -> !u.isDown(now) && u.breaker().state() != CircuitBreaker.State.OPEN);
        if (usable != null) {
            return usable;
        }
        return fallback != null ? fallback : r.owner(key);
    }

    /**
     * The next choice for {@code key} after the upstreams in {@code tried} failed to answer (for a retry): the
     * next usable ring member not tried yet, else the fallback if not tried yet, else none.
     */
    public Optional<Upstream> next(String key, Set<Upstream> tried) {
        long now = clock.getAsLong();
        Upstream other = ring.current.first(key, u -> !tried.contains(u) && !u.isDown(now) && u.breaker().state() != CircuitBreaker.State.OPEN);
        if (other != null) {
            return Optional.of(other);
        }
        return fallback != null && !tried.contains(fallback) ? Optional.of(fallback) : Optional.empty();
    }

    /** Skips {@code upstream} for {@code upstream.down-time}; its keys go to the next ring member meanwhile. */
    public void markDown(Upstream upstream, String why) {
        if (downMillis <= 0 || upstream.isFallback() || ring.current.members().size() == 1) {
            return;
        }
        if (!upstream.isDown(clock.getAsLong())) {
            LOG.warn("upstream {} marked down for {} ms: {}", upstream, downMillis, why);
        }
        upstream.markDown(clock.getAsLong() + downMillis);
    }

    /** Every upstream (ring members, then the fallback), for health and metrics. */
    public List<Upstream> all() {
        List<Upstream> out = new ArrayList<>(ring.current.members());
        if (fallback != null) {
            out.add(fallback);
        }
        return out;
    }

    public boolean isDown(Upstream upstream) {
        return upstream.isDown(clock.getAsLong());
    }
}
