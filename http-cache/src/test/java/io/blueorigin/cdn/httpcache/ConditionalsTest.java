package io.blueorigin.cdn.httpcache;

import static io.blueorigin.cdn.httpcache.Messages.at;
import static io.blueorigin.cdn.httpcache.Messages.fields;
import static org.assertj.core.api.Assertions.assertThat;

import io.blueorigin.cdn.httpcache.Conditionals.Outcome;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * RFC 9110 §13.2.2 evaluation order against a stored response whose ETag is {@code "v1"} (unless the row
 * says otherwise) and whose Last-Modified is {@code {-3600}} (an hour before T; blank: none).
 */
class ConditionalsTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
        # RFC section                                         | request fields                                           | GET/HEAD | stored ETag | Last-Modified | outcome
        §13.2.2 no preconditions                              | ``                                                       | true  | `"v1"`  | -3600 | PROCEED
        §13.1.1 If-Match same strong tag                      | `If-Match: "v1"`                                         | true  | `"v1"`  | -3600 | PROCEED
        §13.1.1 If-Match one of a list                        | `If-Match: "v0", "v1"`                                   | true  | `"v1"`  | -3600 | PROCEED
        §13.1.1 If-Match different tag: 412                   | `If-Match: "v2"`                                         | true  | `"v1"`  | -3600 | PRECONDITION_FAILED
        §13.1.1 If-Match uses strong comparison (weak req)    | `If-Match: W/"v1"`                                       | true  | `"v1"`  | -3600 | PRECONDITION_FAILED
        §13.1.1 If-Match uses strong comparison (weak stored) | `If-Match: "v1"`                                         | true  | `W/"v1"` | -3600 | PRECONDITION_FAILED
        §13.1.1 If-Match * with a representation              | `If-Match: *`                                            | true  | ``      | -3600 | PROCEED
        §13.1.1 If-Match tag, stored response has none        | `If-Match: "v1"`                                         | true  | ``      | -3600 | PRECONDITION_FAILED
        §13.1.1 If-Match garbage only fails                   | `If-Match: garbage`                                      | true  | `"v1"`  | -3600 | PRECONDITION_FAILED
        §13.1.4 If-Unmodified-Since after LM                  | `If-Unmodified-Since: {0}`                               | true  | `"v1"`  | -3600 | PROCEED
        §13.1.4 If-Unmodified-Since equal to LM               | `If-Unmodified-Since: {-3600}`                           | true  | `"v1"`  | -3600 | PROCEED
        §13.1.4 If-Unmodified-Since before LM: 412            | `If-Unmodified-Since: {-3601}`                           | true  | `"v1"`  | -3600 | PRECONDITION_FAILED
        §13.1.4 If-Unmodified-Since invalid date ignored      | `If-Unmodified-Since: yesterday`                         | true  | `"v1"`  | -3600 | PROCEED
        §13.1.4 If-Unmodified-Since without LM ignored        | `If-Unmodified-Since: {-7200}`                           | true  | `"v1"`  |       | PROCEED
        §13.2.2 If-Match passes: IUS not evaluated            | `If-Match: "v1" | If-Unmodified-Since: {-7200}`          | true  | `"v1"`  | -3600 | PROCEED
        §13.2.2 If-Match fails before IUS would pass          | `If-Match: "v2" | If-Unmodified-Since: {0}`              | true  | `"v1"`  | -3600 | PRECONDITION_FAILED
        §13.1.2 If-None-Match same tag: 304                   | `If-None-Match: "v1"`                                    | true  | `"v1"`  | -3600 | NOT_MODIFIED
        §13.1.2 If-None-Match uses weak comparison            | `If-None-Match: W/"v1"`                                  | true  | `"v1"`  | -3600 | NOT_MODIFIED
        §13.1.2 If-None-Match weak stored tag                 | `If-None-Match: "v1"`                                    | true  | `W/"v1"` | -3600 | NOT_MODIFIED
        §13.1.2 If-None-Match in a list                       | `If-None-Match: "v0", W/"v1"`                            | true  | `"v1"`  | -3600 | NOT_MODIFIED
        §13.1.2 If-None-Match other tag                       | `If-None-Match: "v2"`                                    | true  | `"v1"`  | -3600 | PROCEED
        §13.1.2 If-None-Match *                               | `If-None-Match: *`                                       | true  | ``      | -3600 | NOT_MODIFIED
        §13.1.2 If-None-Match tag, stored has none            | `If-None-Match: "v1"`                                    | true  | ``      | -3600 | PROCEED
        §13.1.2 If-None-Match on a non-GET: 412               | `If-None-Match: "v1"`                                    | false | `"v1"`  | -3600 | PRECONDITION_FAILED
        §13.1.2 If-None-Match * on a non-GET: 412             | `If-None-Match: *`                                       | false | `"v1"`  | -3600 | PRECONDITION_FAILED
        §13.1.3 If-Modified-Since equal to LM: 304            | `If-Modified-Since: {-3600}`                             | true  | `"v1"`  | -3600 | NOT_MODIFIED
        §13.1.3 If-Modified-Since after LM: 304               | `If-Modified-Since: {0}`                                 | true  | `"v1"`  | -3600 | NOT_MODIFIED
        §13.1.3 If-Modified-Since before LM                   | `If-Modified-Since: {-3601}`                             | true  | `"v1"`  | -3600 | PROCEED
        §13.1.3 If-Modified-Since invalid date ignored        | `If-Modified-Since: now`                                 | true  | `"v1"`  | -3600 | PROCEED
        §13.1.3 If-Modified-Since without LM ignored          | `If-Modified-Since: {0}`                                 | true  | `"v1"`  |       | PROCEED
        §13.1.3 If-Modified-Since ignored for non-GET/HEAD    | `If-Modified-Since: {0}`                                 | false | `"v1"`  | -3600 | PROCEED
        §13.1.3 If-Modified-Since RFC 850 form                | `If-Modified-Since: Tuesday, 14-Nov-23 22:13:20 GMT`     | true  | `"v1"`  | -3600 | NOT_MODIFIED
        §13.2.2 If-None-Match miss: IMS ignored               | `If-None-Match: "v2" | If-Modified-Since: {0}`           | true  | `"v1"`  | -3600 | PROCEED
        §13.2.2 If-None-Match garbage: IMS still ignored      | `If-None-Match: garbage | If-Modified-Since: {0}`         | true  | `"v1"`  | -3600 | PROCEED
        §13.2.2 If-None-Match hit wins over old IMS           | `If-None-Match: "v1" | If-Modified-Since: {-7200}`       | true  | `"v1"`  | -3600 | NOT_MODIFIED
        §13.2.2 If-Match failure before If-None-Match         | `If-Match: "v2" | If-None-Match: "v1"`                   | true  | `"v1"`  | -3600 | PRECONDITION_FAILED
        §13.2.2 IUS failure before If-Modified-Since          | `If-Unmodified-Since: {-7200} | If-Modified-Since: {0}`  | true  | `"v1"`  | -3600 | PRECONDITION_FAILED
        §13.2.2 If-Match passes, then If-None-Match: 304      | `If-Match: "v1" | If-None-Match: "v1"`                   | true  | `"v1"`  | -3600 | NOT_MODIFIED
        §13.2.2 IUS passes, then IMS: 304                     | `If-Unmodified-Since: {0} | If-Modified-Since: {0}`      | true  | `"v1"`  | -3600 | NOT_MODIFIED
        §13.1.1 field names case-insensitive                  | `if-none-match: "v1"`                                    | true  | `"v1"`  | -3600 | NOT_MODIFIED
        """)
    void evaluatesInTheRfcOrder(String section, String request, boolean getOrHead, String etag, Long lastModifiedOffset,
            Outcome expected) {
        EntityTag tag = etag.isEmpty() ? null : EntityTag.parse(etag).orElseThrow();
        long lastModified = lastModifiedOffset == null ? -1 : at(lastModifiedOffset);
        assertThat(Conditionals.evaluate(fields(request), getOrHead, tag, lastModified)).as(section).isEqualTo(expected);
    }
}
