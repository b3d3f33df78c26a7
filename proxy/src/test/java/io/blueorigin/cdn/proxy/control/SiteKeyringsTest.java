package io.blueorigin.cdn.proxy.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.blueorigin.cdn.httpcache.signing.SigningKey;
import io.blueorigin.cdn.httpcache.signing.SigningKeyring;
import io.blueorigin.cdn.storage.CacheStore;
import io.blueorigin.cdn.storage.StorageConfig;
import io.blueorigin.cdn.storage.tiered.TieredStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node's signed-URL keyrings: a {@code keys_put} entry replaces its site's keyring (again: no change), the
 * registration's keyrings replace all, and they are kept in {@code keys.json} (0600) for a restart while admin
 * is down; an unreadable kept file or entry is refused with a message, never half-applied.
 */
class SiteKeyringsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path dir;

    private static final String SECRET_1 = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY"; // base64url of 32 ASCII bytes
    private static final String SECRET_0 = "ZmVkY2JhOTg3NjU0MzIxMGZlZGNiYTk4NzY1NDMyMTA";

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError(text, e);
        }
    }

    private static JsonNode keysPut(long id, String site) {
        return json("{\"id\": " + id + ", \"kind\": \"keys_put\", \"site\": \"" + site + "\", \"keys\": ["
                + "{\"id\": \"k2\", \"secret\": \"" + SECRET_1 + "\", \"notAfter\": null},"
                + "{\"id\": \"k1\", \"secret\": \"" + SECRET_0 + "\", \"notAfter\": \"2026-01-02T00:00:00Z\"}],"
                + " \"createdAt\": \"2026-01-01T00:00:00Z\"}");
    }

    @Test
    void aKeysPutEntryReplacesItsSitesKeyringAndReplayingItChangesNothing() throws Exception {
        SiteDirectory sites = SiteDirectory.single("www");
        try (CacheStore store = TieredStore.open(new StorageConfig(8L << 20, 1L << 20, Optional.empty(), 0, 4L << 20, 16 * 1024),
                "test")) {
            Invalidator invalidator = new Invalidator(store, sites, Clock.fixed(Instant.EPOCH, ZoneOffset.UTC),
                    new LocalInvalidations());
            Invalidation entry = Invalidation.fromJson(keysPut(5, "v"));
            assertThat(entry.isSiteChange()).isTrue();
            assertThat(invalidator.apply(entry)).isZero();
            SigningKeyring ring = sites.keyrings().keyring("v");
            assertThat(ring.current().id()).isEqualTo("k2");
            assertThat(ring.current().secret()).isEqualTo("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
            assertThat(ring.find("k1").notAfterSeconds()).isEqualTo(Instant.parse("2026-01-02T00:00:00Z").getEpochSecond());
            invalidator.apply(entry);
            assertThat(sites.keyrings().keyring("v")).isEqualTo(ring);
            assertThat(sites.keyrings().keyring("www")).isEqualTo(SigningKeyring.EMPTY);
            // the last key revoked: an empty keyring, the site forgotten
            invalidator.apply(Invalidation.fromJson(json("{\"id\": 6, \"kind\": \"keys_put\", \"site\": \"v\", \"keys\": []}")));
            assertThat(sites.keyrings().all()).isEmpty();
        }
    }

    @Test
    void keptInA0600FileAndReadBackByARestartedNode() throws Exception {
        SiteKeyrings keyrings = new SiteKeyrings(dir, true);
        SigningKeyring ring = Invalidation.fromJson(keysPut(5, "v")).keyring();
        keyrings.put("v", ring);
        Path file = dir.resolve(SiteKeyrings.NAME);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(new SiteKeyrings(dir, true).all()).isEqualTo(Map.of("v", ring));
        assertThat(new SiteKeyrings(dir, false).all()).as("a node not following admin ignores kept keys").isEmpty();

        keyrings.replaceAll(Map.of("w", ring, "x", SigningKeyring.EMPTY));
        assertThat(new SiteKeyrings(dir, true).all()).isEqualTo(Map.of("w", ring));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(dir.resolve(SiteKeyrings.NAME + ".tmp")).doesNotExist();
    }

    @Test
    void anUnreadableKeptFileIsIgnored() throws Exception {
        Files.writeString(dir.resolve(SiteKeyrings.NAME), "{\"sites\": {\"v\": [{\"id\": \"k1\", \"secret\": \"c2hvcnQ\"}]}}");
        assertThat(new SiteKeyrings(dir, true).all()).isEmpty();
        Files.writeString(dir.resolve(SiteKeyrings.NAME), "{not json");
        assertThat(new SiteKeyrings(dir, true).all()).isEmpty();
    }

    @Test
    void anEntryWithAnUnusableKeyringIsRefusedNamingIt() {
        for (String keys : List.of("\"k1\"", "[{\"id\": \"k/1\", \"secret\": \"" + SECRET_1 + "\"}]",
                "[{\"id\": \"k1\", \"secret\": \"c2hvcnQ\"}]", "[{\"id\": \"k1\", \"secret\": \"!!\"}]",
                "[{\"id\": \"k1\", \"secret\": \"" + SECRET_1 + "\"}, {\"id\": \"k2\", \"secret\": \"" + SECRET_0 + "\"}]",
                "[{\"id\": \"k1\", \"secret\": \"" + SECRET_1 + "\", \"notAfter\": \"tomorrow\"}]")) {
            JsonNode entry = json("{\"id\": 7, \"kind\": \"keys_put\", \"site\": \"v\", \"keys\": " + keys + "}");
            assertThatThrownBy(() -> Invalidation.fromJson(entry)).as(keys)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("entry 7: ");
        }
        assertThatThrownBy(() -> Invalidation.fromJson(json("{\"id\": 8, \"kind\": \"keys_put\", \"keys\": []}")))
                .hasMessageContaining("site name");
    }

    @Test
    void secretsNeverInToString() {
        SigningKeyring ring = Invalidation.fromJson(keysPut(5, "v")).keyring();
        assertThat(ring.toString()).doesNotContain(SECRET_1).contains("k2");
        assertThat(ring.keys()).extracting(SigningKey::isCurrent).containsExactly(true, false);
    }
}
