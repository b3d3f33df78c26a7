package io.blueorigin.cdn.httpcache;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ArbitrarySupplier;
import net.jqwik.api.Tuple;

/**
 * Field values for the "never throws" properties: fully arbitrary strings, strings over the characters
 * header grammars care about, and soups of grammar fragments (directive names, numbers, quotes, dates,
 * percent-encodings, entity tags, structured-field syntax), which reach deep parser states far more often.
 */
public final class HeaderValues implements ArbitrarySupplier<String> {
    private static final String[] FRAGMENTS = {
        "max-age", "s-maxage", "max-stale", "min-fresh", "no-cache", "no-store", "private", "public", "must-revalidate",
        "proxy-revalidate", "must-understand", "immutable", "only-if-cached", "stale-while-revalidate",
        "stale-if-error", "=", "=", "0", "1", "60", "-1", "1.5", "123456789012.123", "99999999999999999999", "2147483648",
        "\"", "\"", "\\", ",", ",", ";", " ", "  ", "\t", "?0", "?1", "?", "(", ")", ":", ":aGk=:", "*", "W/", "W/\"a\"",
        "\"v1\"", "gzip", "br", "identity", "x-gzip", "q=", "q=0", "q=0.5", "q=1", "q=NaN", "q=1e9", "Sun, 06 Nov 1994 08:49:37 GMT",
        "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994", "Feb", "GMT", "31", "24:00:60", "%", "%2e", "%2E",
        "%2F", "%7e", "%41", "%zz", "%%", "/", "/", ".", "..", "?", "#", "&", "a", "Z", "é", "\u0000", "\u007f", "\uffff",
        "\ud800", "A-B", "Accept-Encoding", "Cookie", "close", "keep-alive", "http://example.com", "//", "https://other/",
    };

    @Override
    public Arbitrary<String> get() {
        return Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.strings().ofMaxLength(60)),
                Tuple.of(2, Arbitraries.strings().withChars("aAzZ09 ,;=\"\\-*/:?()%.\t!#$&'+^_`|~éW").ofMaxLength(40)),
                Tuple.of(4, Arbitraries.of(FRAGMENTS).list().ofMaxSize(14).map(parts -> String.join("", parts))));
    }
}
