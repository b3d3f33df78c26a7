package io.blueorigin.cdn.httpcache.encoding;

import static org.assertj.core.api.Assertions.assertThat;

import io.blueorigin.cdn.httpcache.VaryKey;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Negotiation never throws, reads each character a bounded number of times (counted, not timed), refuses
 * nothing the client accepts, and agrees with {@link VaryKey#normalizeAcceptEncoding} on well-formed values
 * that do not weigh identity explicitly (the cases where both define the same choice).
 */
class AcceptEncodingProperties {

    @Provide
    Arbitrary<String> anything() {
        return Arbitraries.strings().withChars("brgzipdentyx*-,; \t=q.0123456789\"\u00e9BRQ").ofMaxLength(60);
    }

    @Property(tries = 5_000)
    void neverThrowsAndAlwaysChoosesAnOfferedCoding(@ForAll("anything") String value, @ForAll("offered") Set<Coding> offered) {
        AcceptEncoding.Result r = AcceptEncoding.negotiate(List.of(value), offered);
        assertThat(r.coding() == Coding.IDENTITY || offered.contains(r.coding())).isTrue();
        assertThat(!r.identityRefused() || r.coding() == Coding.IDENTITY).isTrue();
    }

    @Provide
    Arbitrary<Set<Coding>> offered() {
        return Arbitraries.of(Set.of(), EnumSet.of(Coding.BR), EnumSet.of(Coding.GZIP), EnumSet.of(Coding.BR, Coding.GZIP));
    }

    @Provide
    Arbitrary<String> hugeValues() {
        Arbitrary<String> unit = Arbitraries.of(" ", ",", ";", "br;q=0.5,", "gzip", ";q=", "x", "\t,", "identity;q=0,", "*");
        return Combinators.combine(unit, Arbitraries.integers().between(1, 64 * 1024)).as((u, n) -> {
            String s = u.repeat(Math.max(1, 64 * 1024 / u.length()));
            return s.substring(0, Math.min(s.length(), n * u.length()));
        });
    }

    /** Linear: at most a few reads per character of a value up to 64 KiB, whatever it holds. */
    @Property(tries = 300)
    void readsEachCharacterABoundedNumberOfTimes(@ForAll("hugeValues") String value) {
        CountingChars counted = new CountingChars(value);
        AcceptEncoding.negotiate(List.of(counted));
        assertThat(counted.reads).isLessThanOrEqualTo(4L * value.length() + 16);
    }

    @Provide
    Arbitrary<String> wellFormed() {
        Arbitrary<String> coding = Arbitraries.of("br", "gzip", "x-gzip", "deflate", "zstd", "*", "BR", "Gzip");
        Arbitrary<String> weight = Arbitraries.of("", ";q=0", ";q=1", ";q=0.5", ";q=0.25", ";q=0.001", ";q=1.0", ";q=0.999");
        Arbitrary<String> member = Combinators.combine(coding, weight).as((c, w) -> c + w);
        return member.list().ofMinSize(1).ofMaxSize(5).map(l -> String.join(", ", l));
    }

    @Property(tries = 5_000)
    void agreesWithTheVaryKeyNormalizationOnWellFormedValues(@ForAll("wellFormed") String value) {
        String negotiated = AcceptEncoding.negotiate(List.of(value)).coding().token();
        assertThat(negotiated).as(value).isEqualTo(VaryKey.normalizeAcceptEncoding(List.of(value)));
    }

    @Property(tries = 2_000)
    void aCodingTheClientRefusesIsNeverChosen(@ForAll("wellFormed") String value, @ForAll @IntRange(max = 1) int which) {
        Coding refused = which == 0 ? Coding.BR : Coding.GZIP;
        String withRefusal = value + ", " + refused.token() + ";q=0";
        // a later q=0 does not lower an earlier positive weight (highest wins), so refuse only codings not listed
        if (value.toLowerCase(java.util.Locale.ROOT).contains(refused.token())) {
            return;
        }
        assertThat(AcceptEncoding.negotiate(List.of(withRefusal)).coding()).isNotEqualTo(refused);
    }

    /** A CharSequence that counts how often its characters are read. */
    private static final class CountingChars implements CharSequence {
        private final String s;
        long reads;

        CountingChars(String s) {
            this.s = s;
        }

        @Override
        public int length() {
            return s.length();
        }

        @Override
        public char charAt(int index) {
            reads++;
            return s.charAt(index);
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            throw new UnsupportedOperationException("the parser must not copy");
        }

        @Override
        public String toString() {
            throw new UnsupportedOperationException("the parser must not copy");
        }
    }
}
