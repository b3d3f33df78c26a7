package io.blueorigin.cdn.proxy.control;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.blueorigin.cdn.httpcache.signing.SigningKey;
import io.blueorigin.cdn.httpcache.signing.SigningKeyring;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The signed-URL keyrings of a node's sites, as admin sent them (registration: all of them; each
 * {@code keys_put} log entry: one site's whole keyring). The only owner of that state; the request path reads
 * it through {@code site.SignatureGate}.
 *
 * <p>Kept beside the site table ({@code <store.disk.path>/node/keys.json}, mode 0600: it holds secrets) so a
 * node restarted while admin is down verifies signed URLs at once. Written whole to a temporary file created
 * 0600, forced, renamed over the old one: a crash leaves the old keyrings or the new. Format:
 * {@code {"sites": {"<site>": [{"id": "k7", "secret": "<base64url>", "notAfter": <Unix seconds> | null}]}}}.
 *
 * <p>Invariant: {@link #keyrings} is replaced whole, in one volatile write; changes are serialized
 * ({@code synchronized}) and persisted after they took effect.
 */
public final class SiteKeyrings {
    private static final Logger LOG = LoggerFactory.getLogger(SiteKeyrings.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The file's name in the node state directory. */
    public static final String NAME = "keys.json";

    private final @Nullable Path path;
    private volatile Map<String, SigningKeyring> keyrings = Map.of();

    /**
     * @param directory the node state directory holding {@link #NAME}, or null (kept in memory only)
     * @param loadKept whether to start from the kept keyrings (a node following admin); else start empty
     */
    public SiteKeyrings(@Nullable Path directory, boolean loadKept) {
        this.path = directory == null ? null : directory.resolve(NAME);
        if (path != null && loadKept) {
            Map<String, SigningKeyring> kept = load(path);
            if (kept != null) {
                keyrings = kept;
            }
        }
    }

    /** Keyrings in memory only (tests, tools, a node without a disk tier). */
    public static SiteKeyrings inMemory() {
        return new SiteKeyrings(null, false);
    }

    /** The keyring of {@code site} now ({@link SigningKeyring#EMPTY} when admin sent none). */
    public SigningKeyring keyring(String site) {
        return keyrings.getOrDefault(site, SigningKeyring.EMPTY);
    }

    /** Every keyring now, by site. */
    public Map<String, SigningKeyring> all() {
        return keyrings;
    }

    /** Sets the keyring of {@code site} (an empty one removes it), and keeps the result. */
    public synchronized void put(String site, SigningKeyring keyring) {
        Map<String, SigningKeyring> next = new TreeMap<>(keyrings);
        if (keyring.keys().isEmpty()) {
            next.remove(site);
        } else {
            next.put(site, keyring);
        }
        keyrings = Map.copyOf(next);
        save();
    }

    /** Replaces every keyring (admin's at registration), and keeps the result. */
    public synchronized void replaceAll(Map<String, SigningKeyring> all) {
        Map<String, SigningKeyring> next = new TreeMap<>(all);
        next.values().removeIf(k -> k.keys().isEmpty());
        keyrings = Map.copyOf(next);
        save();
    }

    /**
     * A keyring as admin sends it ({@code [{"id", "secret" (base64url), "notAfter" (ISO instant, or Unix seconds
     * as kept here; null: current)}]}).
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static SigningKeyring parse(JsonNode keys) {
        if (!keys.isArray()) {
            throw new IllegalArgumentException("keys: expected a list");
        }
        List<SigningKey> list = new ArrayList<>();
        for (JsonNode k : keys) {
            JsonNode notAfter = k.path("notAfter");
            long until = notAfter.isNull() || notAfter.isMissingNode() ? SigningKey.CURRENT
                    : notAfter.isNumber() ? notAfter.asLong() : instant(notAfter.asText());
            byte[] secret;
            try {
                secret = Base64.getUrlDecoder().decode(k.path("secret").asText(""));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("key " + k.path("id").asText() + ": secret is not base64url", e);
            }
            list.add(new SigningKey(k.path("id").asText(""), secret, until));
        }
        return new SigningKeyring(list);
    }

    private static long instant(String text) {
        try {
            return Instant.parse(text).getEpochSecond();
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("notAfter: not an instant: " + text, e);
        }
    }

    private static @Nullable Map<String, SigningKeyring> load(Path path) {
        if (!Files.exists(path)) {
            return null;
        }
        try {
            JsonNode root = JSON.readTree(path.toFile());
            Map<String, SigningKeyring> kept = new TreeMap<>();
            for (Map.Entry<String, JsonNode> e : root.path("sites").properties()) {
                kept.put(e.getKey(), parse(e.getValue()));
            }
            return Map.copyOf(kept);
        } catch (IOException | RuntimeException e) {
            LOG.warn("ignoring the signing keys kept in {}: {}; signed URLs are refused (unknown-key) until admin answers",
                    path, e.getMessage());
            return null;
        }
    }

    private void save() {
        if (path == null) {
            return;
        }
        Map<String, Object> sites = new LinkedHashMap<>();
        keyrings.forEach((site, ring) -> {
            List<Object> keys = new ArrayList<>();
            for (SigningKey k : ring.keys()) {
                Map<String, Object> key = new LinkedHashMap<>();
                key.put("id", k.id());
                key.put("secret", Base64.getUrlEncoder().withoutPadding().encodeToString(k.secret()));
                key.put("notAfter", k.isCurrent() ? null : k.notAfterSeconds());
                keys.add(key);
            }
            sites.put(site, keys);
        });
        Path temp = path.resolveSibling(NAME + ".tmp");
        try {
            Files.createDirectories(path.getParent());
            Files.deleteIfExists(temp);
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE)) {
                ByteBuffer bytes = ByteBuffer.wrap(JSON.writeValueAsBytes(Map.of("sites", sites)));
                while (bytes.hasRemaining()) {
                    ch.write(bytes);
                }
                ch.force(true);
            }
            Files.move(temp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            // the node verifies with the new keys; only a restart while admin is down would miss them
            LOG.warn("could not keep the signing keys in {} ({}); a restart while admin is down would verify with older ones",
                    path, e.getMessage());
        }
    }

    @Override
    public String toString() {
        return "keyrings of " + requireNonNull(keyrings).keySet();
    }
}
