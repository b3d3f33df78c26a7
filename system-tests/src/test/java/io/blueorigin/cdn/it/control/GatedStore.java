package io.blueorigin.cdn.it.control;

import io.blueorigin.cdn.httpcache.range.Slices;
import io.blueorigin.cdn.storage.CacheStore;
import io.blueorigin.cdn.storage.ForwardingCacheStore;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A real store whose sweeps ({@link #removeIf}) and tag removals ({@link #removeTagged}) can be held at a gate:
 * they signal that they started and wait until the test opens the gate, so a test can show what does, and
 * what does not, wait behind a long one. Deterministic: latches, no sleeps.
 */
final class GatedStore extends ForwardingCacheStore {
    /** One gate: {@link #entered} counts down when an operation reaches it; it proceeds once {@link #open()}ed. */
    static final class Gate {
        final CountDownLatch entered = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);

        void open() {
            released.countDown();
        }

        boolean isOpen() {
            return released.getCount() == 0;
        }

        private void pass() {
            entered.countDown();
            try {
                if (!released.await(60, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the gate was never opened");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted at the gate", e);
            }
        }
    }

    final Gate sweeps = new Gate();
    final Gate tagRemovals = new Gate();
    /**
     * Held after a tag purge removed its objects, before the agent marks the entry applied; open (passing at once)
     * unless the store was made with {@link #holdingAfterTagRemovals}.
     */
    final Gate afterTagRemovals = new Gate();

    GatedStore(CacheStore store) {
        super(store);
        afterTagRemovals.open();
    }

    private GatedStore(CacheStore store, boolean holdAfterTagRemovals) {
        super(store);
        tagRemovals.open();
        sweeps.open();
    }

    /** A store whose tag purges pass the first gate at once and wait at {@link #afterTagRemovals}. */
    static GatedStore holdingAfterTagRemovals(CacheStore store) {
        return new GatedStore(store, true);
    }

    @Override
    public int removeIf(SweepCondition condition) {
        sweeps.pass();
        return super.removeIf(condition);
    }

    @Override
    public int removeTagged(String tag) {
        if (!Slices.isSliceTag(tag)) {
            tagRemovals.pass(); // a tag purge; a URL purge removing the key's slice entries by tag is not held
        }
        int removed = super.removeTagged(tag);
        if (!Slices.isSliceTag(tag)) {
            afterTagRemovals.pass();
        }
        return removed;
    }

    @Override
    public void close() {
        sweeps.open();
        tagRemovals.open();
        afterTagRemovals.open();
        super.close();
    }
}
