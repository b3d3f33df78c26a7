package io.blueorigin.cdn.admin.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.blueorigin.cdn.admin.db.Database;
import io.blueorigin.cdn.admin.db.InvalidationLog;
import io.blueorigin.cdn.admin.db.NewInvalidation;
import io.blueorigin.cdn.admin.db.SigningKeys;
import io.blueorigin.cdn.admin.db.Sites;
import io.blueorigin.cdn.httpcache.RequestTarget;
import io.blueorigin.cdn.httpcache.signing.SigningKey;
import io.blueorigin.cdn.httpcache.signing.UrlSigner;
import io.blueorigin.cdn.httpcache.site.Site;
import io.blueorigin.cdn.httpcache.site.SiteException;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signed URLs (docs/signed-urls.md): a site's keys ({@code /api/v1/sites/{name}/keys}: list with scope
 * {@code read}, create and revoke with scope {@code admin}) and {@code POST /api/v1/sign} (scope {@code purge}).
 *
 * <p>Secrets: a key's secret is answered once, by the {@code POST} that creates it (an operator signing
 * outside the CDN needs it); listing never shows secrets, and {@code /api/v1/sign} signs without showing one.
 *
 * <p>A key change is one transaction: the sites lock (shared: the site exists until it commits), the keys lock,
 * the change, and ONE {@code keys_put} log entry carrying the site's whole keyring as it now is, which nodes
 * apply in log order. The answer's {@code version} is that entry's id: {@code GET /api/v1/invalidations/{id}}
 * shows which nodes have applied it (wait for that before handing out URLs signed with a new key).
 */
