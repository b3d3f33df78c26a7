package io.blueorigin.cdn.proxy.control;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.blueorigin.cdn.httpcache.signing.SigningKeyring;
import io.blueorigin.cdn.httpcache.site.Site;
import io.blueorigin.cdn.httpcache.site.SiteException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One entry of admin's invalidation log, as a node applies it (docs/control-plane.md, "entry").
 *
 * @param id log position; entries are applied in id order
 * @param kind what it invalidates
 * @param soft mark stale instead of removing (purge, tags, purge-all)
 * @param urls for {@link Kind#PURGE}: the URLs, every variant of each
 * @param tags for {@link Kind#PURGE_TAGS}: surrogate keys
 * @param ban for {@link Kind#BAN}: the pattern
 * @param site for the invalidations: the one site it applies to (null: every site; a URL naming a host
 *     belongs to that host's site whatever this says); for {@link Kind#SITE_REMOVE}: the site removed
 *     (for {@link Kind#KEYS_PUT}: the site whose keyring it is)
 * @param definition for {@link Kind#SITE_PUT}: the site added or replaced
 * @param keyring for {@link Kind#KEYS_PUT}: the site's whole signed-URL keyring
 * @param liftedBan for {@link Kind#BAN_LIFT}: the id of the ban lifted (positive); 0 for the other kinds
 */
public record Invalidation(long id, Kind kind, boolean soft, List<Url> urls, List<String> tags, Optional<BanSpec> ban,
        @Nullable String site, @Nullable Site definition, @Nullable SigningKeyring keyring, long liftedBan) {

    /**
     * The kinds of entry: invalidations, and the site changes that travel the same log so a node applies
     * both in one order (a purge logged after a site change finds the site).
     */
    public enum Kind {
        PURGE,
        PURGE_TAGS,
        BAN,
        PURGE_ALL,
        /** A site added or replaced: its whole definition. */
        SITE_PUT,
        /** A site removed: the node forgets it and drops its objects. */
        SITE_REMOVE,
        /** A site's signed-URL keyring, whole: it replaces the one the node has. */
        KEYS_PUT,
        /**
         * An earlier ban lifted: once that ban's sweep is done the node stops screening with it. What the ban
         * removed stays removed (docs/control-plane.md, "Lifting a ban").
         */
        BAN_LIFT
    }

    /** An invalidation of every site. */
    public Invalidation(long id, Kind kind, boolean soft, List<Url> urls, List<String> tags, Optional<BanSpec> ban) {
        this(id, kind, soft, urls, tags, ban, null, null, null);
    }

    /** An entry without a keyring. */
    public Invalidation(long id, Kind kind, boolean soft, List<Url> urls, List<String> tags, Optional<BanSpec> ban,
            @Nullable String site, @Nullable Site definition) {
        this(id, kind, soft, urls, tags, ban, site, definition, null);
    }

    /** An entry that lifts no ban. */
    public Invalidation(long id, Kind kind, boolean soft, List<Url> urls, List<String> tags, Optional<BanSpec> ban,
            @Nullable String site, @Nullable Site definition, @Nullable SigningKeyring keyring) {
        this(id, kind, soft, urls, tags, ban, site, definition, keyring, 0);
    }

    /** A lift of ban {@code banId}. */
    public static Invalidation banLift(long id, long banId) {
        return new Invalidation(id, Kind.BAN_LIFT, false, List.of(), List.of(), Optional.empty(), null, null, null, banId);
    }

    /** Whether this entry changes the site table (or a site's keys) rather than invalidating objects. */
    public boolean isSiteChange() {
        return kind == Kind.SITE_PUT || kind == Kind.SITE_REMOVE || kind == Kind.KEYS_PUT;
    }

    /**
     * A URL to purge.
     *
     * @param site the host of an absolute URL (lower case), or null for a path (the default site)
     * @param path the raw path
     * @param query the raw query, or null
     */
    public record Url(@Nullable String site, String path, @Nullable String query) {
        public Url {
            requireNonNull(path, "path is null");
        }
    }

    /**
     * A ban's pattern.
     *
     * @param kind {@code prefix} (path prefix), {@code host} (site) or {@code regex} (RE2 over path and query)
     * @param pattern the pattern
     * @param expiresAt when admin stops handing it out (objects stored before it have expired by then)
     */
    public record BanSpec(String kind, String pattern, Instant expiresAt) {}

    public Invalidation {
        requireNonNull(kind, "kind is null");
        urls = List.copyOf(urls);
        tags = List.copyOf(tags);
        requireNonNull(ban, "ban is null");
        if ((kind == Kind.BAN_LIFT) != (liftedBan > 0) || liftedBan < 0) {
            throw new IllegalArgumentException("entry " + id + ": liftedBan " + liftedBan + " with kind " + kind);
        }
    }

    /**
     * Reads an entry of admin's JSON. Unknown fields are ignored (a newer admin may add some).
     *
     * @throws IllegalArgumentException naming the field when the entry is not one this node understands
     */
    public static Invalidation fromJson(JsonNode node) {
        long id = node.path("id").asLong(-1);
        if (id <= 0) {
            throw new IllegalArgumentException("invalidation without a positive id: " + node);
        }
        Kind kind;
        try {
            kind = Kind.valueOf(node.path("kind").asText("").toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalidation " + id + ": unknown kind '" + node.path("kind").asText() + "'", e);
        }
        if (kind == Kind.BAN_LIFT) {
            // {"id", "kind": "ban_lift", "ban": <id of the ban lifted>, "createdAt"}
            JsonNode banId = node.path("ban");
            if (!banId.canConvertToLong() || !banId.isIntegralNumber() || banId.asLong() <= 0) {
                throw new IllegalArgumentException("entry " + id + ": ban_lift without the positive id of a ban: " + node);
            }
            return banLift(id, banId.asLong());
        }
        List<Url> urls = new ArrayList<>();
        for (JsonNode u : node.path("urls")) {
            String path = text(u.get("path"));
            if (path == null || !path.startsWith("/")) {
                throw new IllegalArgumentException("invalidation " + id + ": a URL without a /-rooted path: " + u);
            }
            urls.add(new Url(text(u.get("site")), path, text(u.get("query"))));
        }
        List<String> tags = new ArrayList<>();
        for (JsonNode t : node.path("tags")) {
            tags.add(t.asText());
        }
        Optional<BanSpec> ban = Optional.empty();
        JsonNode b = node.get("ban");
        if (b != null && !b.isNull()) {
            ban = Optional.of(new BanSpec(b.path("kind").asText(), b.path("pattern").asText(),
                    Instant.parse(b.path("expiresAt").asText())));
        }
        if (kind == Kind.BAN && ban.isEmpty()) {
            throw new IllegalArgumentException("invalidation " + id + ": a ban without its pattern");
        }
        String site = text(node.get("site"));
        Site definition = null;
        SigningKeyring keyring = null;
        if (kind == Kind.SITE_PUT) {
            try {
                definition = Site.fromMap(JSON.convertValue(node.get("site"), Object.class));
            } catch (SiteException e) {
                throw new IllegalArgumentException("entry " + id + ": a site this node cannot read: " + e.getMessage(), e);
            }
            site = definition.name();
        } else if (kind == Kind.SITE_REMOVE) {
            site = text(node.get("name"));
            if (site == null || !Site.isValidName(site)) {
                throw new IllegalArgumentException("entry " + id + ": site_remove without a valid site name: " + node);
            }
        } else if (kind == Kind.KEYS_PUT) {
            if (site == null || !Site.isValidName(site)) {
                throw new IllegalArgumentException("entry " + id + ": keys_put without a valid site name: '" + site + "'");
            }
            try {
                keyring = SiteKeyrings.parse(node.path("keys"));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("entry " + id + ": a keyring this node cannot read: " + e.getMessage(), e);
            }
        } else if (site != null && !Site.isValidName(site)) {
            throw new IllegalArgumentException("invalidation " + id + ": not a site name: '" + site + "'");
        }
        return new Invalidation(id, kind, node.path("soft").asBoolean(false), urls, tags, ban, site, definition, keyring);
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private static @Nullable String text(@Nullable JsonNode n) {
        return n == null || n.isNull() ? null : n.asText();
    }
}
