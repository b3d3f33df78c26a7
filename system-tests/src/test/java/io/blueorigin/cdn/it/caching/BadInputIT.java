package io.blueorigin.cdn.it.caching;

import static io.blueorigin.cdn.it.caching.CdnHarness.xCache;
import static org.assertj.core.api.Assertions.assertThat;

import io.blueorigin.cdn.testkit.Reply;
import io.blueorigin.cdn.testkit.TestClient;
import java.time.Duration;
import org.eclipse.jetty.client.ContentResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Malformed caching headers from the origin or the client never cause a 5xx or a poisoned entry; each is
 * read as RFC 9111 says (an invalid Expires is already expired, an invalid max-age is stale, ...).
 */
class BadInputIT extends HarnessPerClass {
    /** name | header | value | is the response reused while fresh? */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "garbage-cc      | Cache-Control | max-age=60, ,,=, foo=\"unterminated   | true",
        "bad-max-age     | Cache-Control | max-age=soon                          | false",
        "two-max-ages    | Cache-Control | max-age=60, max-age=30                | false",
        "negative-age    | Age           | -5                                     | true",
        "huge-age        | Age           | 99999999999999999999999                | false",
        "bad-date        | Date          | yesterday at noon                      | true",
        "bad-expires     | Expires       | 0                                      | true",
        "bad-vary        | Vary          | ,,, \t ,                               | true",
        "bad-etag        | ETag          | unquoted                               | true",
        "bad-lastmod     | Last-Modified | 2026-13-45                             | true",
        "bad-cdn-cc      | CDN-Cache-Control | max-age=(1 2                       | true",
    })
    void malformedOriginFieldsNeverBreakTheResponseOrPoisonTheCache(String name, String header, String value, boolean reused) {
        String path = "/bad/" + name;
        Reply reply = Reply.ok("body-" + name).withHeader(header, value);
        if (!header.equals("Cache-Control")) {
            reply = reply.withHeader("Cache-Control", "max-age=60");
        }
        h.origin.on(path, reply);
        ContentResponse first = h.get(path);
        assertThat(first.getStatus()).isEqualTo(200);
        assertThat(first.getContentAsString()).isEqualTo("body-" + name);
        ContentResponse second = h.get(path);
        assertThat(second.getStatus()).isEqualTo(200);
        assertThat(second.getContentAsString()).isEqualTo("body-" + name);
        if (reused) {
            assertThat(xCache(second)).isEqualTo("HIT");
        } else {
            assertThat(xCache(second)).isNotEqualTo("HIT");
        }
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
        "Cache-Control       | max-age=abc, min-fresh=-1, max-stale=x",
        "Cache-Control       | \"unterminated",
        "Pragma              | no-cache=\"",
        "If-None-Match       | W/ garbage \", *x",
        "If-Modified-Since   | not a date",
        "If-Match            | ,,,",
        "If-Unmodified-Since | Tue, 99 Foo 2020 99:99:99 GMT",
        "Accept-Encoding     | gzip;q=nope, br;q=2",
    })
    void malformedClientFieldsGetAnAnswerNotA5xx(String header, String value) {
        h.origin.on("/bad/client", Reply.ok("c").withHeader("Cache-Control", "max-age=60").withHeader("ETag", "\"c\""));
        h.get("/bad/client");
        ContentResponse r = TestClient.send(h.request("/bad/client").headers(x -> x.put(header, value)));
        assertThat(r.getStatus()).isIn(200, 304, 412);
        assertThat(h.get("/bad/client").getContentAsString()).isEqualTo("c");
    }

    @Test
    void anInvalidExpiresMeansAlreadyExpired() {
        h.origin.on("/bad/expires-only", Reply.ok("e").withHeader("Expires", "not-a-date").withHeader("ETag", "\"e\""));
        h.get("/bad/expires-only");
        h.clock.advance(Duration.ofMillis(1));
        assertThat(xCache(h.get("/bad/expires-only"))).isNotEqualTo("HIT");
    }
}
