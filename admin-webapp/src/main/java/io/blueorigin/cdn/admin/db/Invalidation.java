package io.blueorigin.cdn.admin.db;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One entry of the invalidation log (an invalidation, or a change of the site table).
 *
 * @param id position in the log (apply order)
 * @param kind what it does
 * @param soft mark stale instead of removing
 * @param urls the URLs of a purge, else empty
 * @param tags the surrogate keys of a tag purge, else empty
 * @param ban the ban of a ban, else empty
 * @param site the one site an invalidation applies to (empty: every site); the site's name for a site change
 * @param definition the site definition of a {@code site_put} (as stored); the payload of a {@code keys_put}
 *     ({@code {"site", "keys"}}, secrets included: only nodes see it); else empty
 * @param liftedBan the id of the ban a {@code ban_lift} lifts, else empty
 * @param createdAt when it was committed (milliseconds)
 * @param createdBy name of the API token that submitted it
 */
public record Invalidation(long id, InvalidationKind kind, boolean soft, List<PurgeUrl> urls, List<String> tags,
        Optional<Ban> ban, Optional<String> site, Optional<JsonNode> definition, OptionalLong liftedBan, Instant createdAt,
        String createdBy) {

    public Invalidation {
        requireNonNull(kind, "kind is null");
        urls = List.copyOf(urls);
        tags = List.copyOf(tags);
        requireNonNull(ban, "ban is null");
        requireNonNull(site, "site is null");
        requireNonNull(definition, "definition is null");
        requireNonNull(liftedBan, "liftedBan is null");
        requireNonNull(createdAt, "createdAt is null");
        requireNonNull(createdBy, "createdBy is null");
    }
}
