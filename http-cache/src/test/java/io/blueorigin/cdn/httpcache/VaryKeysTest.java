package io.blueorigin.cdn.httpcache;

import static io.blueorigin.cdn.httpcache.Messages.T;
import static io.blueorigin.cdn.httpcache.Messages.fields;
import static io.blueorigin.cdn.httpcache.Messages.get;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 9111 §4.1 selecting a variant: a request's secondary key is computed once per distinct {@code Vary}. */
class VaryKeysTest {
    private final CachePolicy policy = new CachePolicy(Messages.NO_CAP);

    /** Counts how often each field is read, to count key computations without timing anything. */
    private static final class CountingLookup implements FieldLookup {
        private final FieldLookup fields;
        final List<String> reads = new ArrayList<>();

        CountingLookup(FieldLookup fields) {
            this.fields = fields;
        }

        @Override
        public List<String> values(String name) {
            reads.add(name);
            return fields.values(name);
        }
    }

    private CachedResponse variant(String vary, String requestFields) {
        return policy.onResponse(get(requestFields), 200, fields("Cache-Control: max-age=60 | Date: {0} | Vary: " + vary), T, T)
                .response();
    }

    @Test
    void computesTheKeyOncePerVaryListAcrossVariants() {
        List<CachedResponse> variants = new ArrayList<>();
        for (String language : List.of("en", "fr", "de", "it", "es", "nl", "pt", "pl")) {
            variants.add(variant("Accept-Language", "Accept-Language: " + language));
        }
        variants.add(variant("Accept-Language, X-Device", "Accept-Language: pl | X-Device: phone"));
        CountingLookup request = new CountingLookup(fields("Accept-Language: PL | X-Device: phone"));
        VaryKeys keys = VaryKeys.of(request);

        List<CachedResponse> matching = variants.stream().filter(keys::matches).toList();

        assertThat(matching).containsExactly(variants.get(7), variants.get(8));
        // nine variants, two distinct Vary lists: Accept-Language read twice (once per list), X-Device once
        assertThat(request.reads).containsExactlyInAnyOrder("accept-language", "accept-language", "x-device");
        // asking again computes nothing
        assertThat(variants.stream().filter(keys::matches).count()).isEqualTo(2);
        assertThat(request.reads).hasSize(3);
    }

    @Test
    void agreesWithVaryKeyOnEveryVariantKind() {
        CachedResponse none = policy.onResponse(get(""), 200, fields("Cache-Control: max-age=60 | Date: {0}"), T, T).response();
        CachedResponse absent = variant("X-Foo", "");
        CachedResponse present = variant("X-Foo", "X-Foo: a");
        for (String request : List.of("", "X-Foo: a", "X-Foo: b", "X-Foo:  a ")) {
            FieldLookup fields = fields(request);
            for (CachedResponse r : List.of(none, absent, present)) {
                boolean expected = r.varyFields().isEmpty() ? r.varyKey().isEmpty()
                        : VaryKey.of(r.varyFields(), fields).equals(r.varyKey());
                assertThat(VaryKeys.of(fields).matches(r)).as(request + " / " + r.varyKey()).isEqualTo(expected);
            }
        }
        assertThat(VaryKeys.of(fields("X-Foo: a")).matches(present)).isTrue();
        assertThat(VaryKeys.of(fields("")).matches(absent)).isTrue();
        assertThat(VaryKeys.of(fields("X-Foo: a")).matches(absent)).isFalse();
    }

    @Test
    void aTooLongKeyMatchesNoVariant() {
        CachedResponse stored = variant("X-Foo", "X-Foo: a");
        VaryKeys keys = VaryKeys.of(fields("X-Foo: " + "a".repeat(VaryKey.MAX_LENGTH)));
        assertThat(keys.key(List.of("x-foo"))).isEqualTo(VaryKey.TOO_LONG);
        assertThat(keys.matches(stored)).isFalse();
    }

    @Test
    void remembersAtMostSixteenLists() {
        CountingLookup request = new CountingLookup(FieldLookup.EMPTY);
        VaryKeys keys = VaryKeys.of(request);
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < 20; i++) {
                keys.key(List.of("x-" + i));
            }
        }
        // the first 16 lists are remembered, the 4 beyond are computed in each round
        assertThat(request.reads).hasSize(20 + 4);
    }
}
