package io.blueorigin.cdn.storage;

import io.blueorigin.cdn.httpcache.CachedResponse;
import io.blueorigin.cdn.httpcache.Field;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Builders and readers shared by the storage tests. */
final class StoreFixtures {
    private StoreFixtures() {}

    static CachedResponse response(String varyKey, List<String> tags) {
        return new CachedResponse(200, List.of(new Field("Content-Type", "text/plain"), new Field("ETag", "\"e\"")), 1000, 1000,
                0, 60_000, 0, 0, false, false, false, Optional.empty(), -1, -1,
                varyKey.isEmpty() ? List.of() : List.of("accept-language"), varyKey, tags, -1);
    }

    static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + seed * 7 + (i >>> 9));
        }
        return b;
    }

    /** Writes {@code body} in pieces of {@code piece} bytes and commits. */
    static Optional<StoredObject> store(CacheStore store, String key, String varyKey, byte[] body, List<String> tags, int piece) {
        ObjectWriter writer = store.begin(key, response(varyKey, tags), body.length);
        for (int i = 0; i < body.length; i += piece) {
            writer.write(ByteBuffer.wrap(body, i, Math.min(piece, body.length - i)));
        }
        return writer.commit(response(varyKey, tags));
    }

    static Optional<StoredObject> store(CacheStore store, String key, byte[] body) {
        return store(store, key, "", body, List.of(), 8192);
    }

    /** Reads a whole body, waiting (bounded) for readers that read from disk. */
    static byte[] read(Body body) {
        return read(body.reader());
    }

    static byte[] read(BodyReader reader) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            while (true) {
                ByteBuffer b = reader.next();
                if (b != null) {
                    byte[] chunk = new byte[b.remaining()];
                    b.get(chunk);
                    out.write(chunk, 0, chunk.length);
                    continue;
                }
                if (reader.isFinished()) {
                    return out.toByteArray();
                }
                if (reader.failure() != null) {
                    throw new IllegalStateException("body failed", reader.failure());
                }
                CompletableFuture<Void> woken = new CompletableFuture<>();
                reader.demand(() -> woken.complete(null));
                woken.get(10, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            reader.close();
        }
    }
}
