package io.blueorigin.cdn.storage;

import io.blueorigin.cdn.httpcache.FieldLookup;
import io.blueorigin.cdn.httpcache.VaryKey;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The stored variants of one URI (RFC 9111 §4.1), newest first. Immutable: adding or replacing a variant
 * makes a new instance. At most {@link #MAX} variants are kept per URI (oldest dropped), so a header with
 * unbounded values in {@code Vary} cannot grow one entry without bound.
 */
public final class Variants {
    /** Most variants kept for one URI. */
    public static final int MAX = 16;
    public static final Variants EMPTY = new Variants(List.of());

    private final List<StoredObject> objects;

    private Variants(List<StoredObject> objects) {
        this.objects = objects;
    }

    public static Variants of(StoredObject object) {
        return new Variants(List.of(object));
    }

    public List<StoredObject> all() {
        return objects;
    }

    public boolean isEmpty() {
        return objects.isEmpty();
    }

    public int size() {
        return objects.size();
    }

    /** The variant whose secondary key matches {@code request} (§4.1), newest first; null if none. */
    public @Nullable StoredObject select(FieldLookup request) {
        for (StoredObject o : objects) {
            List<String> vary = o.response().varyFields();
            if (vary.isEmpty() ? o.response().varyKey().isEmpty() : VaryKey.of(vary, request).equals(o.response().varyKey())) {
                return o;
            }
        }
        return null;
    }

    /** These variants with {@code object} first, replacing any with the same secondary key. */
    public Variants with(StoredObject object) {
        List<StoredObject> out = new ArrayList<>(objects.size() + 1);
        out.add(object);
        String key = object.response().varyKey();
        for (StoredObject o : objects) {
            if (!o.response().varyKey().equals(key) && out.size() < MAX) {
                out.add(o);
            }
        }
        return new Variants(List.copyOf(out));
    }

    /** These variants without the one stored under {@code varyKey}. */
    public Variants without(String varyKey) {
        List<StoredObject> out = new ArrayList<>(objects.size());
        for (StoredObject o : objects) {
            if (!o.response().varyKey().equals(varyKey)) {
                out.add(o);
            }
        }
        return out.isEmpty() ? EMPTY : new Variants(List.copyOf(out));
    }

    /** These variants with {@code old} replaced by {@code replacement} (same secondary key), if still present. */
    public @Nullable Variants replacing(StoredObject old, StoredObject replacement) {
        List<StoredObject> out = new ArrayList<>(objects.size());
        boolean found = false;
        for (StoredObject o : objects) {
            if (o == old) {
                out.add(replacement);
                found = true;
            } else {
                out.add(o);
            }
        }
        return found ? new Variants(List.copyOf(out)) : null;
    }

    public long weight() {
        long w = 64;
        for (StoredObject o : objects) {
            w += o.weight();
        }
        return w;
    }
}
