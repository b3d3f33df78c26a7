package io.blueorigin.cdn.admin.db;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The {@code invalidations.payload} jsonb, by kind (also what an analyst queries with SQL):
 *
 * <pre>
 *   purge       {"urls": [{"url": "/a?b=1", "site": null, "path": "/a", "query": "b=1"}, ...]}
 *   purge_tags  {"tags": ["item-3", ...]}
 *   ban         {"ban": {"kind": "prefix", "pattern": "/static/", "ttlSeconds": 86400}}
 *   purge_all   {}
 *   site_put    {"site": {"name": "img", "hosts": [...], ...}}   (the definition, as Site.toMap() wrote it)
 *   site_remove {"name": "img"}
 *   keys_put    {"site": "img", "keys": [{"id": "k7", "secret": "<base64url>", "notAfter": null}, ...]}
 *   ban_lift    {"ban": 41}                                       (the id of the ban lifted; V0015)
 * </pre>
 *
 * The invalidation kinds carry {@code "site": "img"} when they apply to one site only (absent: every site).
 *
 * A ban's expiry lives in the {@code ban_expires_at} column (indexed), not in the payload.
 */
final class PayloadCodec {
    /** Thread-safe once configured; never reconfigured. */
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private PayloadCodec() {}

    static String encode(NewInvalidation entry) {
        ObjectNode payload = MAPPER.createObjectNode();
        switch (entry.kind()) {
            case PURGE -> {
                ArrayNode urls = payload.putArray("urls");
                for (PurgeUrl url : entry.urls()) {
                    ObjectNode u = urls.addObject();
                    u.put("url", url.url());
                    u.put("site", url.site().orElse(null));
                    u.put("path", url.path());
                    u.put("query", url.query().orElse(null));
                }
            }
            case PURGE_TAGS -> {
                ArrayNode tags = payload.putArray("tags");
                entry.tags().forEach(tags::add);
            }
            case BAN -> {
                BanRule rule = entry.ban().orElseThrow();
                ObjectNode ban = payload.putObject("ban");
                ban.put("kind", rule.kind().label());
                ban.put("pattern", rule.pattern());
                ban.put("ttlSeconds", rule.ttl().toSeconds());
            }
            case PURGE_ALL -> {
                // nothing but the kind
            }
            case SITE_PUT -> payload.set("site", MAPPER.valueToTree(entry.definition().orElseThrow()));
            case SITE_REMOVE -> payload.put("name", entry.site().orElseThrow());
            case KEYS_PUT -> {
                payload.put("site", entry.site().orElseThrow());
                payload.set("keys", MAPPER.valueToTree(entry.definition().orElseThrow().get("keys")));
            }
            case BAN_LIFT -> payload.put("ban", entry.liftedBan().orElseThrow());
        }
        if (!entry.kind().isSiteChange() && entry.site().isPresent()) {
            payload.put("site", entry.site().get());
        }
        return payload.toString();
    }

    /** The parts of a stored entry; {@code banExpiresAt} is the column, present for bans. */
    record Parts(List<PurgeUrl> urls, List<String> tags, Optional<Ban> ban, Optional<String> site,
            Optional<JsonNode> definition, OptionalLong liftedBan) {}

    static Parts decode(InvalidationKind kind, String json, Optional<Instant> banExpiresAt) throws SQLException {
        JsonNode payload;
        try {
            payload = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new SQLException("invalidations.payload is not JSON: " + e.getOriginalMessage(), e);
        }
        List<PurgeUrl> urls = new ArrayList<>();
        List<String> tags = new ArrayList<>();
        Optional<Ban> ban = Optional.empty();
        Optional<String> site = text(payload.path("site"));
        Optional<JsonNode> definition = Optional.empty();
        OptionalLong liftedBan = OptionalLong.empty();
        switch (kind) {
            case PURGE -> payload.path("urls").forEach(u -> urls.add(new PurgeUrl(u.path("url").asText(),
                    text(u.path("site")), u.path("path").asText(), text(u.path("query")))));
            case PURGE_TAGS -> payload.path("tags").forEach(t -> tags.add(t.asText()));
            case BAN -> {
                JsonNode b = payload.path("ban");
                ban = Optional.of(new Ban(BanKind.fromLabel(b.path("kind").asText())
                        .orElseThrow(() -> new SQLException("invalidations.payload has an unknown ban kind: " + json)),
                        b.path("pattern").asText(),
                        banExpiresAt.orElseThrow(() -> new SQLException("a ban without ban_expires_at"))));
            }
            case PURGE_ALL -> {
                // nothing but the kind
            }
            case SITE_PUT -> {
                JsonNode d = payload.path("site");
                if (!d.isObject() || !d.path("name").isTextual()) {
                    throw new SQLException("invalidations.payload of a site_put has no site definition: " + json);
                }
                definition = Optional.of(d);
                site = Optional.of(d.path("name").asText());
            }
            case SITE_REMOVE -> {
                site = text(payload.path("name"));
                if (site.isEmpty()) {
                    throw new SQLException("invalidations.payload of a site_remove has no name: " + json);
                }
            }
            case KEYS_PUT -> {
                if (site.isEmpty() || !payload.path("keys").isArray()) {
                    throw new SQLException("invalidations.payload of a keys_put has no site or keys: " + json);
                }
                definition = Optional.of(payload);
            }
            case BAN_LIFT -> {
                if (!payload.path("ban").canConvertToLong() || payload.path("ban").asLong() <= 0) {
                    throw new SQLException("invalidations.payload of a ban_lift has no ban id: " + json);
                }
                liftedBan = OptionalLong.of(payload.path("ban").asLong());
            }
        }
        return new Parts(urls, tags, ban, site, definition, liftedBan);
    }

    private static Optional<String> text(JsonNode node) {
        return node.isTextual() ? Optional.of(node.asText()) : Optional.empty();
    }
}
