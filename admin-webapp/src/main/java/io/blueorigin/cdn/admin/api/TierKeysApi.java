package io.blueorigin.cdn.admin.api;

import static java.util.Objects.requireNonNull;

import io.blueorigin.cdn.admin.db.Database;
import io.blueorigin.cdn.admin.db.TierKeySet;
import io.blueorigin.cdn.admin.db.TierKeys;
import java.io.IOException;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/v1/tier-keys} (scope {@code admin}, body {@code {}}): adds a version of the tier key (see
 * {@link TierKeys} for when nodes start signing with it). Answers 201 {@code {"version": 3, "signing": 2,
 * "versions": [2, 3]}}; never the secrets, which only nodes receive.
 */
final class TierKeysApi {
    private static final Logger LOG = LoggerFactory.getLogger(TierKeysApi.class);

    private final Database database;
    private final TierKeys tierKeys;

    TierKeysApi(Database database, TierKeys tierKeys) {
        this.database = requireNonNull(database, "database is null");
        this.tierKeys = requireNonNull(tierKeys, "tierKeys is null");
    }

    void rotate(ApiCall call) throws ApiException, SQLException, IOException {
        call.body(Bodies.Empty.class);
        TierKeySet after = database.inTransaction(connection -> {
            tierKeys.rotate(connection);
            return tierKeys.current(connection);
        });
        int version = after.keys().get(after.keys().size() - 1).version();
        LOG.info("tier key version {} created by token {} '{}'; nodes sign with version {} until it settles", version,
                call.token().id(), call.token().name(), after.signing());
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("version", version);
        json.put("signing", after.signing());
        json.put("versions", after.keys().stream().map(TierKeySet.Key::version).toList());
        call.respond(201, json);
    }
}
