package io.blueorigin.cdn.admin.db;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * How the admin reaches PostgreSQL ({@code db.*} keys).
 *
 * @param url JDBC URL, {@code jdbc:postgresql://host:port/database}
 * @param user database user
 * @param password database password (from {@code CDN_DB_PASSWORD} in production; never logged)
 * @param poolSize most pooled connections
 * @param connectTimeout how long a request waits for a pooled connection before the API answers 503
 * @param migrateOnStart apply pending Flyway migrations at start; when false, pending migrations stop the
 *     process with the command to run
 */
public record DatabaseConfig(String url, String user, String password, int poolSize, Duration connectTimeout,
        boolean migrateOnStart) {

    public DatabaseConfig {
        requireNonNull(url, "url is null");
        requireNonNull(user, "user is null");
        requireNonNull(password, "password is null");
        requireNonNull(connectTimeout, "connectTimeout is null");
        if (!url.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("db.url : '" + url
                    + "' (expected: a PostgreSQL JDBC URL, jdbc:postgresql://host:5432/database)");
        }
        if (poolSize < 1 || poolSize > 1000) {
            throw new IllegalArgumentException("db.pool-size : " + poolSize + " (expected: 1..1000)");
        }
        if (connectTimeout.toMillis() < 250) {
            throw new IllegalArgumentException("db.connect-timeout : " + connectTimeout + " (expected: >= 250ms)");
        }
    }

    /** Keeps the password out of logs and error messages. */
    @Override
    public String toString() {
        return "DatabaseConfig[url=" + url + ", user=" + user + ", poolSize=" + poolSize + ", connectTimeout="
                + connectTimeout + ", migrateOnStart=" + migrateOnStart + "]";
    }
}
