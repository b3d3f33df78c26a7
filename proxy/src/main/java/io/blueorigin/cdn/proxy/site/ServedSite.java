package io.blueorigin.cdn.proxy.site;

import static java.util.Objects.requireNonNull;

import io.blueorigin.cdn.httpcache.CacheKey;
import io.blueorigin.cdn.httpcache.CachePolicy;
import io.blueorigin.cdn.httpcache.RequestTarget;
import io.blueorigin.cdn.httpcache.signing.SigningPolicy;
import io.blueorigin.cdn.httpcache.site.CookiePolicy;
import io.blueorigin.cdn.httpcache.site.Site;
import io.blueorigin.cdn.proxy.upstream.Upstreams;
import org.jspecify.annotations.Nullable;

/**
 * A site as this node serves it: the definition turned into what a request needs (its caching policy over
 * the node's, its upstreams with their gates and breakers, its key rules). Immutable; one per site per table
 * version, reused across table changes that leave its definition alone (its breakers keep their state).
 */
public final class ServedSite {
    /**
     * Request attribute holding the {@link ServedSite} the door chose: the pass-through servlet and the traffic meter
     * read it, and it is the access log's site attribute (the log writes its {@link #toString()}, the name).
     */
    public static final String ATTRIBUTE = io.blueorigin.cdn.runtime.AccessLog.SITE;

    private final String name;
    private final @Nullable Site definition;
    private final CachePolicy policy;
    private final Upstreams upstreams;
    private final String metricsLabel;

    ServedSite(String name, @Nullable Site definition, CachePolicy policy, Upstreams upstreams, String metricsLabel) {
        this.name = requireNonNull(name, "name is null");
        this.definition = definition;
        this.policy = requireNonNull(policy, "policy is null");
        this.upstreams = requireNonNull(upstreams, "upstreams is null");
        this.metricsLabel = requireNonNull(metricsLabel, "metricsLabel is null");
    }

    public String name() {
        return name;
    }

    /** The definition from the site table, or null for the node's own default site ({@code cache.site}). */
    public @Nullable Site definition() {
        return definition;
    }

    /** Its own rate limit per client ({@code delivery.rateLimit}), checked over the node's; null: none. */
    public io.blueorigin.cdn.httpcache.site.@Nullable SiteRateLimit rateLimit() {
        return definition == null ? null : definition.rateLimit();
    }

    /** Its caching policy: the node's with the site's settings over it. */
    public CachePolicy policy() {
        return policy;
    }

    /** Where its misses go: a shield's are the site's origins; an edge's the shield ring. */
    public Upstreams upstreams() {
        return upstreams;
    }

    /** Its {@code site} label in metrics and the access log (bounded: see {@link SiteRouter#MAX_LABELLED_SITES}). */
    public String metricsLabel() {
        return metricsLabel;
    }

    /** The target as the site keys and fetches it: the query reduced by its query policy. */
    public RequestTarget shape(RequestTarget canonical) {
        return definition == null ? canonical : definition.caching().query().apply(canonical);
    }

    /** The primary key of a shaped target ({@link #shape}). */
    public String keyOf(RequestTarget shaped) {
        return CacheKey.stringOf(name, shaped);
    }

    /** Which of its paths need signed URLs ({@code delivery.signing}); none for the node's default site. */
    public SigningPolicy signing() {
        return definition == null ? SigningPolicy.NONE : definition.signing();
    }

    /** What the site does with request cookies. */
    public CookiePolicy cookies() {
        return definition == null ? CookiePolicy.PASS : definition.caching().cookies();
    }

    /** The name: what the access log writes for the {@link #ATTRIBUTE} it finds. */
    @Override
    public String toString() {
        return name;
    }
}
