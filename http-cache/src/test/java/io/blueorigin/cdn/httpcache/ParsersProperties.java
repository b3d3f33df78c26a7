package io.blueorigin.cdn.httpcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.blueorigin.cdn.httpcache.internal.HttpDates;
import io.blueorigin.cdn.httpcache.internal.ListTokenizer;
import io.blueorigin.cdn.httpcache.internal.StructuredDictionary;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Package contract, fuzzed: parsers never throw on header values (STYLE §7), what they return is well formed
 * and bounded by what they were given, and normal forms are idempotent. Each property runs 10,000 cases of
 * {@link HostileValues}: near-valid grammar soups, control characters, non-ASCII, huge and negative numbers,
 * empty values, only separators, and 4-27 KiB runs.
 */
class ParsersProperties {
    private static final int TRIES = 10_000;

    // ---------------------------------------------------------------- lists (RFC 9110 §5.6.1)

    @Property(tries = TRIES)
    void listTokenizerReturnsTrimmedNonEmptyMembers(@ForAll(supplier = HostileValues.class) String value) {
        List<String> members = ListTokenizer.members(value);
        assertThat(ListTokenizer.members(List.of(value, value))).hasSize(2 * members.size());
        long total = 0;
        for (String member : members) {
            assertThat(member).isNotEmpty();
            assertThat(member.charAt(0)).isNotIn(' ', '\t');
            assertThat(member.charAt(member.length() - 1)).isNotIn(' ', '\t');
            total += member.length();
        }
        assertThat(total).isLessThanOrEqualTo(value.length());
        // idempotent: the members of one line, re-joined, split into the same members
        assertThat(ListTokenizer.members(String.join(", ", members))).isEqualTo(members);
        assertThat(ListTokenizer.unquote(value).length()).isLessThanOrEqualTo(value.length());
    }

    // ---------------------------------------------------------------- dates (RFC 9110 §5.6.7)

    @Property(tries = TRIES)
    void httpDatesParseWholeSecondsThatFormatBack(@ForAll(supplier = HostileValues.class) String value) {
        OptionalLong parsed = HttpDates.parse(value);
        if (parsed.isPresent()) {
            assertThat(value.trim()).hasSizeBetween(20, 40);
        }
        if (parsed.isPresent() && parsed.getAsLong() >= 0) {
            assertThat(parsed.getAsLong() % 1000).isZero();
            assertThat(HttpDates.parse(HttpDates.format(parsed.getAsLong()))).isEqualTo(parsed);
        }
    }

    // ---------------------------------------------------------------- Cache-Control (RFC 9111 §5.2, RFC 9213)

    @Property(tries = TRIES)
    void requestDirectivesNeverThrow(@ForAll(supplier = HostileValues.class) String cacheControl,
            @ForAll(supplier = HostileValues.class) String pragma) {
        RequestDirectives d = RequestDirectives.parse(Messages.lines("Cache-Control: " + cacheControl, "Pragma: " + pragma));
        assertThat(d.maxAgeSeconds()).isBetween(-1L, DeltaSeconds.MAX);
        assertThat(d.minFreshSeconds()).isBetween(-1L, DeltaSeconds.MAX);
        assertThat(d.maxStaleSeconds() == Long.MAX_VALUE || d.maxStaleSeconds() <= DeltaSeconds.MAX).isTrue();
        assertThat(d.maxStaleSeconds()).isGreaterThanOrEqualTo(-1L);
        assertThat(RequestDirectives.parse(Messages.lines("Pragma: " + pragma)).maxAgeSeconds()).isEqualTo(-1);
    }

    @Property(tries = TRIES)
    void responseDirectivesNeverThrow(@ForAll(supplier = HostileValues.class) String value) {
        ResponseDirectives d = ResponseDirectives.parse(List.of(value, value));
        assertThat(d.maxAgeSeconds()).isBetween(-1L, DeltaSeconds.MAX);
        assertThat(d.sMaxAgeSeconds()).isBetween(-1L, DeltaSeconds.MAX);
        assertThat(d.staleWhileRevalidateSeconds()).isBetween(-1L, DeltaSeconds.MAX);
        assertThat(d.staleIfErrorSeconds()).isBetween(-1L, DeltaSeconds.MAX);
    }

