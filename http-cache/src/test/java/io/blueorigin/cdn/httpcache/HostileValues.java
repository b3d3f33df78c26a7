package io.blueorigin.cdn.httpcache;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ArbitrarySupplier;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Field values for the fuzzing properties: everything {@link HeaderValues} gives (near-valid soups of grammar
 * fragments and arbitrary strings), plus what a hostile client or origin sends: the empty value, values of
 * only separators, control characters and non-ASCII (lone surrogates included), numbers far outside any
 * range or negative, and values of 4 KiB to 27 KiB made of one fragment repeated (runs of spaces, commas,
 * semicolons, quotes, escapes, percent signs, digits).
 */
public final class HostileValues implements ArbitrarySupplier<String> {
    private static final String[] NUMBERS = {
        "0", "-0", "-1", "-2147483649", "2147483647", "2147483648", "4294967296", "9223372036854775807",
        "9223372036854775808", "-9223372036854775808", "99999999999999999999999999999999", "1e9", "0x10", "+5", "1.5",
        "NaN", "Infinity", "\u0661\u0662", "00000000000000000000000000000000000000060",
    };
    private static final String[] PREFIXES = {
        "", "max-age=", "s-maxage=", "max-stale=", "min-fresh=", "stale-while-revalidate=", "stale-if-error=", "q=",
        "br;q=", "gzip;q=", "Age: ", "W/\"", "\"", "%", "/", "?",
    };
    private static final String[] RUNS = {
        " ", "\t", ",", ";", "\"", "\\", "=", " ,", "; ", "\t;", "\\\"", "%", "%2", "%2e", "/..", "/.", "W/", "*", "9",
        "-", ":", "(", "a", "é", "\u0000", "\r\n", "\ud800", "\"a\", ", "W/\"x\",", "k ",
    };

    @Override
    public Arbitrary<String> get() {
        Arbitrary<String> separatorsOnly = Arbitraries.strings().withChars(" \t,;=\"\\").ofMaxLength(30);
        Arbitrary<String> controlAndNonAscii = Arbitraries.strings()
                .withCharRange('\u0000', '\u001f').withChars('\u007f', '\u0080', '\u00ff', '\u0100', '\ud800', '\udfff', '\ufffd', '\uffff', ' ', 'a', ',', ';', '"')
                .ofMaxLength(40);
        Arbitrary<String> numbers = Combinators.combine(Arbitraries.of(PREFIXES), Arbitraries.of(NUMBERS))
                .as((prefix, number) -> prefix + number);
        Arbitrary<String> huge = Combinators.combine(Arbitraries.of(PREFIXES), Arbitraries.of(RUNS),
                        Arbitraries.integers().between(4096, 9000))
                .as((prefix, run, n) -> prefix + run.repeat(n));
        return Arbitraries.frequencyOf(
                Tuple.of(6, new HeaderValues().get()),
                Tuple.of(1, Arbitraries.just("")),
                Tuple.of(1, separatorsOnly),
                Tuple.of(1, controlAndNonAscii),
                Tuple.of(1, Arbitraries.strings().all().ofMaxLength(60)),
                Tuple.of(1, numbers),
                Tuple.of(1, huge));
    }
}
