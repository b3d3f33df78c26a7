package io.blueorigin.cdn.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.blueorigin.cdn.httpcache.CachedResponse;
import io.blueorigin.cdn.httpcache.Field;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.junit.jupiter.api.Test;

class PreparedResponseTest {
    private static final List<Field> STORED = List.of(
            new Field("Date", "Wed, 25 Nov 2026 01:00:00 GMT"),
            new Field("Content-Type", "text/html"),
            new Field("Content-Length", "10"),
            new Field("Cache-Control", "max-age=60"),
            new Field("CDN-Cache-Control", "max-age=600"),
            new Field("Surrogate-Key", "a b"),
            new Field("ETag", "\"x\""),
            new Field("Via", "1.1 shield-iad"),
            new Field("X-Cache", "MISS"),
            new Field("X-Request-ID", "old"),
            new Field("Cache-Status", "shield-iad; fwd=uri-miss; stored"),
            new Field("X-Custom", "1"));

    private static CachedResponse response() {
        return new CachedResponse(200, STORED, 0, 0, 0, 60_000, 0, 0, false, false, false, Optional.empty(), -1, -1,
                List.of(), "", List.of(), 10);
    }

    private static List<String> names(HttpField[] fields) {
        return Arrays.stream(fields).map(HttpField::getName).toList();
    }

    @Test
    void perRequestFieldsAreLeftOutAndViaAndCacheStatusExtendTheUpstreamOnes() {
        PreparedResponse p = PreparedResponse.of(response(), STORED, 10, "1.1 edge-nyc", Set.of(), false);
        assertThat(names(p.fields)).containsExactly("Content-Type", "Cache-Control", "CDN-Cache-Control", "Surrogate-Key",
                "ETag", "X-Custom", "Accept-Ranges"); // ours: this node answers ranges of a 200 of known length
        assertThat(p.date).isNotNull();
        assertThat(p.via.getValue()).isEqualTo("1.1 shield-iad, 1.1 edge-nyc");
        assertThat(p.contentLength.getValue()).isEqualTo("10");
        assertThat(p.hitStatus("edge-nyc", 27).getValue())
                .isEqualTo("shield-iad; fwd=uri-miss; stored, edge-nyc; hit; ttl=27");
        assertThat(p.hitStatus("edge-nyc", 27)).as("memoized within the second").isSameAs(p.hitStatus("edge-nyc", 27));
    }

    @Test
    void aHitStatusIsPreEncodedOnlyWhenASecondHitReusesIt() {
        PreparedResponse p = PreparedResponse.of(response(), STORED, 10, "1.1 edge-nyc", Set.of(), false);
        HttpField first = p.hitStatus("edge-nyc", 27);
        assertThat(first).as("a lone hit in its second: encoded by the generator, not for every protocol")
                .isNotInstanceOf(PreEncodedHttpField.class);
        HttpField second = p.hitStatus("edge-nyc", 27);
        assertThat(second).isInstanceOf(PreEncodedHttpField.class);
        assertThat(second.getName()).isEqualTo(first.getName()).isEqualTo("Cache-Status");
        assertThat(second.getValue()).isEqualTo(first.getValue())
                .isEqualTo("shield-iad; fwd=uri-miss; stored, edge-nyc; hit; ttl=27");
        assertThat(p.hitStatus("edge-nyc", 27)).isSameAs(second);
        HttpField nextSecond = p.hitStatus("edge-nyc", 26);
        assertThat(nextSecond).isNotInstanceOf(PreEncodedHttpField.class);
        assertThat(nextSecond.getValue()).isEqualTo("shield-iad; fwd=uri-miss; stored, edge-nyc; hit; ttl=26");
    }

    @Test
    void aClientFacingNodeDropsCdnOnlyFieldsAndA304LeavesOutRepresentationMetadata() {
        PreparedResponse p = PreparedResponse.of(response(), STORED, 10, "1.1 edge-nyc",
                Set.of("cdn-cache-control", "surrogate-key"), false);
        assertThat(names(p.fields)).containsExactly("Content-Type", "Cache-Control", "ETag", "X-Custom", "Accept-Ranges");
        assertThat(names(p.notModifiedFields)).containsExactly("Cache-Control", "ETag", "X-Custom");
    }

    @Test
    void aResponseAnEdgeWouldCompressVariesOnAcceptEncodingIn200And304() {
        PreparedResponse p = PreparedResponse.of(response(), STORED, 10, "1.1 edge-nyc", Set.of(), true);
        assertThat(names(p.fields)).endsWith("Vary");
        assertThat(names(p.notModifiedFields)).endsWith("Vary");
        assertThat(p.fields[p.fields.length - 1].getValue()).isEqualTo("Accept-Encoding");
    }

    @Test
    void anUnknownLengthHasNoContentLength() {
        assertThat(PreparedResponse.of(response(), STORED, -1, "1.1 e", Set.of(), false).contentLength).isNull();
    }
}
