package io.blueorigin.cdn.httpcache;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Assume;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** RFC 3986 §6.2.2 normalization of the primary key is idempotent and semantics-preserving. */
class CacheKeyProperties {

    @Provide
    Arbitrary<String> paths() {
        // segments glued from fragments, so that lone '%' meet triplets ("%" + "%34" + "%31")
        Arbitrary<String> segment = Arbitraries.oneOf(
                Arbitraries.of(".", "..", "", "%2e", "%2E", "%2F", "%2f", "%25", "%", "%4", "%zz", "%34", "%31", "%7e",
                        "%e2%82%ac", "a.b", "4", "1").list().ofMaxSize(3).map(parts -> String.join("", parts)),
                Arbitraries.strings().withChars("aZ09-._~%!$&'()*+,;=:@fF").ofMaxLength(6));
        return segment.list().ofMaxSize(8).map(segments -> "/" + String.join("/", segments));
    }

    @Provide
    Arbitrary<String> queries() {
        return Arbitraries.strings().withChars("a0=&%2fF7e.?/").ofMaxLength(12).injectNull(0.2);
    }

    @Property
    void stringOfIsTheKeysString(@ForAll("paths") String path, @ForAll("queries") String query) {
        Assume.that(!refused(path, query));
        RequestTarget target = RequestTarget.parse(path, query);
        assertThat(CacheKey.stringOf("s", target)).isEqualTo(CacheKey.of("s", target).asString());
    }

    @Property
    void normalizingTheNormalizedKeyChangesNothing(@ForAll("paths") String path, @ForAll("queries") String query) {
        Assume.that(!refused(path, query));
        CacheKey key = CacheKey.of("s", path, query);
        String pq = key.pathAndQuery();
        int q = pq.indexOf('?');
        CacheKey again = q < 0 ? CacheKey.of("s", pq, null) : CacheKey.of("s", pq.substring(0, q), pq.substring(q + 1));
        assertThat(again).isEqualTo(key);
    }

    @Property
    void noDotSegmentsRemain(@ForAll("paths") String path) {
        Assume.that(!refused(path, null));
        // RFC 3986 §5.2.4: "." and ".." segments are gone from an absolute path
        String normalized = CacheKey.of("s", path, null).path();
        assertThat(normalized).startsWith("/");
        for (String segment : normalized.split("/", -1)) {
            assertThat(segment).isNotIn(".", "..");
        }
    }

    @Property
    void encodingUnreservedCharactersDoesNotChangeTheKey(@ForAll("paths") String path) {
        Assume.that(!refused(path, null));
        // RFC 3986 §2.3: percent-encoded unreserved characters are equivalent to the characters
        StringBuilder encoded = new StringBuilder();
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '%' && i + 2 < path.length() && isHex(path.charAt(i + 1)) && isHex(path.charAt(i + 2))) {
                encoded.append(path, i, i + 3); // an existing triplet stays one
                i += 2;
                continue;
            }
            boolean unreserved = (Character.isLetterOrDigit(c) && c < 0x80) || "-_~".indexOf(c) >= 0;
            encoded.append(unreserved ? String.format(Locale.ROOT, "%%%02x", (int) c) : String.valueOf(c));
        }
        assertThat(CacheKey.of("s", encoded.toString(), null)).isEqualTo(CacheKey.of("s", path, null));
    }

    /** Targets such as {@code /..;x} cannot be made canonical and have no key (see RequestTargetTest). */
    private static boolean refused(String path, String query) {
        try {
            RequestTarget.parse(path, query);
            return false;
        } catch (RequestTarget.InvalidTarget e) {
            return true;
        }
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
