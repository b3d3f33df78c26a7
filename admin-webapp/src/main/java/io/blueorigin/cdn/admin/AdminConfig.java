package io.blueorigin.cdn.admin;

import static java.util.Objects.requireNonNull;

import io.blueorigin.cdn.admin.db.DatabaseConfig;
import io.blueorigin.cdn.runtime.NodeIdentity;
import io.blueorigin.cdn.runtime.Role;
import io.blueorigin.cdn.runtime.ServerConfig;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Settings of an admin node.
 *
 * @param identity node identity (role {@link Role#ADMIN})
 * @param server listening settings
 * @param database the PostgreSQL it keeps its state in
 * @param bootstrapTokenFile where to write the bootstrap admin token when it is created (mode 0600);
 *     empty: print it only
 */
public record AdminConfig(NodeIdentity identity, ServerConfig server, DatabaseConfig database,
        Optional<Path> bootstrapTokenFile) {

    public AdminConfig {
        requireNonNull(identity, "identity is null");
        requireNonNull(server, "server is null");
        requireNonNull(database, "database is null");
        requireNonNull(bootstrapTokenFile, "bootstrapTokenFile is null");
        if (identity.role() != Role.ADMIN) {
            throw new IllegalArgumentException("identity.role : " + identity.role() + " (expected: ADMIN)");
        }
    }
}
