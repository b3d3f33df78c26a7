package io.blueorigin.cdn.admin.api;

import static java.util.Objects.requireNonNull;

import io.blueorigin.cdn.admin.db.ApiToken;
import io.blueorigin.cdn.admin.db.ApiTokens;
import io.blueorigin.cdn.admin.db.Database;
import io.blueorigin.cdn.admin.db.Invalidation;
import io.blueorigin.cdn.admin.db.InvalidationLog;
import io.blueorigin.cdn.admin.db.NewToken;
import io.blueorigin.cdn.admin.db.Sites;
import com.fasterxml.jackson.databind.JsonNode;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What the console may do, as the API does it: every method validates with the API's own rules (the same
 * pure functions build the same entry from the same body) and acts through the API's own code, on behalf of
 * the token the console user acts through. A refusal is the {@link ApiException} the API would answer with
 * ({@link ApiException#fieldName()} says which form field it is about). Answers are the API's JSON views, so the
 * console shows what {@code curl} shows.
 *
 * <p>The one place the console reaches into the API: if a rule changes, it changes for both.
 */
public final class Operations {
    private final Database database;
    private final InvalidationsApi invalidations;
    private final NodesApi nodes;
    private final StatsApi stats;
    private final TokensApi tokens;
    private final ApiTokens tokenStore;
    private final InvalidationLog log;
    private final Sites sites;
    private final SitesApi sitesApi;

    Operations(Database database, InvalidationsApi invalidations, NodesApi nodes, StatsApi stats, TokensApi tokens,
            ApiTokens tokenStore, InvalidationLog log, Sites sites, SitesApi sitesApi) {
        this.sitesApi = requireNonNull(sitesApi, "sitesApi is null");
        this.database = requireNonNull(database, "database is null");
        this.invalidations = requireNonNull(invalidations, "invalidations is null");
        this.nodes = requireNonNull(nodes, "nodes is null");
        this.stats = requireNonNull(stats, "stats is null");
        this.tokens = requireNonNull(tokens, "tokens is null");
        this.tokenStore = requireNonNull(tokenStore, "tokenStore is null");
        this.log = requireNonNull(log, "log is null");
        this.sites = requireNonNull(sites, "sites is null");
    }

    /** {@code POST /api/v1/purge}: the entry's id. */
    public long purge(ApiToken actor, List<String> urls, boolean soft, @Nullable String site)
            throws ApiException, SQLException {
        return invalidations.submit(actor, InvalidationsApi.purge(new Bodies.Purge(List.copyOf(urls), soft, site)));
    }

    /** {@code POST /api/v1/purge/tags}. */
    public long purgeTags(ApiToken actor, List<String> tags, boolean soft, @Nullable String site)
            throws ApiException, SQLException {
        return invalidations.submit(actor, InvalidationsApi.purgeTags(new Bodies.PurgeTags(List.copyOf(tags), soft, site)));
    }

    /** {@code POST /api/v1/bans}; {@code ttlSeconds} null: the API's "required" refusal. */
    public long ban(ApiToken actor, @Nullable String kind, @Nullable String pattern, @Nullable Long ttlSeconds,
            @Nullable String site) throws ApiException, SQLException {
        return invalidations.submit(actor, InvalidationsApi.ban(new Bodies.Ban(kind, pattern, ttlSeconds, site)));
    }

    /** {@code POST /api/v1/purge-all}. */
    public long purgeAll(ApiToken actor, boolean soft, @Nullable String site) throws ApiException, SQLException {
        return invalidations.submit(actor, InvalidationsApi.purgeAll(new Bodies.PurgeAll(soft, site)));
    }

    /** {@code DELETE /api/v1/bans/{id}}: the lift's id. */
    public long liftBan(ApiToken actor, long banId) throws ApiException, SQLException {
        return invalidations.liftBan(actor, banId);
    }

    /** {@code GET /api/v1/invalidations/{id}}: empty when there is no such entry. */
    public Optional<Map<String, ?>> invalidation(long id) throws SQLException {
        return invalidations.statusView(id);
    }

    /** The bans that apply now (unexpired, not lifted), oldest first. */
    public List<Invalidation> activeBans() throws SQLException {
        return database.inSnapshot(log::activeBans);
    }

    /** {@code GET /api/v1/nodes}. */
    public List<Map<String, ?>> nodes() throws SQLException {
        return nodes.views();
    }

    /** {@code POST /api/v1/nodes/{name}/drain} or {@code undrain}. */
    public Map<String, Object> setDraining(ApiToken actor, String name, boolean draining) throws ApiException, SQLException {
        return nodes.setDraining(actor, name, draining);
    }

    /** {@code GET /api/v1/stats?window=}: 400 naming {@code window} for an unknown one. */
    public Map<String, ?> stats(String window) throws ApiException, SQLException {
        StatsWindow parsed = StatsWindow.fromLabel(window).orElseThrow(() -> ApiException.badField("window", "window: "
                + Text.quote(window) + " is not a window (expected one of: " + StatsWindow.labels() + ")"));
        return Views.stats(stats.report(parsed, Optional.empty()));
    }

    /** The windows {@link #stats} takes, in their declared order (the default is {@code 1h}). */
    public static List<String> statsWindows() {
        return java.util.Arrays.stream(StatsWindow.values()).map(StatsWindow::label).toList();
    }

    /** {@code GET /api/v1/sites}. */
    public Map<String, ?> sites() throws SQLException {
        return Views.sites(database.inSnapshot(sites::table));
    }

    /** {@code GET /api/v1/sites/{name}}'s definition, if the site exists. */
    public Optional<JsonNode> site(String name) throws SQLException {
        return database.inSnapshot(connection -> sites.find(connection, name)).map(Sites.Row::definition);
    }

    /**
     * {@code PUT /api/v1/sites/{name}} with {@code json} as the body (parsed as strictly as the API parses it):
     * whether the site was created (else replaced).
     */
    public boolean putSite(ApiToken actor, String name, String json, String requestId) throws ApiException, SQLException {
        Object body = ApiJson.read(json.getBytes(java.nio.charset.StandardCharsets.UTF_8), Object.class);
        return sitesApi.put(actor, name, body, requestId).created();
    }

    /** {@code DELETE /api/v1/sites/{name}}: the log entry. */
    public long deleteSite(ApiToken actor, String name, String requestId) throws ApiException, SQLException {
        return sitesApi.delete(actor, name, requestId);
    }

    /** {@code GET /api/v1/tokens}. */
    public List<ApiToken> tokens() throws SQLException {
        return tokenStore.list();
    }

    /** {@code POST /api/v1/tokens} (people and scripts; node tokens too). */
    public NewToken createToken(ApiToken actor, @Nullable String name, List<String> scopes, @Nullable String node)
            throws ApiException, SQLException {
        return tokens.create(actor, new Bodies.Token(name, List.copyOf(scopes), node));
    }

    /** {@code DELETE /api/v1/tokens/{id}}. */
    public void revokeToken(ApiToken actor, long id) throws ApiException, SQLException {
        tokens.revoke(actor, id);
    }
}
