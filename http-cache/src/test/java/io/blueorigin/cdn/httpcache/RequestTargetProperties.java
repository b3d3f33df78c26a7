package io.blueorigin.cdn.httpcache;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Fuzzing the request-target canonicalizer (part of the hostile-input suite): whatever a client sends, the
 * result is a 400-style {@link RequestTarget.InvalidTarget} or a canonical target that every URI parser
 * accepts, that parses to itself, and whose size is bounded by the input's.
 */
class RequestTargetProperties {

    @Provide
    Arbitrary<String> rawPaths() {
        Arbitrary<String> fragment = Arbitraries.oneOf(
                Arbitraries.of("/", "/", ".", "..", ";", ";x", "%", "%2e", "%2E", "%2f", "%00", "%0a", "%zz", "%4", "%41",
                        "%e2%82%ac", "é", "€", "😀", "\ud800", "|", "{", "}", "^", "`", "\\", "\"", " ", "<", ">", "[", "]",
                        "?", "#", "@", ":", "a", "Z", "~", "\u0001", "\u007f"),
                Arbitraries.strings().ofMaxLength(8));
        return fragment.list().ofMaxSize(16).map(parts -> "/" + String.join("", parts));
    }

    @Provide
    Arbitrary<String> rawQueries() {
        return Arbitraries.oneOf(rawPaths().map(p -> p.substring(1)), Arbitraries.strings().ofMaxLength(40),
                Arbitraries.just(null));
    }

    @Property(tries = 10_000)
    void anyTargetIsRefusedOrCanonical(@ForAll("rawPaths") String rawPath, @ForAll("rawQueries") String rawQuery) {
        RequestTarget target;
        try {
            target = RequestTarget.parse(rawPath, rawQuery);
        } catch (RequestTarget.InvalidTarget refused) {
            assertThat(refused.getMessage()).isNotBlank();
            return;
        }
        URI uri = URI.create("http://upstream" + target.pathAndQuery()); // never throws for a canonical target
        assertThat(uri.getRawPath()).isEqualTo(target.path());
        assertThat(uri.getRawQuery()).isEqualTo(target.query());
        assertThat(RequestTarget.parse(target.path(), target.query())).isEqualTo(target);
        for (String segment : target.path().split("/", -1)) {
            assertThat(segment).isNotIn(".", "..");
        }
        int inputLength = rawPath.length() + (rawQuery == null ? 0 : rawQuery.length());
        assertThat(target.pathAndQuery().length()).isLessThanOrEqualTo(9 * inputLength + 2);
    }

    @Property(tries = 10_000)
    void anyStringIsRefusedOrCanonical(@ForAll(supplier = HeaderValues.class) String anything) {
        try {
            RequestTarget target = RequestTarget.parse("/" + anything, anything);
            assertThat(RequestTarget.parse(target.path(), target.query())).isEqualTo(target);
        } catch (RequestTarget.InvalidTarget refused) {
            assertThat(refused.getMessage()).isNotBlank();
        }
    }

    @Property(tries = 2_000)
    void aLongPathOfDotSegmentsIsLinear(@ForAll("rawPaths") String tail) {
        // 20,000 dot segments: a regex-free one-pass resolution (a quadratic one would take seconds here)
        String path = "/a".repeat(10_000) + "/..".repeat(10_000) + tail;
        try {
            assertThat(RequestTarget.parse(path, null).path()).doesNotContain("/../");
        } catch (RequestTarget.InvalidTarget refused) {
            assertThat(refused.getMessage()).isNotBlank();
        }
    }
}
