package io.blueorigin.cdn.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.blueorigin.cdn.httpcache.CachedResponse;
import io.blueorigin.cdn.httpcache.Field;
import io.blueorigin.cdn.httpcache.FieldList;
import io.blueorigin.cdn.storage.heap.HeapStore;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HeapStoreTest {

    static CachedResponse response(String varyKey, List<String> varyFields) {
        return new CachedResponse(200, List.of(new Field("Content-Type", "text/plain")), 0, 0, 0, 60_000, 0, 0,
                false, false, false, Optional.empty(), -1, -1, varyFields, varyKey, List.of(), -1);
    }

    private static StoredObject store(CacheStore store, String key, String varyKey, int size) {
        List<String> vary = varyKey.isEmpty() ? List.of() : List.of("accept-language");
        ObjectWriter writer = store.begin(key, response(varyKey, vary), size);
        writer.write(ByteBuffer.allocate(size));
        return writer.commit(response(varyKey, vary)).orElseThrow();
    }

    @Test
    void anObjectIsVisibleOnlyOnceCommitted() {
        HeapStore store = new HeapStore(1 << 20, 1 << 16, 1024);
        ObjectWriter writer = store.begin("s /a", response("", List.of()), 10);
        writer.write(ByteBuffer.allocate(10));
        assertThat(store.lookup("s /a").isEmpty()).isTrue();
        StoredObject stored = writer.commit(response("", List.of())).orElseThrow();
        assertThat(store.lookup("s /a").all()).containsExactly(stored);
        assertThat(stored.response().contentLength()).isEqualTo(10);
        assertThat(stored.body().length()).isEqualTo(10);
    }

    @Test
    void anAbortedObjectIsNeverVisible() {
        HeapStore store = new HeapStore(1 << 20, 1 << 16, 1024);
        ObjectWriter writer = store.begin("s /a", response("", List.of()), 10);
        writer.write(ByteBuffer.allocate(5));
        writer.abort(new IllegalStateException("reset"));
        assertThat(store.lookup("s /a").isEmpty()).isTrue();
    }

    @Test
    void variantsAreKeptPerSecondaryKeyAndSelectedByRequest() {
        HeapStore store = new HeapStore(1 << 20, 1 << 16, 1024);
        store(store, "s /a", "accept-language=en\u001f", 10);
        store(store, "s /a", "accept-language=fr\u001f", 20);
        Variants v = store.lookup("s /a");
        assertThat(v.size()).isEqualTo(2);
        StoredObject fr = v.select(new FieldList(List.of(new Field("Accept-Language", "FR"))));
        assertThat(fr).isNotNull();
        assertThat(fr.body().length()).isEqualTo(20);
        assertThat(v.select(new FieldList(List.of(new Field("Accept-Language", "de"))))).isNull();
        store(store, "s /a", "accept-language=fr\u001f", 30);
        assertThat(store.lookup("s /a").size()).isEqualTo(2);
        assertThat(store.lookup("s /a").select(new FieldList(List.of(new Field("Accept-Language", "fr")))).body().length())
                .isEqualTo(30);
        assertThat(store.remove("s /a")).isEqualTo(2);
        assertThat(store.lookup("s /a").isEmpty()).isTrue();
    }

    @Test
    void tooLargeObjectsAreRefused() {
        HeapStore store = new HeapStore(1 << 20, 100, 1024);
        ObjectWriter writer = store.begin("s /big", response("", List.of()), -1);
        writer.write(ByteBuffer.allocate(101));
        assertThat(writer.commit(response("", List.of()))).isEmpty();
        assertThat(store.lookup("s /big").isEmpty()).isTrue();
        assertThat(store.stats().rejected()).isEqualTo(1);
    }

    @Test
    void theTierStaysWithinItsByteBudget() {
        long budget = 64 * 1024;
        HeapStore store = new HeapStore(budget, 8 * 1024, 1024);
        for (int i = 0; i < 200; i++) {
            store(store, "s /o" + i, "", 4 * 1024);
        }
        store.cleanUp();
        assertThat(store.stats().bytes()).isLessThanOrEqualTo(budget);
        assertThat(store.stats().evictions()).isPositive();
    }

    @Test
    void freshenReplacesMetadataAndKeepsTheBody() {
        HeapStore store = new HeapStore(1 << 20, 1 << 16, 1024);
        StoredObject stored = store(store, "s /a", "", 10);
        CachedResponse newer = new CachedResponse(200, List.of(new Field("X-New", "1")), 5, 5, 0, 120_000, 0, 0,
                false, false, false, Optional.empty(), -1, -1, List.of(), "", List.of(), 10);
        StoredObject updated = store.freshen("s /a", stored, newer);
        assertThat(store.lookup("s /a").all()).containsExactly(updated);
        assertThat(updated.body()).isSameAs(stored.body());
        assertThat(updated.response().freshnessLifetimeMillis()).isEqualTo(120_000);
    }
}
