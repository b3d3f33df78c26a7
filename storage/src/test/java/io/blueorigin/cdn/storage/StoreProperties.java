package io.blueorigin.cdn.storage;

import static io.blueorigin.cdn.storage.StoreFixtures.bytes;
import static io.blueorigin.cdn.storage.StoreFixtures.read;
import static io.blueorigin.cdn.storage.StoreFixtures.store;
import static org.assertj.core.api.Assertions.assertThat;

import io.blueorigin.cdn.storage.tiered.TieredStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * Random workloads against the store and a model of what was last written per key: whatever the store
 * returns is exactly the last body written for that key (never an older, torn or foreign one), removals
 * and tag purges are honoured, every tier stays within its byte budget after every step, and nothing is
 * left counted as in transit (the memory budget is back at 0).
 */
class StoreProperties {
    private static final int KEYS = 40;

    /** One step of a workload. */
    record Op(int kind, int key, int size, int seed) {}

    @Provide
    Arbitrary<Op> ops() {
        return Combinators.combine(
                Arbitraries.integers().between(0, 9),
                Arbitraries.integers().between(0, KEYS - 1),
                Arbitraries.integers().between(0, 200_000),
                Arbitraries.integers().between(0, 1000)).as(Op::new);
    }

    @Property(tries = 12)
    void heapOnlyMatchesTheModel(@ForAll @Size(min = 200, max = 400) List<@net.jqwik.api.From("ops") Op> ops) {
        try (TieredStore store = TieredStore.open(new StorageConfig(2L << 20, 256 * 1024, Optional.empty(), 0, 1L << 30, 16 * 1024),
                "prop", new MemoryBudget(64L << 20))) {
            run(store, ops);
        }
    }

    @Property(tries = 8)
    void heapOverDiskMatchesTheModel(@ForAll @Size(min = 200, max = 400) List<@net.jqwik.api.From("ops") Op> ops) throws Exception {
        Path dir = Files.createTempDirectory("store-prop");
        try (TieredStore store = TieredStore.open(new StorageConfig(1L << 20, 64 * 1024, Optional.of(dir), 64L << 20, 8L << 20,
                16 * 1024), "prop", new MemoryBudget(64L << 20))) {
            run(store, ops);
        } finally {
            deleteTree(dir);
        }
    }

    private static void run(TieredStore store, List<Op> ops) {
        Map<String, byte[]> model = new HashMap<>();
        Map<String, List<String>> history = new HashMap<>();
        for (Op op : ops) {
            String key = "s /k" + op.key();
            history.computeIfAbsent(key, k -> new java.util.ArrayList<>()).add(op.kind() <= 5 ? "put" + op.size()
                    : op.kind() == 6 ? "remove" : op.kind() == 7 ? "purge-tag" + (op.key() % 5) : "get");
            if (op.kind() == 7) {
                for (String k : model.keySet()) {
                    if (("tag" + (Integer.parseInt(k.substring(4)) % 5)).equals("tag" + (op.key() % 5))) {
                        history.computeIfAbsent(k, x -> new java.util.ArrayList<>()).add("purged-by-tag");
                    }
                }
            }
            String tag = "tag" + (op.key() % 5);
            if (op.kind() <= 5) {
                byte[] body = bytes(op.size(), op.seed());
                Optional<StoredObject> stored = store(store, key, "", body, List.of(tag), 9000);
                if (stored.isPresent()) {
                    model.put(key, body);
                } else {
                    model.remove(key); // refused (too large): whatever was there before was replaced or is gone
                    store.remove(key);
                }
            } else if (op.kind() == 6) {
                store.remove(key);
                model.remove(key);
            } else if (op.kind() == 7) {
                store.removeTagged(tag);
                model.keySet().removeIf(k -> ("tag" + (Integer.parseInt(k.substring(4)) % 5)).equals(tag));
            } else {
                Variants v = store.lookup(key);
                if (!v.isEmpty()) {
                    byte[] expected = model.get(key);
                    assertThat(expected).as("the store returned %s, which the model does not hold; history %s; tiers %s", key,
                            history.get(key), store.stats()).isNotNull();
                    assertThat(Arrays.equals(read(v.all().get(0).body()), expected)).as("body of %s", key).isTrue();
                }
            }
            store.cleanUp();
            for (TierStats tier : store.stats()) {
                assertThat(tier.bytes()).as("%s tier within budget", tier.tier()).isLessThanOrEqualTo(tier.maxBytes());
            }
            assertThat(store.memoryBudget().usedBytes()).as("nothing in transit after %s", op).isZero();
        }
    }

    private static void deleteTree(Path dir) throws Exception {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
