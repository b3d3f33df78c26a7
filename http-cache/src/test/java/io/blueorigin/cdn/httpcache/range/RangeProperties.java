package io.blueorigin.cdn.httpcache.range;

import static org.assertj.core.api.Assertions.assertThat;

import io.blueorigin.cdn.httpcache.EntityTag;
import io.blueorigin.cdn.httpcache.HostileValues;
import io.blueorigin.cdn.httpcache.range.RangeDecision.Action;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** {@link RangeHeader} and {@link RangePolicy} fuzzed: they never throw, and what they return is well formed. */
class RangeProperties {
    private static final int TRIES = 10_000;
    private final RangePolicy policy = new RangePolicy();

    @Property(tries = TRIES)
    void hostileFieldsNeverThrow(@ForAll(supplier = HostileValues.class) String value, @ForAll @LongRange(min = -1, max = 100_000) long length) {
        RangeDecision d = policy.decide("GET", List.of("bytes=" + value), List.of(value), representation(length));
        wellFormed(d, length);
        wellFormed(policy.decide("GET", List.of(value), List.of(), representation(length)), length);
    }

    @Property(tries = TRIES)
    void rangeShapedSoupsNeverThrow(@ForAll("soup") String value, @ForAll @LongRange(min = 0, max = 1000) long length) {
        RangeHeader.Parsed parsed = RangeHeader.parse(value, 100);
        assertThat(parsed.stoppedAt()).isBetween(0, value.length());
        wellFormed(policy.decide("GET", List.of(value), List.of(), representation(length)), length);
    }

    @Provide
    Arbitrary<String> soup() {
        return Arbitraries.strings().withChars("bytesBYTES=-,0123456789 \t9").ofMaxLength(60).map(s -> "bytes=" + s);
    }

    @Property(tries = TRIES)
    void specsRoundTripThroughTheField(@ForAll("specs") List<RangeSpec> specs) {
        String field = "bytes=" + String.join(", ", specs.stream().map(RangeSpec::toString).toList());
        RangeHeader.Parsed parsed = RangeHeader.parse(field, 100);
        assertThat(parsed.outcome()).isEqualTo(RangeHeader.Outcome.VALID);
        assertThat(parsed.specs()).isEqualTo(specs);
    }

    @Provide
    Arbitrary<List<RangeSpec>> specs() {
        Arbitrary<Long> pos = Arbitraries.longs().between(0, Long.MAX_VALUE);
        return Arbitraries.<RangeSpec>oneOf(
                pos.map(RangeSpec::suffix),
                pos.map(RangeSpec::startingAt),
                pos.flatMap(first -> Arbitraries.longs().between(first, Long.MAX_VALUE).map(last -> RangeSpec.from(first, last)))).list().ofMinSize(1).ofMaxSize(100);
    }

    @Property(tries = TRIES)
    void coalescedPartsCoverExactlyTheSatisfiableBytes(@ForAll("smallSpecs") List<RangeSpec> specs,
            @ForAll @IntRange(min = 0, max = 200) int length) {
        boolean[] asked = new boolean[length];
        for (RangeSpec s : specs) {
            s.resolve(length).ifPresent(r -> {
                for (long i = r.first(); i <= r.last(); i++) {
                    asked[(int) i] = true;
                }
            });
        }
        boolean[] sent = new boolean[length];
        for (ByteRange r : RangePolicy.coalesce(specs, length)) {
            for (long i = r.first(); i <= r.last(); i++) {
                assertThat(sent[(int) i]).as("byte %d sent twice", i).isFalse();
                sent[(int) i] = true;
            }
        }
        assertThat(sent).isEqualTo(asked);
    }

    @Provide
    Arbitrary<List<RangeSpec>> smallSpecs() {
        Arbitrary<Long> pos = Arbitraries.longs().between(0, 250);
        return Arbitraries.<RangeSpec>oneOf(
                pos.map(RangeSpec::suffix),
                pos.map(RangeSpec::startingAt),
                pos.flatMap(first -> Arbitraries.longs().between(first, 260).map(last -> RangeSpec.from(first, last)))).list().ofMinSize(1).ofMaxSize(30);
    }

    /** The invariants every decision keeps: parts inside the representation, disjoint and not adjacent. */
    private static void wellFormed(RangeDecision d, long length) {
        if (d.action() == Action.PARTIAL || d.action() == Action.MULTIPART) {
            List<ByteRange> sorted = new ArrayList<>(d.ranges());
            sorted.sort((a, b) -> Long.compare(a.first(), b.first()));
            for (int i = 0; i < sorted.size(); i++) {
                assertThat(sorted.get(i).last()).isLessThan(length);
                if (i > 0) {
                    assertThat(sorted.get(i).first()).isGreaterThan(sorted.get(i - 1).last() + 1);
                }
            }
            assertThat(d.ranges().size()).isLessThanOrEqualTo(RangePolicy.DEFAULT_MAX_RANGES);
        }
        if (length < 0) {
            assertThat(d.action()).isEqualTo(Action.FULL);
        }
    }

    private static Representation representation(long length) {
        return new Representation(200, length, Optional.of(new EntityTag("v1", false)), -1, 0);
    }
}
