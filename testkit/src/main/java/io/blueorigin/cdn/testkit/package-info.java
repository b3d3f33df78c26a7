/**
 * Test kit for integration and system tests: {@link io.blueorigin.cdn.testkit.TestOrigin} (a scriptable
 * origin that counts and records what reached it), {@link io.blueorigin.cdn.testkit.TestCluster} (admin,
 * shields and edges in-process on ephemeral ports), {@link io.blueorigin.cdn.testkit.TestDatabase} (a real
 * embedded PostgreSQL, one per JVM, a fresh database per caller) and
 * {@link io.blueorigin.cdn.testkit.TestClient} (an HTTP client that sends any header).
 * Everything here really listens on loopback ports; nothing is mocked.
 */
@NullMarked
package io.blueorigin.cdn.testkit;

import org.jspecify.annotations.NullMarked;