final class SigningApi {
    private static final Logger LOG = LoggerFactory.getLogger(SigningApi.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** Rotation grace unless the body gives one: 24 hours. */
    static final long DEFAULT_GRACE_SECONDS = 86_400;
    /** Longest rotation grace: 30 days. */
    static final long MAX_GRACE_SECONDS = 30L * 86_400;

    private final Database database;
    private final InvalidationLog log;
    private final Sites sites;
    private final SigningKeys keys;

    SigningApi(Database database, InvalidationLog log, Sites sites, SigningKeys keys) {
        this.database = requireNonNull(database, "database is null");
        this.log = requireNonNull(log, "log is null");
        this.sites = requireNonNull(sites, "sites is null");
        this.keys = requireNonNull(keys, "keys is null");
    }

    /** {@code GET /api/v1/sites/{name}/keys}: {@code {"site", "keys": [{"id", "state", "createdAt", ...}]}}, newest first. */
    void list(ApiCall call) throws ApiException, SQLException, IOException {
        String name = SitesApi.existingName(call);
        call.query();
        record Listing(boolean exists, List<SigningKeys.Row> rows, Instant now) {}
        Listing listing = database.inSnapshot(connection -> new Listing(sites.exists(connection, name),
                keys.list(connection, name), Instant.now()));
        if (!listing.exists() && listing.rows().isEmpty()) {
            throw SitesApi.noSite(name);
        }
        Map<String, @Nullable Object> json = new LinkedHashMap<>();
        json.put("site", name);
        json.put("keys", listing.rows().stream().map(row -> key(row, listing.now())).toList());
        call.respond(200, json);
    }

    /**
     * {@code POST /api/v1/sites/{name}/keys} with {@code {"grace": 86400}} (seconds the current key stays accepted,
     * 0 to {@value #MAX_GRACE_SECONDS}; default a day): 201 {@code {"site", "id", "secret", "previous", "version"}}.
     */
    void create(ApiCall call) throws ApiException, SQLException, IOException {
        String name = SitesApi.existingName(call);
        Bodies.NewKey body = call.body(Bodies.NewKey.class);
        long grace = body.grace() == null ? DEFAULT_GRACE_SECONDS : Fields.range("grace", body.grace(), 0, MAX_GRACE_SECONDS);
        record Created(SigningKeys.Secret key, long version, List<SigningKeys.Secret> keyring) {}
        Optional<Created> created = database.inTransaction(connection -> {
            sites.lockShared(connection);
            if (!sites.exists(connection, name)) {
                return Optional.empty();
            }
            keys.lock(connection);
            List<SigningKeys.Secret> before = keys.keyring(connection, name);
            if (before.size() >= SigningKeys.MAX_KEYRING) {
                return Optional.of(new Created(before.get(0), -1, before)); // nothing changed
            }
            SigningKeys.Secret key = keys.create(connection, name, Duration.ofSeconds(grace), call.token().id(),
                    call.token().name());
            List<SigningKeys.Secret> keyring = keys.keyring(connection, name);
            long id = log.append(connection, NewInvalidation.keysPut(name, SigningKeys.keyringJson(keyring)),
                    call.token().id());
            return Optional.of(new Created(key, id, keyring));
        });
        Created c = created.orElseThrow(() -> SitesApi.noSite(name));
        if (c.version() < 0) {
            throw ApiException.conflict("site " + Text.quote(name) + " already has " + SigningKeys.MAX_KEYRING
                    + " keys in use; revoke previous keys (DELETE /api/v1/sites/" + name + "/keys/{id}) or wait for their"
                    + " grace to end");
        }
        LOG.info("signing key {} of site {} created (log entry {}, previous keys accepted {} s more) by token {} '{}'",
                c.key().keyId(), name, c.version(), grace, call.token().id(), call.token().name());
        Map<String, @Nullable Object> json = new LinkedHashMap<>();
        json.put("site", name);
        json.put("id", c.key().keyId());
        json.put("secret", Base64.getUrlEncoder().withoutPadding().encodeToString(c.key().secret()));
        json.put("keyring", c.keyring().stream().map(SigningKeys.Secret::keyId).toList());
        json.put("version", c.version());
        call.response().setHeader("Location", "/api/v1/sites/" + name + "/keys");
        call.respond(201, json);
    }

    /** {@code DELETE /api/v1/sites/{name}/keys/{id}}: not accepted from now on; {@code {"version"}}. */
    void revoke(ApiCall call) throws ApiException, SQLException, IOException {
        String name = SitesApi.existingName(call);
        String keyId = call.parameter("id");
        long rowId = SigningKeys.rowId(keyId).orElseThrow(() -> noKey(name, keyId));
        Optional<Long> version = database.inTransaction(connection -> {
            sites.lockShared(connection);
            keys.lock(connection);
            if (!keys.revoke(connection, name, rowId, call.token().name())) {
                return Optional.empty();
            }
            return Optional.of(log.append(connection,
                    NewInvalidation.keysPut(name, SigningKeys.keyringJson(keys.keyring(connection, name))), call.token().id()));
        });
        long id = version.orElseThrow(() -> noKey(name, keyId));
        LOG.info("signing key {} of site {} revoked (log entry {}) by token {} '{}'", keyId, name, id, call.token().id(),
                call.token().name());
        call.respond(200, Map.of("version", id));
    }

    /**
     * {@code POST /api/v1/sign} with {@code {"site", "path" (path and query), "expiresIn" (seconds) | "expires"
     * (Unix seconds)}}: 200 {@code {"url", "expires", "kid"}}, {@code url} being the path and query to request.
     */
    void sign(ApiCall call) throws ApiException, SQLException, IOException {
        Bodies.Sign body = call.body(Bodies.Sign.class);
        String name = Fields.required("site", body.site(), "the site's name");
        if (!Site.isValidName(name)) {
            throw ApiException.badField("site", "site: " + Text.quote(name) + " is not a site name");
        }
        String path = Fields.required("path", body.path(), "the path and query to sign, starting with '/'");
        RequestTarget target = target(path);
        long now = Instant.now().getEpochSecond();
        if ((body.expiresIn() == null) == (body.expires() == null)) {
            throw ApiException.badRequest("expiresIn or expires: exactly one is required (seconds from now, or Unix seconds)");
        }
        long expires = body.expires() != null ? Fields.range("expires", body.expires(), now + 1, now + 366L * 86_400)
                : now + Fields.range("expiresIn", body.expiresIn(), 1, 366L * 86_400);
        record Found(@Nullable Object definition, List<SigningKeys.Secret> keyring) {}
        Found found = database.inSnapshot(connection -> new Found(sites.find(connection, name)
                .map(row -> (Object) MAPPER.convertValue(row.definition(), Object.class)).orElse(null),
                keys.keyring(connection, name)));
        if (found.definition() == null) {
            throw ApiException.badField("site", "site: no site " + Text.quote(name) + " (GET /api/v1/sites lists them)");
        }
        Site site;
        try {
            site = Site.fromMap(found.definition());
        } catch (SiteException e) {
            throw new IllegalStateException("stored site '" + name + "' no longer parses: " + e.getMessage(), e);
        }
        SigningKeys.Secret current = found.keyring().stream().filter(k -> k.notAfter().isEmpty()).findFirst()
                .orElseThrow(() -> ApiException.conflict("site " + Text.quote(name) + " has no current signing key"
                        + " (POST /api/v1/sites/" + name + "/keys creates one)"));
        RequestTarget signed;
        try {
            signed = UrlSigner.sign(site.signing(), new SigningKey(current.keyId(), current.secret(), SigningKey.CURRENT),
                    target, expires, now);
        } catch (IllegalArgumentException e) {
            throw ApiException.badField(body.expires() != null ? "expires" : "expiresIn",
                    (body.expires() != null ? "expires" : "expiresIn") + ": " + e.getMessage());
        }
        Map<String, @Nullable Object> json = new LinkedHashMap<>();
        json.put("url", signed.pathAndQuery());
        json.put("expires", expires);
        json.put("kid", current.keyId());
        call.respond(200, json);
    }

    /** The canonical target of {@code path} ({@code /p?q}), or a 400 naming {@code path}. */
    static RequestTarget target(String path) throws ApiException {
        if (!path.startsWith("/") || path.length() > 8192) {
            throw ApiException.badField("path", "path: expected a path (and query) starting with '/', at most 8192 characters");
        }
        Optional<String> problem = Text.problem(path);
        if (problem.isPresent()) {
            throw ApiException.badField("path", "path: " + problem.get());
        }
        int hash = path.indexOf('#');
        String withoutFragment = hash < 0 ? path : path.substring(0, hash);
        int q = withoutFragment.indexOf('?');
        try {
            return q < 0 ? RequestTarget.parse(withoutFragment, null)
                    : RequestTarget.parse(withoutFragment.substring(0, q), withoutFragment.substring(q + 1));
        } catch (RequestTarget.InvalidTarget e) {
            throw ApiException.badField("path", "path: " + e.getMessage());
        }
    }

    private static Map<String, @Nullable Object> key(SigningKeys.Row row, Instant now) {
        Map<String, @Nullable Object> json = new LinkedHashMap<>();
        json.put("id", row.keyId());
        json.put("state", row.state(now));
        json.put("createdAt", row.createdAt().toString());
        json.put("createdBy", row.createdBy());
        json.put("notAfter", row.notAfter().map(Instant::toString).orElse(null));
        json.put("revokedAt", row.revokedAt().map(Instant::toString).orElse(null));
        json.put("revokedBy", row.revokedBy().orElse(null));
        return json;
    }

    private static ApiException noKey(String site, String keyId) {
        return ApiException.notFound("site " + Text.quote(site) + " has no key " + Text.quote(keyId)
                + " in use (GET /api/v1/sites/" + site + "/keys lists them)");
    }
}
