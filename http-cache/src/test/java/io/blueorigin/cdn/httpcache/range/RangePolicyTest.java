package io.blueorigin.cdn.httpcache.range;

import static org.assertj.core.api.Assertions.assertThat;

import io.blueorigin.cdn.httpcache.EntityTag;
import io.blueorigin.cdn.httpcache.internal.HttpDates;
import io.blueorigin.cdn.httpcache.range.RangeDecision.Action;
import io.blueorigin.cdn.httpcache.range.RangeDecision.Reason;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * RFC 9110 §13.1.5 and §14 through {@link RangePolicy#decide}, one row per case. The representation is a
 * {@code status} response of {@code length} bytes with {@code Date: T}, the given {@code ETag} and
 * {@code Last-Modified: T + lm} seconds. In field values, {@code {LM}} is that Last-Modified as an
 * HTTP-date and {@code {N*spec}} is {@code spec} repeated N times, comma-separated.
 */
class RangePolicyTest {
    private static final long T = 1_700_000_000_000L;
    private final RangePolicy policy = new RangePolicy();

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', nullValues = "(none)", textBlock = """
        # RFC section and case                               | method | Range                                   | If-Range     | status | length | ETag    | lm    | action        | ranges                    | reason
        §14.2 no Range                                       | GET    | (none)                                  | (none)       | 200    | 10000  | (none)  | (none)| FULL          | ``                        | NO_RANGE
        §13.1.5 If-Range without Range is ignored            | GET    | (none)                                  | `"v2"`       | 200    | 10000  | `"v1"`  | (none)| FULL          | ``                        | NO_RANGE
        §14.1.2 int-range                                    | GET    | bytes=0-499                             | (none)       | 200    | 10000  | (none)  | (none)| PARTIAL       | 0-499                     | SINGLE_RANGE
        §14.1.2 one byte                                     | GET    | bytes=0-0                               | (none)       | 200    | 10000  | (none)  | (none)| PARTIAL       | 0-0                       | SINGLE_RANGE
        §14.1.2 last-pos past the end means the rest         | GET    | bytes=9500-20000                        | (none)       | 200    | 10000  | (none)  | (none)| PARTIAL       | 9500-9999                 | SINGLE_RANGE
        §14.1.2 open int-range                               | GET    | bytes=9500-                             | (none)       | 200    | 10000  | (none)  | (none)| PARTIAL       | 9500-9999                 | SINGLE_RANGE
        §14.1.2 whole representation as a range              | GET    | bytes=0-                                | (none)       | 200    | 10000  | (none)  | (none)| PARTIAL       | 0-9999                    | SINGLE_RANGE
        §14.1.2 suffix-range                                 | GET    | bytes=-500                              | (none)       | 200    | 10000  | (none)  | (none)| PARTIAL       | 9500-9999                 | SINGLE_RANGE
        §14.1.2 suffix longer than the representation        | GET    | bytes=-20000                            | (none)       | 200    | 10000  | (none)  | (none)| PARTIAL       | 0-9999                    | SINGLE_RANGE
        §14.1.2 last byte by first-pos                       | GET    | bytes=9999-                             | (none)       | 200    | 10000  | (none)  | (none)| PARTIAL       | 9999-9999                 | SINGLE_RANGE
        §14.1.2 leading zeros                                | GET    | bytes=000-0009                          | (none)       | 200    | 10000  | (none)  | (none)| PARTIAL       | 0-9                       | SINGLE_RANGE
        §14.1 unit name is case-insensitive                  | GET    | BYTES=0-0                               | (none)       | 200    | 10000  | (none)  | (none)| PARTIAL       | 0-0                       | SINGLE_RANGE
        §14.1 unit name in mixed case                        | GET    | Bytes=0-0                               | (none)       | 200    | 10000  | (none)  | (none)| PARTIAL       | 0-0                       | SINGLE_RANGE
        §14.1.2 first-pos at the length: unsatisfiable       | GET    | bytes=10000-                            | (none)       | 200    | 10000  | (none)  | (none)| UNSATISFIABLE | ``                        | NOT_SATISFIABLE
        §14.1.2 every spec unsatisfiable                     | GET    | bytes=10000-,20000-30000                | (none)       | 200    | 10000  | (none)  | (none)| UNSATISFIABLE | ``                        | NOT_SATISFIABLE
        §14.1.2 unsatisfiable specs dropped, rest served     | GET    | bytes=20000-,0-0                        | (none)       | 200    | 10000  | (none)  | (none)| PARTIAL       | 0-0                       | SINGLE_RANGE
        §14.1.2 bytes=-0 is unsatisfiable                    | GET    | bytes=-0                                | (none)       | 200    | 10000  | (none)  | (none)| UNSATISFIABLE | ``                        | NOT_SATISFIABLE
        §14.1.2 bytes=-0 beside a satisfiable spec           | GET    | bytes=-0,0-0                            | (none)       | 200    | 10000  | (none)  | (none)| PARTIAL       | 0-0                       | SINGLE_RANGE
        §14.1.2 huge first-pos: unsatisfiable                | GET    | bytes=99999999999999999999999-          | (none)       | 200    | 10000  | (none)  | (none)| UNSATISFIABLE | ``                        | NOT_SATISFIABLE
        §14.1.2 huge last-pos: the rest                      | GET    | bytes=0-99999999999999999999999         | (none)       | 200    | 10000  | (none)  | (none)| PARTIAL       | 0-9999                    | SINGLE_RANGE
        §14.1.2 huge suffix-length: everything               | GET    | bytes=-99999999999999999999999          | (none)       | 200    | 10000  | (none)  | (none)| PARTIAL       | 0-9999                    | SINGLE_RANGE
        §14.1.2 Long.MAX_VALUE + 1 as first-pos              | GET    | bytes=9223372036854775808-              | (none)       | 200    | 10000  | (none)  | (none)| UNSATISFIABLE | ``                        | NOT_SATISFIABLE
        §14.1.2 reversed int-range: field ignored            | GET    | bytes=500-499                           | (none)       | 200    | 10000  | (none)  | (none)| FULL          | ``                        | INVALID_RANGE
        §14.1.2 one reversed spec spoils the field           | GET    | bytes=0-1,5-4                           | (none)       | 200    | 10000  | (none)  | (none)| FULL          | ``                        | INVALID_RANGE
        §14.1.2 reversed beyond Long.MAX_VALUE               | GET    | bytes=99999999999999999999999-99999999999999999999998 | (none) | 200 | 10000 | (none) | (none)| FULL      | ``                        | INVALID_RANGE
        §14.1.2 reversed, only first-pos huge                | GET    | bytes=99999999999999999999999-5         | (none)       | 200    | 10000  | (none)  | (none)| FULL          | ``                        | INVALID_RANGE
        §14.1.1 empty range set                              | GET    | bytes=                                  | (none)       | 200    | 10000  | (none)  | (none)| FULL          | ``                        | INVALID_RANGE
        §14.1.1 only empty list elements                     | GET    | `bytes=, ,`                             | (none)       | 200    | 10000  | (none)  | (none)| FULL          | ``                        | INVALID_RANGE
        §14.1.1 no range set                                 | GET    | bytes                                   | (none)       | 200    | 10000  | (none)  | (none)| FULL          | ``                        | INVALID_RANGE
        §14.1.1 empty field                                  | GET    | ``                                      | (none)       | 200    | 10000  | (none)  | (none)| FULL          | ``                        | INVALID_RANGE
        §14.1.1 bare dash                                    | GET    | bytes=-                                 | (none)       | 200    | 10000  | (none)  | (none)| FULL          | ``                        | INVALID_RANGE
        §14.1.1 not digits                                   | GET    | bytes=a-b                               | (none)       | 200    | 10000  | (none)  | (none)| FULL          | ``                        | INVALID_RANGE
        §14.1.1 negative first-pos                           | GET    | bytes=--5                               | (none)       | 200    | 10000  | (none)  | (none)| FULL          | ``                        | INVALID_RANGE
        §14.1.1 plus sign                                    | GET    | bytes=+5-6                              | (none)       | 200    | 10000  | (none)  | (none)| FULL          | ``                        | INVALID_RANGE
        §14.1.1 trailing garbage                             | GET    | bytes=0-1x                              | (none)       | 200    | 10000  | (none)  | (none)| FULL          | ``                        | INVALID_RANGE
        §14.1.1 two dashes                                   | GET    | bytes=0-1-2                             | (none)       | 200    | 10000  | (none)  | (none)| FULL          | ``                        | INVALID_RANGE
        §14.1.1 no OWS after =                               | GET    | `bytes= 0-1`                            | (none)       | 200    | 10000  | (none)  | (none)| FULL          | ``                        | INVALID_RANGE
        §14.1.1 no OWS around =                              | GET    | `bytes =0-1`                            | (none)       | 200    | 10000  | (none)  | (none)| FULL          | ``                        | INVALID_RANGE
        §14.1.1 no OWS inside a spec                         | GET    | `bytes=0 -1`                            | (none)       | 200    | 10000  | (none)  | (none)| FULL          | ``                        | INVALID_RANGE
        §14.1.1 specs need a comma between them              | GET    | `bytes=0-1 5-6`                         | (none)       | 200    | 10000  | (none)  | (none)| FULL          | ``                        | INVALID_RANGE
        §14.1.1 a unit per field, not per spec               | GET    | `bytes=0-1, bytes=5-6`                  | (none)       | 200    | 10000  | (none)  | (none)| FULL          | ``                        | INVALID_RANGE
        §5.6.1 OWS around commas                             | GET    | `bytes=0-0 ,	2-2`                      | (none)       | 200    | 10000  | (none)  | (none)| MULTIPART     | 0-0,2-2                   | MULTIPLE_RANGES
        §5.6.1.2 empty list elements are accepted            | GET    | `bytes=,0-0,, 2-2,`                     | (none)       | 200    | 10000  | (none)  | (none)| MULTIPART     | 0-0,2-2                   | MULTIPLE_RANGES
        §14.1 other unit: ignored                            | GET    | items=0-1                               | (none)       | 200    | 10000  | (none)  | (none)| FULL          | ``                        | OTHER_UNIT
        §14.1 a unit that starts with bytes                  | GET    | bytesx=0-1                              | (none)       | 200    | 10000  | (none)  | (none)| FULL          | ``                        | OTHER_UNIT
        §14.2 overlapping ranges coalesced                   | GET    | bytes=0-499,200-999                     | (none)       | 200    | 10000  | (none)  | (none)| PARTIAL       | 0-999                     | SINGLE_RANGE
        §14.2 adjacent ranges coalesced                      | GET    | bytes=0-499,500-999                     | (none)       | 200    | 10000  | (none)  | (none)| PARTIAL       | 0-999                     | SINGLE_RANGE
        §14.2 a one-byte gap is kept                         | GET    | bytes=0-499,501-999                     | (none)       | 200    | 10000  | (none)  | (none)| MULTIPART     | 0-499,501-999             | MULTIPLE_RANGES
        §14.2 contained range coalesced                      | GET    | bytes=0-999,100-199                     | (none)       | 200    | 10000  | (none)  | (none)| PARTIAL       | 0-999                     | SINGLE_RANGE
        §14.2 duplicate ranges coalesced                     | GET    | bytes=0-0,0-0,0-0                       | (none)       | 200    | 10000  | (none)  | (none)| PARTIAL       | 0-0                       | SINGLE_RANGE
        §14.2 suffix overlapping an int-range                | GET    | bytes=-500,9000-9600                    | (none)       | 200    | 10000  | (none)  | (none)| PARTIAL       | 9000-9999                 | SINGLE_RANGE
        §14.2 chain of overlaps out of order                 | GET    | bytes=300-400,0-100,100-300             | (none)       | 200    | 10000  | (none)  | (none)| PARTIAL       | 0-400                     | SINGLE_RANGE
        §14.6 parts in request order                         | GET    | bytes=9000-9099,0-99                    | (none)       | 200    | 10000  | (none)  | (none)| MULTIPART     | 9000-9099,0-99            | MULTIPLE_RANGES
        §14.6 coalesced part where its earliest spec was     | GET    | bytes=5000-5099,0-99,50-149             | (none)       | 200    | 10000  | (none)  | (none)| MULTIPART     | 5000-5099,0-149           | MULTIPLE_RANGES
        §14.6 coalesced part first when it was first         | GET    | bytes=50-149,5000-5099,0-99             | (none)       | 200    | 10000  | (none)  | (none)| MULTIPART     | 0-149,5000-5099           | MULTIPLE_RANGES
        §14.2 the most specs allowed                         | GET    | bytes={100*0-0}                         | (none)       | 200    | 10000  | (none)  | (none)| PARTIAL       | 0-0                       | SINGLE_RANGE
        §14.2 one spec too many: ignored                     | GET    | bytes={101*0-0}                         | (none)       | 200    | 10000  | (none)  | (none)| FULL          | ``                        | TOO_MANY_RANGES
        §14.2 thousands of ranges: ignored                   | GET    | bytes={5000*1-2}                        | (none)       | 200    | 10000  | (none)  | (none)| FULL          | ``                        | TOO_MANY_RANGES
        §14.2 64 KiB of 0-0: ignored                         | GET    | bytes={16384*0-0}                       | (none)       | 200    | 10000  | (none)  | (none)| FULL          | ``                        | TOO_MANY_RANGES
        §14.2 HEAD: Range ignored, 200 fields                | HEAD   | bytes=0-499                             | (none)       | 200    | 10000  | (none)  | (none)| FULL          | ``                        | NOT_GET
        §14.2 POST: Range ignored                            | POST   | bytes=0-499                             | (none)       | 200    | 10000  | (none)  | (none)| FULL          | ``                        | NOT_GET
        §9.1 methods are case-sensitive                      | get    | bytes=0-499                             | (none)       | 200    | 10000  | (none)  | (none)| FULL          | ``                        | NOT_GET
        §14.2 only a 200 has ranges                          | GET    | bytes=0-499                             | (none)       | 404    | 10000  | (none)  | (none)| FULL          | ``                        | NOT_200
        §14.2 unknown length (still arriving)                | GET    | bytes=0-499                             | (none)       | 200    | -1     | (none)  | (none)| FULL          | ``                        | UNKNOWN_LENGTH
        §14.2 HEAD before length is checked                  | HEAD   | bytes=0-499                             | (none)       | 200    | -1     | (none)  | (none)| FULL          | ``                        | NOT_GET
        §14.1.2 zero length: int-range unsatisfiable         | GET    | bytes=0-0                               | (none)       | 200    | 0      | (none)  | (none)| UNSATISFIABLE | ``                        | NOT_SATISFIABLE
        §14.1.2 zero length: open range unsatisfiable        | GET    | bytes=0-                                | (none)       | 200    | 0      | (none)  | (none)| UNSATISFIABLE | ``                        | NOT_SATISFIABLE
        §14.1.2 zero length: bytes=-0 unsatisfiable          | GET    | bytes=-0                                | (none)       | 200    | 0      | (none)  | (none)| UNSATISFIABLE | ``                        | NOT_SATISFIABLE
        §14.2 zero length: non-zero suffix, 200 empty        | GET    | bytes=-1                                | (none)       | 200    | 0      | (none)  | (none)| FULL          | ``                        | EMPTY_REPRESENTATION
        §14.2 zero length: suffix among int-ranges           | GET    | bytes=0-0,-5                            | (none)       | 200    | 0      | (none)  | (none)| FULL          | ``                        | EMPTY_REPRESENTATION
        §14.1.2 one-byte representation, suffix              | GET    | bytes=-5                                | (none)       | 200    | 1      | (none)  | (none)| PARTIAL       | 0-0                       | SINGLE_RANGE
        §13.1.5 strong tag matches                           | GET    | bytes=0-499                             | `"v1"`       | 200    | 10000  | `"v1"`  | (none)| PARTIAL       | 0-499                     | SINGLE_RANGE
        §13.1.5 other tag: whole representation              | GET    | bytes=0-499                             | `"v2"`       | 200    | 10000  | `"v1"`  | (none)| FULL          | ``                        | IF_RANGE_FAILED
        §13.1.5 weak tag in If-Range never matches           | GET    | bytes=0-499                             | `W/"v1"`     | 200    | 10000  | `"v1"`  | (none)| FULL          | ``                        | IF_RANGE_FAILED
        §13.1.5 weak stored tag never matches                | GET    | bytes=0-499                             | `"v1"`       | 200    | 10000  | `W/"v1"`| (none)| FULL          | ``                        | IF_RANGE_FAILED
        §13.1.5 tag but nothing stored                       | GET    | bytes=0-499                             | `"v1"`       | 200    | 10000  | (none)  | -3600 | FULL          | ``                        | IF_RANGE_FAILED
        §13.1.5 date equals a strong Last-Modified           | GET    | bytes=0-499                             | {LM}         | 200    | 10000  | (none)  | -3600 | PARTIAL       | 0-499                     | SINGLE_RANGE
        §8.8.2.2 Last-Modified one second before Date        | GET    | bytes=0-499                             | {LM}         | 200    | 10000  | (none)  | -1    | PARTIAL       | 0-499                     | SINGLE_RANGE
        §8.8.2.2 Last-Modified equal to Date is weak         | GET    | bytes=0-499                             | {LM}         | 200    | 10000  | (none)  | 0     | FULL          | ``                        | IF_RANGE_FAILED
        §8.8.2.2 Last-Modified after Date is weak            | GET    | bytes=0-499                             | {LM}         | 200    | 10000  | (none)  | 5     | FULL          | ``                        | IF_RANGE_FAILED
        §13.1.5 date one second off                          | GET    | bytes=0-499                             | {LM+1}       | 200    | 10000  | (none)  | -3600 | FULL          | ``                        | IF_RANGE_FAILED
        §13.1.5 date but no Last-Modified                    | GET    | bytes=0-499                             | {LM}         | 200    | 10000  | `"v1"`  | (none)| FULL          | ``                        | IF_RANGE_FAILED
        §13.1.5 date where the tag is stored                 | GET    | bytes=0-499                             | {LM}         | 200    | 10000  | `"v1"`  | -3600 | PARTIAL       | 0-499                     | SINGLE_RANGE
        §13.1.5 neither tag nor date                         | GET    | bytes=0-499                             | garbage      | 200    | 10000  | `"v1"`  | -3600 | FULL          | ``                        | IF_RANGE_FAILED
        §13.1.5 empty If-Range                               | GET    | bytes=0-499                             | ``           | 200    | 10000  | `"v1"`  | -3600 | FULL          | ``                        | IF_RANGE_FAILED
        §13.1.5 a tag list is not a tag                      | GET    | bytes=0-499                             | `"v1", "v2"` | 200    | 10000  | `"v1"`  | (none)| FULL          | ``                        | IF_RANGE_FAILED
        §13.2.2 If-Range true, range unsatisfiable: 416      | GET    | bytes=20000-                            | `"v1"`       | 200    | 10000  | `"v1"`  | (none)| UNSATISFIABLE | ``                        | NOT_SATISFIABLE
        §13.2.2 If-Range false, range unsatisfiable: 200     | GET    | bytes=20000-                            | `"v2"`       | 200    | 10000  | `"v1"`  | (none)| FULL          | ``                        | IF_RANGE_FAILED
        """)
    void decides(String rfc, String method, @Nullable String range, @Nullable String ifRange, int status, long length,
            @Nullable String etag, @Nullable Long lm, Action action, String ranges, Reason reason) {
        long lastModified = lm == null ? -1 : T + lm * 1000;
        Representation representation = new Representation(status, length,
                etag == null ? Optional.empty() : EntityTag.parse(etag), lastModified, T);
        RangeDecision d = policy.decide(method, range == null ? List.of() : List.of(expand(range)),
                ifRange == null ? List.of() : List.of(ifRange.replace("{LM+1}", HttpDates.format(lastModified + 1000))
                        .replace("{LM}", HttpDates.format(lastModified))), representation);
        assertThat(d.action()).as(rfc).isEqualTo(action);
        assertThat(d.reason()).as(rfc).isEqualTo(reason);
        assertThat(d.ranges().stream().map(ByteRange::toString).toList()).as(rfc)
                .isEqualTo(ranges.isEmpty() ? List.of() : List.of(ranges.split(",")));
        assertThat(d.completeLength()).isEqualTo(length);
    }

    /** Expands {@code {N*spec}} into N comma-separated copies of spec. */
    static String expand(String value) {
        Matcher m = Pattern.compile("\\{(\\d+)\\*([^}]*)}").matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, String.join(",", Collections.nCopies(Integer.parseInt(m.group(1)), m.group(2))));
        }
        m.appendTail(out);
        return out.toString();
    }

    @Test
    void rangeIsASingletonFieldSoTwoLinesAreIgnored() {
        // §5.3: two lines are one comma-joined value, "bytes=0-1, bytes=5-6", which is not a ranges-specifier
        RangeDecision d = policy.decide("GET", List.of("bytes=0-1", "bytes=5-6"), List.of(), representation(10_000));
        assertThat(d.reason()).isEqualTo(Reason.INVALID_RANGE);
    }

    @Test
    void twoIfRangeLinesAreFalse() {
        RangeDecision d = policy.decide("GET", List.of("bytes=0-1"), List.of("\"v1\"", "\"v1\""), representation(10_000));
        assertThat(d.reason()).isEqualTo(Reason.IF_RANGE_FAILED);
    }

    @Test
    void theLimitIsConfigurable() {
        RangePolicy two = new RangePolicy(2);
        assertThat(two.decide("GET", List.of("bytes=0-0,2-2"), List.of(), representation(10)).action()).isEqualTo(Action.MULTIPART);
        assertThat(two.decide("GET", List.of("bytes=0-0,2-2,4-4"), List.of(), representation(10)).reason())
                .isEqualTo(Reason.TOO_MANY_RANGES);
        assertThat(new RangePolicy().maxRanges()).isEqualTo(RangePolicy.DEFAULT_MAX_RANGES);
    }

    @Test
    void everyDistinctSpecUpToTheLimitBecomesAPart() {
        List<String> specs = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            specs.add((i * 10) + "-" + (i * 10 + 4));
        }
        RangeDecision d = policy.decide("GET", List.of("bytes=" + String.join(",", specs)), List.of(), representation(10_000));
        assertThat(d.action()).isEqualTo(Action.MULTIPART);
        assertThat(d.ranges()).hasSize(100).first().isEqualTo(new ByteRange(0, 4));
    }

    @Test
    void aBadLimitIsRefused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new RangePolicy(0))
                .hasMessage("maxRanges : 0 (expected: >= 1)");
    }

    private static Representation representation(long length) {
        return new Representation(200, length, EntityTag.parse("\"v1\""), -1, T);
    }
}