    @Property(tries = TRIES)
    void targetedFieldsNeverThrow(@ForAll(supplier = HostileValues.class) String value) {
        Optional<ResponseDirectives> d = ResponseDirectives.parseTargeted(value);
        d.ifPresent(r -> {
            assertThat(r.maxAgeSeconds()).isBetween(-1L, DeltaSeconds.MAX);
            assertThat(r.sMaxAgeSeconds()).isBetween(-1L, DeltaSeconds.MAX);
            assertThat(r.staleWhileRevalidateSeconds()).isBetween(-1L, DeltaSeconds.MAX);
            assertThat(r.staleIfErrorSeconds()).isBetween(-1L, DeltaSeconds.MAX);
        });
        // an invalid dictionary is never a valid targeted field
        if (StructuredDictionary.parse(value).isEmpty()) {
            assertThat(d).isEmpty();
        }
    }

    @Property(tries = TRIES)
    void structuredDictionariesHoldOnlyTheRfcTypes(@ForAll(supplier = HostileValues.class) String value) {
        Optional<Map<String, Object>> parsed = StructuredDictionary.parse(value);
        parsed.ifPresent(members -> {
            assertThat(members.size()).isLessThanOrEqualTo(value.length());
            members.forEach((key, item) -> {
                assertThat(key).matches("[a-z*][a-z0-9_\\-.*]*");
                assertThat(item).isInstanceOfAny(Long.class, Double.class, String.class, byte[].class, Boolean.class);
                if (item instanceof Long n) {
                    assertThat(Math.abs(n)).isLessThanOrEqualTo(999_999_999_999_999L); // RFC 8941 §3.3.1
                }
            });
        });
    }

    // ---------------------------------------------------------------- validators (RFC 9110 §8.8.3, §13)

    @Property(tries = TRIES)
    void entityTagsNeverThrow(@ForAll(supplier = HostileValues.class) String value) {
        EntityTag.parse(value).ifPresent(tag -> assertThat(EntityTag.parse(tag.toString())).contains(tag));
        List<EntityTag> tags = EntityTag.parseList(List.of(value));
        assertThat(tags.size()).isLessThanOrEqualTo(value.length());
        for (EntityTag tag : tags) {
            assertThat(tag.opaque()).doesNotContain("\"");
            assertThat(tag == EntityTag.ANY || EntityTag.parse(tag.toString()).orElseThrow().equals(tag)).isTrue();
        }
    }

    @Property(tries = TRIES)
    void conditionalsNeverThrow(@ForAll(supplier = HostileValues.class) String ifMatch,
            @ForAll(supplier = HostileValues.class) String ifNoneMatch, @ForAll(supplier = HostileValues.class) String since,
            @ForAll boolean getOrHead) {
        FieldLookup request = Messages.lines("If-Match: " + ifMatch, "If-None-Match: " + ifNoneMatch,
                "If-Modified-Since: " + since, "If-Unmodified-Since: " + since);
        assertThat(Conditionals.evaluate(request, getOrHead, new EntityTag("v1", false), Messages.T)).isNotNull();
        assertThat(Conditionals.evaluate(request, getOrHead, null, -1)).isNotNull();
        FieldLookup onlyNoneMatch = Messages.lines("If-None-Match: " + ifNoneMatch, "If-Modified-Since: " + since);
        assertThat(Conditionals.evaluate(onlyNoneMatch, getOrHead, new EntityTag("v1", true), Messages.T)).isNotNull();
    }

    // ---------------------------------------------------------------- keys (RFC 3986 §6.2.2, RFC 9111 §4.1)

    @Property(tries = TRIES)
    void cacheKeysAreRefusedOrCanonical(@ForAll(supplier = HostileValues.class) String path,
            @ForAll(supplier = HostileValues.class) String query) {
        CacheKey key;
        try {
            key = CacheKey.of("site", path, query);
        } catch (RequestTarget.InvalidTarget refused) { // documented: a target no request can have (a 400)
            assertThat(refused.getMessage()).isNotBlank();
            return;
        }
        assertThat(key.pathAndQuery()).startsWith("/");
        assertThat(key.site()).isEqualTo("site");
        assertThat(key.pathAndQuery().length()).isLessThanOrEqualTo(9 * (path.length() + query.length()) + 2);
        assertThat(CacheKey.parse(key.asString())).isEqualTo(key);
        // the key of the key's own target is the key (what the node sends upstream names the same object)
        String pq = key.pathAndQuery();
        int q = pq.indexOf('?');
        CacheKey again = q < 0 ? CacheKey.of("site", pq, null) : CacheKey.of("site", pq.substring(0, q), pq.substring(q + 1));
        assertThat(again).isEqualTo(key);
    }

