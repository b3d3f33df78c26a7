package io.blueorigin.cdn.admin.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.blueorigin.cdn.admin.db.ApiToken;
import io.blueorigin.cdn.admin.db.Database;
import io.blueorigin.cdn.admin.db.InvalidationLog;
import io.blueorigin.cdn.admin.db.NewInvalidation;
import io.blueorigin.cdn.admin.db.Sites;
import io.blueorigin.cdn.httpcache.site.Site;
import io.blueorigin.cdn.httpcache.site.SiteException;
import io.blueorigin.cdn.httpcache.site.SiteTable;
import java.io.IOException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The site endpoints ({@code /api/v1/sites}): the table (scope {@code read}, and any node token), one site
 * and its history (scope {@code read}), create/replace and delete (scope {@code admin}).
 *
 * <p>A definition is parsed and validated by the site model itself ({@link Site#fromMap}: a 400 naming the
 * field); this class adds what needs the other sites (a host claimed by another site: the 400 names it) and
 * the path. A change is one transaction: the sites lock (serialising changes, so the overlap check cannot
 * race), the check against the other sites as committed, ONE entry appended to the invalidation log
 * ({@code site_put} / {@code site_remove}: the nodes follow the table there), the row and the audit row.
 * Nothing is half-applied: a failure anywhere rolls all of it back.
 */
final class SitesApi {
    private static final Logger LOG = LoggerFactory.getLogger(SitesApi.class);
    /** Default and largest {@code limit} of a site's history. */
    static final int DEFAULT_HISTORY = 100;
    static final int MAX_HISTORY = 1000;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Database database;
    private final InvalidationLog log;
    private final Sites sites;

    SitesApi(Database database, InvalidationLog log, Sites sites) {
        this.database = requireNonNull(database, "database is null");
        this.log = requireNonNull(log, "log is null");
        this.sites = requireNonNull(sites, "sites is null");
    }

    /** {@code GET /api/v1/sites}: {@code {"version": V, "sites": [<definition>...]}}, by name. */
    void list(ApiCall call) throws ApiException, SQLException, IOException {
        call.query();
        Sites.Table table = database.inSnapshot(sites::table);
        call.respond(200, Views.sites(table));
    }

    /** {@code GET /api/v1/sites/{name}}. */
    void get(ApiCall call) throws ApiException, SQLException, IOException {
        String name = existingName(call);
        call.query();
        Optional<Sites.Row> row = database.inSnapshot(connection -> sites.find(connection, name));
        call.respond(200, Views.site(row.orElseThrow(() -> noSite(name))));
    }

    /** {@code PUT /api/v1/sites/{name}}: 201 created, 200 replaced. */
    void put(ApiCall call) throws ApiException, SQLException, IOException {
        String name = call.parameter("name");
        Put outcome = put(call.token(), name, call.body(Object.class), ApiResponses.requestId(call.response()));
        if (outcome.created()) {
            call.response().setHeader("Location", "/api/v1/sites/" + name);
        }
        Map<String, @Nullable Object> json = new LinkedHashMap<>();
        json.put("site", outcome.definition());
        json.put("version", outcome.version());
        call.respond(outcome.created() ? 201 : 200, json);
    }

    /** What a put did: the stored definition, the log entry (the table's new version), whether it was new. */
    record Put(Map<String, Object> definition, long version, boolean created) {}

    /**
     * Creates or replaces site {@code name} with {@code body} (a parsed JSON value) on behalf of {@code actor}:
     * the API's {@code PUT} and the console's site form. 400 naming the field for a bad definition.
     */
    Put put(ApiToken actor, String name, @Nullable Object body, String requestId) throws ApiException, SQLException {
        Site site = definition(name, body);
        Map<String, Object> definition = site.toMap();
        String after = ApiJson.writeString(definition);
        Put outcome;
        try {
            outcome = database.inTransaction(connection -> {
                sites.lock(connection);
                Optional<JsonNode> before = Optional.empty();
                List<Site> others = new ArrayList<>();
                for (Sites.Row row : sites.list(connection)) {
                    if (row.name().equals(name)) {
                        before = Optional.of(row.definition());
                    } else {
                        others.add(stored(row));
                    }
                }
                checkHosts(site, others);
                long id = log.append(connection, NewInvalidation.sitePut(name, definition), actor.id());
                sites.write(connection, name, before, Optional.of(after), id, actor.id(), actor.name(), requestId);
                return new Put(definition, id, before.isEmpty());
            });
        } catch (SiteException e) {
            throw ApiException.badField(e.field(), e.getMessage());
        }
        LOG.info("site {} {} (log entry {}) by token {} '{}'", name, outcome.created() ? "created" : "replaced",
                outcome.version(), actor.id(), actor.name());
        return outcome;
    }

    /** {@code DELETE /api/v1/sites/{name}}: {@code {"version": V}}. */
    void delete(ApiCall call) throws ApiException, SQLException, IOException {
        String name = existingName(call);
        call.respond(200, Map.of("version", delete(call.token(), name, ApiResponses.requestId(call.response()))));
    }

    /** Deletes site {@code name} on behalf of {@code actor}: the log entry; 404 when there is no such site. */
    long delete(ApiToken actor, String name, String requestId) throws ApiException, SQLException {
        Optional<Long> version = database.inTransaction(connection -> {
            sites.lock(connection);
            Optional<Sites.Row> row = sites.find(connection, name);
            if (row.isEmpty()) {
                return Optional.empty();
            }
            long id = log.append(connection, NewInvalidation.siteRemove(name), actor.id());
            sites.write(connection, name, Optional.of(row.get().definition()), Optional.empty(), id, actor.id(),
                    actor.name(), requestId);
            return Optional.of(id);
        });
        long id = version.orElseThrow(() -> noSite(name));
        LOG.info("site {} deleted (log entry {}) by token {} '{}'", name, id, actor.id(), actor.name());
        return id;
    }

    /** {@code GET /api/v1/sites/{name}/history?limit=100}: its changes, newest first; 404 if it never existed. */
    void history(ApiCall call) throws ApiException, SQLException, IOException {
        String name = existingName(call);
        int limit = (int) call.query("limit").integer("limit", 1, MAX_HISTORY, (long) DEFAULT_HISTORY);
        List<Sites.Change> changes = database.inSnapshot(connection -> sites.history(connection, name, limit));
        if (changes.isEmpty()) {
            throw ApiException.notFound("site " + Text.quote(name) + " never existed");
        }
        Map<String, @Nullable Object> json = new LinkedHashMap<>();
        json.put("name", name);
        json.put("history", changes.stream().map(Views::siteChange).toList());
        call.respond(200, json);
    }

    // --- validation: pure ---

    /**
     * The site a {@code PUT /api/v1/sites/{pathName}} body defines: the body's {@code name} may be left out,
     * else must equal the path's. A 400 naming the field otherwise ({@link Site#fromMap} says what is wrong).
     */
    static Site definition(String pathName, @Nullable Object body) throws ApiException {
        if (!Site.isValidName(pathName)) {
            throw ApiException.badField("name", "name: " + Text.quote(pathName) + " in the path is not a site name"
                    + " (expected 1-63 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit)");
        }
        if (!(body instanceof Map<?, ?> map)) {
            throw ApiException.badField("body", "body: expected a JSON object (a site definition)");
        }
        Map<Object, @Nullable Object> copy = new LinkedHashMap<>(map);
        Object name = copy.get("name");
        if (name == null) {
            copy.put("name", pathName);
        } else if (!pathName.equals(name)) {
            throw ApiException.badField("name", "name: " + (name instanceof String s ? Text.quote(s) : String.valueOf(name))
                    + " differs from the path's " + Text.quote(pathName) + " (leave it out, or make them equal)");
        }
        Site site;
        try {
            site = Site.fromMap(copy);
        } catch (SiteException e) {
            throw ApiException.badField(e.field(), e.getMessage());
        }
        checkStorable("", site.toMap());
        return site;
    }

    /**
     * Refuses {@code site} if one of its hosts is claimed by another site (an equal name, an exact name under a
     * wildcard, a wildcard over an exact name or the same wildcard), naming that site ({@link SiteTable.HostTaken}),
     * or if the table would break another of its invariants (at most {@link SiteTable#MAX_SITES} sites).
     *
     * @throws SiteException naming {@code hosts[i]} and the other site
     */
    static void checkHosts(Site site, List<Site> others) {
        SiteTable.of(0, others).with(0, site);
    }

    /** A stored definition as a site (the site model may have tightened since: then it says which field). */
    private static Site stored(Sites.Row row) {
        try {
            return Site.fromMap(MAPPER.convertValue(row.definition(), Object.class));
        } catch (SiteException e) {
            throw new IllegalStateException("stored site '" + row.name() + "' no longer parses: " + e.getMessage(), e);
        }
    }

    /**
     * Refuses strings PostgreSQL's jsonb or a node could not take (control characters, which include NUL;
     * unpaired surrogates) anywhere in the definition, naming the field.
     */
    private static void checkStorable(String path, @Nullable Object value) throws ApiException {
        if (value instanceof String s) {
            Optional<String> problem = Text.problem(s);
            if (problem.isPresent()) {
                String field = path.isEmpty() ? "body" : path;
                throw ApiException.badField(field, field + ": " + problem.get());
            }
        } else if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                checkStorable(path.isEmpty() ? String.valueOf(e.getKey()) : path + "." + e.getKey(), e.getValue());
            }
        } else if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                checkStorable(path + "[" + i + "]", list.get(i));
            }
        }
    }

    /** The path's site name; a name no site can have is a 404 like an unknown one. */
    static String existingName(ApiCall call) throws ApiException {
        String name = call.parameter("name");
        if (!Site.isValidName(name)) {
            throw noSite(name);
        }
        return name;
    }

    /** A 404 naming {@code name} and where the sites are listed. */
    static ApiException noSite(String name) {
        return ApiException.notFound("no site " + Text.quote(name) + " (GET /api/v1/sites lists them)");
    }
}
