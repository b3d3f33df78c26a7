package io.blueorigin.cdn.httpcache;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** RFC 9111 §4.1: the secondary key ignores the order of request fields and the case of their names. */
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
}