    @Property(tries = TRIES)
    void cacheKeyParseThrowsOnlyItsDocumentedException(@ForAll(supplier = HostileValues.class) String value) {
        if (value.indexOf(' ') < 0) {
            assertThatThrownBy(() -> CacheKey.parse(value)).isInstanceOf(IllegalArgumentException.class);
        } else {
            assertThat(CacheKey.parse(value).asString()).isEqualTo(value);
        }
    }

    @Property(tries = TRIES)
    void varyKeysNeverThrowAndStayBounded(@ForAll(supplier = HostileValues.class) String vary,
            @ForAll(supplier = HostileValues.class) String value) {
        Optional<List<String>> names = VaryKey.fieldNames(List.of(vary));
        FieldLookup request = Messages.lines("Accept-Encoding: " + value, "X: " + value, "Accept-Language: " + value);
        names.ifPresent(n -> {
            assertThat(n).isSorted().doesNotHaveDuplicates();
            assertThat(n.size()).isLessThanOrEqualTo(vary.length());
            assertBounded(VaryKey.of(n, request));
        });
        if (names.isEmpty()) {
            assertThat(vary).contains("*");
        }
        assertBounded(VaryKey.of(List.of("accept", "accept-encoding", "accept-language", "x"), request));
        String coding = VaryKey.normalizeAcceptEncoding(List.of(value));
        assertThat(coding).isIn("br", "gzip", "identity");
        assertThat(VaryKey.normalizeAcceptEncoding(List.of(coding))).isEqualTo(coding);
    }

    private static void assertBounded(String varyKey) {
        assertThat(varyKey.equals(VaryKey.TOO_LONG) || varyKey.length() <= VaryKey.MAX_LENGTH).isTrue();
    }

    // ---------------------------------------------------------------- Surrogate-Key

    @Property(tries = TRIES)
    void surrogateKeysAreNameableDistinctAndBounded(@ForAll(supplier = HostileValues.class) String value,
            @ForAll(supplier = HostileValues.class) String other) {
        Optional<List<String>> parsed = SurrogateKeys.parse(List.of(value, other));
        parsed.ifPresent(keys -> {
            assertThat(keys).hasSizeLessThanOrEqualTo(SurrogateKeys.MAX_KEYS).doesNotHaveDuplicates();
            for (String key : keys) {
                assertThat(key).hasSizeBetween(1, SurrogateKeys.MAX_KEY_LENGTH);
                assertThat(key.chars()).allMatch(c -> c > 0x20 && c < 0x7f && c != ',');
            }
            // idempotent: the keys, written back as one field, parse to themselves
            assertThat(SurrogateKeys.parse(List.of(String.join(" ", keys)))).contains(keys);
        });
        if (parsed.isEmpty()) {
            assertThat(new HashSet<>(List.of((value + " " + other).split("\\s+"))).size()).isGreaterThan(SurrogateKeys.MAX_KEYS);
        }
    }

    // ---------------------------------------------------------------- what this package writes

    @Property(tries = TRIES)
    void cacheStatusDetailIsAlwaysOneVisibleAsciiParameter(@ForAll(supplier = HostileValues.class) String detail) {
        // RFC 9211 §2: detail is a token or a String; whatever a reason holds, the field stays one line of VCHAR/SP
        String member = CacheStatus.of("edge-a").detail(detail).toString();
        assertThat(member.chars()).allMatch(c -> c >= 0x20 && c < 0x7f);
        assertThat(StructuredDictionary.parse("a=" + member.substring(member.indexOf("detail=") + 7))).isPresent();
    }

    @Property(tries = TRIES)
    void dataSizesNeverThrow(@ForAll(supplier = HostileValues.class) String value) {
        DataSize.parse(value).ifPresent(size -> {
            assertThat(size.bytes()).isNotNegative();
            assertThat(DataSize.parse(size.toString())).contains(size);
        });
    }
}
