package io.blueorigin.cdn.storage;

import static io.blueorigin.cdn.storage.StoreFixtures.bytes;
import static io.blueorigin.cdn.storage.StoreFixtures.store;
import static org.assertj.core.api.Assertions.assertThat;

import io.blueorigin.cdn.storage.tiered.TieredStore;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The contract on a store without a disk tier. */
class HeapOnlyStoreTest extends CacheStoreContract {

    @Override
    TieredStore open() {
        return TieredStore.open(new StorageConfig(HEAP, HEAP_OBJECT, Optional.empty(), 0, 1L << 30, CHUNK), "test");
    }

    @Override
    TieredStore openForMany() {
        return TieredStore.open(new StorageConfig(512L << 20, HEAP_OBJECT, Optional.empty(), 0, 1L << 30, CHUNK), "test");
    }

    @Test
    void withoutADiskObjectsAboveTheHeapObjectLimitAreRefused() {
        assertThat(store.maxObjectBytes()).isEqualTo(HEAP_OBJECT);
        assertThat(store(store, "s /big", bytes((int) HEAP_OBJECT + 1, 1))).isEmpty();
        assertThat(store.lookup("s /big").isEmpty()).isTrue();
        assertThat(store.mayHaveOnDisk("s /big")).isFalse();
    }
}
