package io.blueorigin.cdn.httpcache;

import static io.blueorigin.cdn.httpcache.Messages.fields;
import static io.blueorigin.cdn.httpcache.Messages.request;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 9111 §4.4 invalidating stored responses, through {@link CachePolicy#invalidates}. Request host: example.com. */
class CachePolicyInvalidationTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
        # RFC section                                          | method | status | response fields                                                      | invalidated (space-separated)
        §4.4 POST 200 invalidates the target                   | POST   | 200    | ``                                                                   | .
        §4.4 PUT 204                                           | PUT    | 204    | ``                                                                   | .
        §4.4 DELETE 202                                        | DELETE | 202    | ``                                                                   | .
        §4.4 PATCH 200                                         | PATCH  | 200    | ``                                                                   | .
        §4.4 unknown method counts as unsafe                   | PURGE  | 200    | ``                                                                   | .
        §4.4 3xx is a non-error status                         | POST   | 303    | `Location: /done`                                                    | . /done
        §4.4 4xx invalidates nothing                           | POST   | 404    | ``                                                                   | ``
        §4.4 5xx invalidates nothing                           | DELETE | 500    | ``                                                                   | ``
        §4.4 1xx invalidates nothing                           | POST   | 100    | ``                                                                   | ``
        §4.4 GET is safe                                       | GET    | 200    | `Location: /x`                                                       | ``
        §4.4 HEAD is safe                                      | HEAD   | 200    | ``                                                                   | ``
        §4.4 OPTIONS is safe                                   | OPTIONS | 200   | ``                                                                   | ``
        §4.4 TRACE is safe                                     | TRACE  | 200    | ``                                                                   | ``
        §4.4 Location, absolute path                           | POST   | 201    | `Location: /items/7`                                                 | . /items/7
        §4.4 Content-Location, absolute path with query        | PUT    | 200    | `Content-Location: /a?b=1`                                           | . /a?b=1
        §4.4 both, in that order                               | POST   | 201    | `Content-Location: /c | Location: /l`                                | . /l /c
        §4.4 same-origin absolute URI                          | POST   | 201    | `Location: https://example.com/items/7`                              | . /items/7
        §4.4 same-origin authority is case-insensitive         | POST   | 201    | `Location: http://EXAMPLE.com/x`                                     | . /x
        §4.4 same-origin URI without a path                    | POST   | 201    | `Location: http://example.com`                                       | . /
        §4.4 cross-origin host ignored                         | POST   | 201    | `Location: https://evil.example/items/7`                             | .
        §4.4 other port is another origin                      | POST   | 201    | `Location: http://example.com:8080/x`                                | .
        §4.4 host as a prefix of another is another origin     | POST   | 201    | `Location: http://example.com.evil/x`                                | .
        §4.4 scheme-relative reference not resolved            | POST   | 201    | `Location: //example.com/x`                                          | .
        §4.4 relative reference not resolved                   | POST   | 201    | `Location: items/7`                                                  | .
        §4.4 surrounding whitespace trimmed                    | POST   | 201    | `Location:   /x  `                                                   | . /x
        """)
    void invalidates(String section, String method, int status, String response, String expected) {
        List<String> want = expected.isEmpty() ? List.of() : List.of(expected.split(" "));
        assertThat(CachePolicy.invalidates(request(method, ""), status, fields(response), "example.com")).as(section)
                .isEqualTo(want);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
        §4.4 unknown request host: only absolute paths        | `Location: http://example.com/x | Content-Location: /y`  | . /y
        """)
    void withoutARequestHost(String section, String response, String expected) {
        assertThat(CachePolicy.invalidates(request("POST", ""), 200, fields(response), null)).as(section)
                .isEqualTo(List.of(expected.split(" ")));
    }
}
