package io.blueorigin.cdn.httpcache;

import static java.util.Objects.requireNonNull;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The secondary keys (RFC 9111 §4.1) of one request, each computed once per distinct {@code Vary} field
 * list however many stored variants are compared with it. The variants of one URI nearly always vary on the
 * same fields, so selecting among up to 16 of them costs one {@link VaryKey#of} instead of 16; Varnish builds
 * a request's vary string once per lookup for the same reason ({@code VRY_Match} in {@code cache_vary.c}).
 *
 * <p>Per-request state, confined to the thread handling the request: not thread-safe. At most
 * {@link #MEMO_ENTRIES} keys are remembered; further distinct field lists are computed each time, so what a
 * stored response's {@code Vary} says cannot grow this object.
 */
public final class VaryKeys {
    /** Most distinct field lists remembered (a URI keeps at most 16 variants). */
    static final int MEMO_ENTRIES = 16;

    private final FieldLookup request;
    private final Map<List<String>, String> computed = new HashMap<>(4);

    private VaryKeys(FieldLookup request) {
        this.request = requireNonNull(request, "request is null");
    }

    /** The keys of {@code request}, computed as they are asked for. */
    public static VaryKeys of(FieldLookup request) {
        return new VaryKeys(request);
    }

    /** {@link VaryKey#of}{@code (fieldNames, request)}, computed at most once per distinct {@code fieldNames}. */
    public String key(List<String> fieldNames) {
        if (fieldNames.isEmpty()) {
            return VaryKey.NONE;
        }
        String key = computed.get(fieldNames);
        if (key == null) {
            key = VaryKey.of(fieldNames, request);
            if (computed.size() < MEMO_ENTRIES) {
                computed.put(fieldNames, key);
            }
        }
        return key;
    }

    /** Whether {@code stored} is the variant this request selects: the same secondary key (§4.1). */
    public boolean matches(CachedResponse stored) {
        List<String> vary = stored.varyFields();
        return vary.isEmpty() ? stored.varyKey().isEmpty() : key(vary).equals(stored.varyKey());
    }
}
