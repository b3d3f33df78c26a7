package io.blueorigin.cdn.httpcache;

import static org.assertj.core.api.Assertions.assertThat;

import io.blueorigin.cdn.httpcache.internal.HttpDates;
import io.blueorigin.cdn.httpcache.internal.ListTokenizer;
import io.blueorigin.cdn.httpcache.internal.StructuredDictionary;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Package contract: parsers never throw on header values (STYLE §7), and what they return is well formed.
 * Each property feeds arbitrary and grammar-shaped values ({@link HeaderValues}).
 */
class ParsersProperties {

    @Property
    void listTokenizerReturnsTrimmedNonEmptyMembers(@ForAll(supplier = HeaderValues.class) String value) {
        for (String member : ListTokenizer.members(List.of(value, value))) {
            assertThat(member).isNotEmpty();
            assertThat(member.charAt(0)).isNotIn(' ', '\t');
            assertThat(member.charAt(member.length() - 1)).isNotIn(' ', '\t');
        }
        assertThat(ListTokenizer.unquote(value).length()).isLessThanOrEqualTo(value.length());
    }

    @Property
    void httpDatesParseWholeSecondsThatFormatBack(@ForAll(supplier = HeaderValues.class) String value) {
        OptionalLong parsed = HttpDates.parse(value);
        if (parsed.isPresent() && parsed.getAsLong() >= 0) {
            assertThat(parsed.getAsLong() % 1000).isZero();
            assertThat(HttpDates.parse(HttpDates.format(parsed.getAsLong()))).isEqualTo(parsed);
        }
    }

    @Property
    void requestDirectivesNeverThrow(@ForAll(supplier = HeaderValues.class) String cacheControl,
            @ForAll(supplier = HeaderValues.class) String pragma) {
        RequestDirectives d = RequestDirectives.parse(Messages.lines("Cache-Control: " + cacheControl, "Pragma: " + pragma));
        assertThat(d.maxAgeSeconds()).isBetween(-1L, DeltaSeconds.MAX);
        assertThat(d.minFreshSeconds()).isBetween(-1L, DeltaSeconds.MAX);
        assertThat(d.maxStaleSeconds() == Long.MAX_VALUE || d.maxStaleSeconds() <= DeltaSeconds.MAX).isTrue();
        assertThat(RequestDirectives.parse(Messages.lines("Pragma: " + pragma)).maxAgeSeconds()).isEqualTo(-1);
    }

    @Property
    void responseDirectivesNeverThrow(@ForAll(supplier = HeaderValues.class) String value) {
        ResponseDirectives d = ResponseDirectives.parse(List.of(value, value));
        assertThat(d.maxAgeSeconds()).isBetween(-1L, DeltaSeconds.MAX);
        assertThat(d.sMaxAgeSeconds()).isBetween(-1L, DeltaSeconds.MAX);
        assertThat(d.staleWhileRevalidateSeconds()).isBetween(-1L, DeltaSeconds.MAX);
        assertThat(d.staleIfErrorSeconds()).isBetween(-1L, DeltaSeconds.MAX);
    }

    @Property
    void targetedFieldsNeverThrow(@ForAll(supplier = HeaderValues.class) String value) {
        Optional<ResponseDirectives> d = ResponseDirectives.parseTargeted(value);
        d.ifPresent(r -> assertThat(r.maxAgeSeconds()).isBetween(-1L, DeltaSeconds.MAX));
        // an invalid dictionary is never a valid targeted field
        if (StructuredDictionary.parse(value).isEmpty()) {
            assertThat(d).isEmpty();
        }
    }

    @Property
    void structuredDictionariesHoldOnlyTheRfcTypes(@ForAll(supplier = HeaderValues.class) String value) {
        StructuredDictionary.parse(value).ifPresent(members -> members.forEach((key, item) -> {
            assertThat(key).matches("[a-z*][a-z0-9_\\-.*]*");
            assertThat(item).isInstanceOfAny(Long.class, Double.class, String.class, byte[].class, Boolean.class);
        }));
    }

    @Property
    void entityTagsNeverThrow(@ForAll(supplier = HeaderValues.class) String value) {
        EntityTag.parse(value).ifPresent(tag -> assertThat(EntityTag.parse(tag.toString())).contains(tag));
        for (EntityTag tag : EntityTag.parseList(List.of(value))) {
            assertThat(tag.opaque()).doesNotContain("\"");
        }
    }

    @Property
    void conditionalsNeverThrow(@ForAll(supplier = HeaderValues.class) String ifMatch,
            @ForAll(supplier = HeaderValues.class) String ifNoneMatch, @ForAll(supplier = HeaderValues.class) String since,
            @ForAll boolean getOrHead) {
        FieldLookup request = Messages.lines("If-Match: " + ifMatch, "If-None-Match: " + ifNoneMatch,
                "If-Modified-Since: " + since, "If-Unmodified-Since: " + since);
        assertThat(Conditionals.evaluate(request, getOrHead, new EntityTag("v1", false), Messages.T)).isNotNull();
        assertThat(Conditionals.evaluate(request, getOrHead, null, -1)).isNotNull();
    }

    @Property
    void cacheKeysNeverThrow(@ForAll(supplier = HeaderValues.class) String path, @ForAll(supplier = HeaderValues.class) String query) {
        CacheKey key;
        try {
            key = CacheKey.of("site", path, query);
        } catch (RequestTarget.InvalidTarget refused) { // documented: a target no request can have (a 400)
            assertThat(refused.getMessage()).isNotBlank();
            return;
        }
        assertThat(key.pathAndQuery()).isNotEmpty();
        assertThat(key.site()).isEqualTo("site");
    }

    @Property
    void varyKeysNeverThrow(@ForAll(supplier = HeaderValues.class) String vary, @ForAll(supplier = HeaderValues.class) String value) {
        Optional<List<String>> names = VaryKey.fieldNames(List.of(vary));
        FieldLookup request = Messages.lines("Accept-Encoding: " + value, "X: " + value);
        names.ifPresent(n -> assertThat(VaryKey.of(n, request)).isNotNull());
        assertThat(VaryKey.of(List.of("accept", "accept-encoding", "x"), request)).isNotNull();
        assertThat(VaryKey.normalizeAcceptEncoding(List.of(value))).isIn("br", "gzip", "identity");
    }
}
