package io.blueorigin.cdn.admin.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The request bodies of the API (a site definition, {@code PUT /api/v1/sites/{name}}, is read as plain JSON
 * values and parsed by the site model instead), exactly as docs/control-plane.md shows them. {@link ApiJson} binds them
 * strictly (unknown fields and wrong types are a 400); components are nullable because absence is reported
 * by each handler's validation, with the field's name.
 */
final class Bodies {
    private Bodies() {}

    /** {@code POST /api/v1/purge}. */
    record Purge(@Nullable List<@Nullable String> urls, @Nullable Boolean soft, @Nullable String site) {}

    /** {@code POST /api/v1/purge/tags}. */
    record PurgeTags(@Nullable List<@Nullable String> tags, @Nullable Boolean soft, @Nullable String site) {}

    /** {@code POST /api/v1/bans}. */
    record Ban(@Nullable String kind, @Nullable String pattern, @Nullable Long ttlSeconds, @Nullable String site) {}

    /** {@code POST /api/v1/purge-all}. */
    record PurgeAll(@Nullable Boolean soft, @Nullable String site) {}

    /**
     * {@code POST /api/v1/nodes/register}; the placement fields are optional. Coordinates are read as JSON
     * values because strict binding refuses an integer ({@code 51}) for a floating-point field.
     */
    record Register(@Nullable String name, @Nullable String role, @Nullable String pop, @Nullable String trafficUrl,
            @Nullable String managementUrl, @Nullable Long lastApplied, @Nullable JsonNode latitude,
            @Nullable JsonNode longitude, @Nullable Long weight, @Nullable String publicUrl,
            @Nullable List<@Nullable String> addresses) {}

    /** {@code PUT /api/v1/pops/{name}}. */
    record Pop(@Nullable JsonNode latitude, @Nullable JsonNode longitude) {}

    /** {@code POST /api/v1/nodes/{name}/heartbeat}. */
    record Heartbeat(@Nullable Long lastApplied, @Nullable JsonNode stats) {}

    /** {@code POST /api/v1/nodes/{name}/acks}. */
    record Acks(@Nullable List<@Nullable Ack> acks) {}

    /** One element of {@link Acks}. */
    record Ack(@Nullable Long id, @Nullable Long objectsAffected, @Nullable String appliedAt) {}

    /** {@code POST /api/v1/tokens}; {@code node} goes with scope {@code node} (a node's own token). */
    record Token(@Nullable String name, @Nullable List<@Nullable String> scopes, @Nullable String node) {}

    /** {@code POST /api/v1/sites/{name}/keys}: seconds the current key stays accepted (default a day). */
    record NewKey(@Nullable Long grace) {}

    /** {@code POST /api/v1/sign}: one of {@code expiresIn} (seconds from now) and {@code expires} (Unix seconds). */
    record Sign(@Nullable String site, @Nullable String path, @Nullable Long expiresIn, @Nullable Long expires) {}

    /** {@code POST /api/v1/tier-keys}: {@code {}}. */
    record Empty() {}
}
