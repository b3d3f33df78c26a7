package io.blueorigin.cdn.storage;

import static io.blueorigin.cdn.storage.StoreFixtures.bytes;
import static io.blueorigin.cdn.storage.StoreFixtures.store;
import static org.assertj.core.api.Assertions.assertThat;

import io.blueorigin.cdn.storage.tiered.TieredStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Regression found by {@link StoreProperties}: a tag purge after an empty body was replaced by a spilled one. */
class Issue4TagPurgeTest {

    @Test
    void aTagPurgeRemovesASpilledReplacementOfAnEmptyBody(@TempDir Path dir) {
        try (TieredStore store = TieredStore.open(new StorageConfig(1L << 20, 64 * 1024, Optional.of(dir), 64L << 20, 8L << 20,
                16 * 1024), "t")) {
            store(store, "s /k36", "", bytes(0, 1), List.of("tag1"), 9000);
            store(store, "s /k36", "", bytes(65537, 2), List.of("tag1"), 9000);
            assertThat(store.removeTagged("tag1")).isEqualTo(1);
            assertThat(store.lookup("s /k36").isEmpty()).isTrue();
        }
    }
}
