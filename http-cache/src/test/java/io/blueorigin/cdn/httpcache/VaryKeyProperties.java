package io.blueorigin.cdn.httpcache;

import static org.assertj.core.api.Assertions.assertThat;

import io.blueorigin.cdn.httpcache.internal.ListTokenizer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * RFC 9111 §4.1: the secondary key ignores the order of request fields and the case of their names; the
 * linear normalizer agrees with the regex one it replaced on ordinary values, and on pathological values
 * it is idempotent and its output bounded.
 */
class VaryKeyProperties {
    private static final List<String> NAMES = List.of("Accept", "Accept-Encoding", "Accept-Language", "Cookie", "Origin",
            "User-Agent", "X-Device");

    @Provide
    Arbitrary<List<Field>> requests() {
        Arbitrary<String> value = Arbitraries.strings().withChars("abcAB0123 ,;=*.-q").ofMaxLength(20);
        return Arbitraries.of(NAMES).flatMap(name -> value.map(v -> new Field(name, v))).list().ofMaxSize(8);
    }

    @Property
    void ignoresFieldOrderAndNameCase(@ForAll("requests") List<Field> request, @ForAll @Size(max = 4) List<@IntRange(max = 6) Integer> varyIndexes,
            @ForAll long seed) {
        List<String> vary = new ArrayList<>();
        for (int i : varyIndexes) {
            vary.add(NAMES.get(i));
        }
        List<String> names = VaryKey.fieldNames(List.of(String.join(", ", vary))).orElseThrow();
        Random random = new Random(seed);
        // reorder fields of different names (lines of one name keep their order: together they are one list)
        List<Field> reordered = new ArrayList<>();
        List<String> order = new ArrayList<>(NAMES);
        Collections.shuffle(order, random);
        for (String name : order) {
            for (Field f : request) {
                if (f.is(name)) {
                    String recased = random.nextBoolean() ? name.toLowerCase(Locale.ROOT) : name.toUpperCase(Locale.ROOT);
                    reordered.add(new Field(recased, f.value()));
                }
            }
        }
        assertThat(VaryKey.of(names, new FieldList(reordered))).isEqualTo(VaryKey.of(names, new FieldList(request)));
    }

    @Property
    void fieldNamesAreSortedLowerCaseAndDistinct(@ForAll(supplier = HeaderValues.class) String vary) {
        Optional<List<String>> names = VaryKey.fieldNames(List.of(vary));
        names.ifPresent(n -> {
            assertThat(n).isSorted().doesNotHaveDuplicates().doesNotContain("*");
            n.forEach(name -> assertThat(name).isEqualTo(name.toLowerCase(Locale.ROOT)));
        });
        if (names.isEmpty()) {
            assertThat(vary).contains("*");
        }
    }

    @Property
    void differentNominatedValuesGiveDifferentKeys(@ForAll("requests") List<Field> request) {
        // §4.1: a request that lacks a nominated field never matches one that has it
        List<String> names = List.of("x-absent");
        List<Field> with = new ArrayList<>(request);
        with.add(new Field("X-Absent", ""));
        assertThat(VaryKey.of(names, new FieldList(with))).isNotEqualTo(VaryKey.of(names, new FieldList(request)));
    }

    /** Values as clients send them: tokens, parameters, quotes, escapes, SP and HTAB, some non-ASCII letters. */
    @Provide
    Arbitrary<List<String>> ordinaryValues() {
        return Arbitraries.strings().withChars("aAzZ09-_.*=;,\" \t\\éÉİΣßſ\ud801\udc00").ofMaxLength(40).list().ofMinSize(1).ofMaxSize(3);
    }

    @Property(tries = 10_000)
    void linearNormalizerEqualsTheRegexOneOnOrdinaryValues(@ForAll("ordinaryValues") List<String> values,
            @ForAll("nonEncodingNames") String name) {
        assertThat(VaryKey.normalize(name, values)).isEqualTo(RegexNormalizer.normalize(name, values));
    }

    @Provide
    Arbitrary<String> nonEncodingNames() {
        return Arbitraries.of("accept", "accept-language", "accept-charset", "x-foo", "user-agent", "cookie");
    }

    /**
     * Long runs of separators and quotes (4 KiB to 27 KiB), alone or between words, the shapes that made the
     * regex backtrack; some of them hold control characters the old regex treated as whitespace.
     */
    @Provide
    Arbitrary<String> pathologicalValues() {
        Arbitrary<String> unit = Arbitraries.of(" ", "\t", ";", ",", "\"", " ;", "; ", " ,", "\t;\t", " \"", "\\\"", ";,",
                " a", "a ", "\f", "\u000b ", "q=0.5 ; ", "\\");
        Arbitrary<String> edge = Arbitraries.of("", "en", "\"", "x;", "A", "é", " ");
        return Combinators.combine(edge, unit, Arbitraries.integers().between(4096, 9000), edge)
                .as((prefix, u, n, suffix) -> prefix + u.repeat(n) + suffix);
    }

    @Property(tries = 10_000)
    void normalizingPathologicalValuesIsIdempotentAndBounded(@ForAll("pathologicalValues") String value,
            @ForAll("nonEncodingNames") String name) {
        String once = VaryKey.normalize(name, List.of(value));
        assertThat(VaryKey.normalize(name, List.of(once))).isEqualTo(once);
        // each input character gives at most one output character, plus ", " for a separating comma
        assertThat(once.length()).isLessThanOrEqualTo(2 * value.length());
        String key = VaryKey.of(List.of(name), Messages.lines(name + ": " + value));
        assertThat(key.equals(VaryKey.TOO_LONG) || key.length() <= VaryKey.MAX_LENGTH).isTrue();
    }

    @Property(tries = 10_000)
    void normalizingIsIdempotent(@ForAll(supplier = HostileValues.class) String value, @ForAll("nonEncodingNames") String name) {
        String once = VaryKey.normalize(name, List.of(value));
        assertThat(VaryKey.normalize(name, List.of(once))).isEqualTo(once);
    }

    /** The normalizer this package used before: two regular expressions per member (the reference). */
    private static final class RegexNormalizer {
        static String normalize(String name, List<String> values) {
            boolean caseInsensitive = name.equals("accept-language") || name.equals("accept-charset") || name.equals("accept");
            List<String> out = new ArrayList<>();
            for (String m : ListTokenizer.members(values)) {
                String collapsed = m.replaceAll("\\s*;\\s*", ";").replaceAll("\\s+", " ");
                out.add(caseInsensitive ? collapsed.toLowerCase(Locale.ROOT) : collapsed);
            }
            return String.join(", ", out);
        }
    }
}
