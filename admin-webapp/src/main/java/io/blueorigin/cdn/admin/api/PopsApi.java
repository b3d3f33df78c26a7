package io.blueorigin.cdn.admin.api;

import static java.util.Objects.requireNonNull;

import io.blueorigin.cdn.admin.db.Coordinates;
import io.blueorigin.cdn.admin.db.Database;
import io.blueorigin.cdn.admin.db.Nodes;
import io.blueorigin.cdn.admin.db.Pop;
import io.blueorigin.cdn.admin.db.Pops;
import java.io.IOException;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /api/v1/pops[/{name}]}: the POPs operators declare, so nodes of a POP need not each register its
 * coordinates. Read with scope {@code read}, change with scope {@code admin}; a change bumps the routing
 * version (routers see it at once).
 */
final class PopsApi {
    private static final Logger LOG = LoggerFactory.getLogger(PopsApi.class);

    private final Database database;
    private final Pops pops;

    PopsApi(Database database, Pops pops) {
        this.database = requireNonNull(database, "database is null");
        this.pops = requireNonNull(pops, "pops is null");
    }

    /** {@code GET /api/v1/pops}: {@code {"pops": [{"name", "latitude", "longitude"}...]}} by name. */
    void list(ApiCall call) throws ApiException, SQLException, IOException {
        call.query();
        List<Pop> all = database.inSnapshot(pops::list);
        call.respond(200, Map.of("pops", all.stream().map(Views::pop).toList()));
    }

    /** {@code GET /api/v1/pops/{name}}. */
    void get(ApiCall call) throws ApiException, SQLException, IOException {
        String name = name(call);
        call.query();
        Optional<Pop> pop = database.inSnapshot(connection -> pops.find(connection, name));
        call.respond(200, Views.pop(pop.orElseThrow(() -> noPop(name))));
    }

    /** {@code PUT /api/v1/pops/{name}} {@code {"latitude": 51.47, "longitude": -0.4543}}: declares or moves it. */
    void put(ApiCall call) throws ApiException, SQLException, IOException {
        String name = name(call);
        call.query();
        Bodies.Pop body = call.body(Bodies.Pop.class);
        Coordinates at = NodesApi.coordinates(
                Fields.required("latitude", body.latitude(), "degrees north, -90..90"),
                Fields.required("longitude", body.longitude(), "degrees east, -180..180"));
        Pop pop = database.inTransaction(connection -> pops.put(connection, name, at));
        LOG.info("POP {} at {}, {} by token {} '{}'", name, at.latitude(), at.longitude(), call.token().id(),
                call.token().name());
        call.respond(200, Views.pop(pop));
    }

    /** {@code DELETE /api/v1/pops/{name}}: 204; 404 if it was not declared. */
    void delete(ApiCall call) throws ApiException, SQLException, IOException {
        String name = name(call);
        call.query();
        if (!database.inTransaction(connection -> pops.delete(connection, name))) {
            throw noPop(name);
        }
        LOG.info("POP {} deleted by token {} '{}'", name, call.token().id(), call.token().name());
        call.noContent();
    }

    private static String name(ApiCall call) throws ApiException {
        String name = call.parameter("name");
        if (!Nodes.isName(name)) {
            throw ApiException.badRequest("name: " + Text.quote(name)
                    + " (expected a POP name as in node.pop: 1-63 letters, digits, '.', '_' or '-', starting with a"
                    + " letter or digit)");
        }
        return name;
    }

    private static ApiException noPop(String name) {
        return ApiException.notFound("POP " + Text.quote(name) + " is not declared: PUT /api/v1/pops/" + name
                + " {\"latitude\": .., \"longitude\": ..} declares it");
    }
}
