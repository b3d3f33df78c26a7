/**
 * PostgreSQL access for the admin: the HikariCP pool, Flyway migrations (from the {@code db-migrations}
 * module, {@code classpath:db/migration}) and plain JDBC with prepared statements, one class per table
 * family.
 */
@NullMarked
package io.blueorigin.cdn.admin.db;

import org.jspecify.annotations.NullMarked;
