package io.blueorigin.cdn.httpcache.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 9110 §5.6.7 HTTP-date: IMF-fixdate, obsolete RFC 850 and asctime forms. */
class HttpDatesTest {

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
        # RFC section                              | value                                | instant, or "invalid"
        §5.6.7 IMF-fixdate                         | `Sun, 06 Nov 1994 08:49:37 GMT`      | 1994-11-06T08:49:37Z
        §5.6.7 IMF-fixdate with surrounding OWS    | `  Sun, 06 Nov 1994 08:49:37 GMT  ` | 1994-11-06T08:49:37Z
        §5.6.7 month names case-insensitive        | `Sun, 06 NOV 1994 08:49:37 GMT`      | 1994-11-06T08:49:37Z
        §5.6.7 epoch                               | `Thu, 01 Jan 1970 00:00:00 GMT`      | 1970-01-01T00:00:00Z
        §5.6.7 last second of a year               | `Fri, 31 Dec 1999 23:59:59 GMT`      | 1999-12-31T23:59:59Z
        §5.6.7 Feb 29 of a leap year               | `Thu, 29 Feb 2024 12:00:00 GMT`      | 2024-02-29T12:00:00Z
        §5.6.7 obsolete RFC 850                    | `Sunday, 06-Nov-94 08:49:37 GMT`     | 1994-11-06T08:49:37Z
        §5.6.7 RFC 850 year 70 is 1970             | `Thursday, 01-Jan-70 00:00:00 GMT`   | 1970-01-01T00:00:00Z
        §5.6.7 RFC 850 year 69 is 2069 (pivot)     | `Tuesday, 01-Jan-69 00:00:00 GMT`    | 2069-01-01T00:00:00Z
        §5.6.7 RFC 850 year 25 is 2025             | `Wednesday, 01-Jan-25 00:00:00 GMT`  | 2025-01-01T00:00:00Z
        §5.6.7 asctime, one-digit day              | `Sun Nov  6 08:49:37 1994`           | 1994-11-06T08:49:37Z
        §5.6.7 asctime, two-digit day              | `Sun Nov 16 08:49:37 1994`           | 1994-11-16T08:49:37Z
        §5.6.7 leap second 60 read as 59           | `Sat, 31 Dec 2016 23:59:60 GMT`      | 2016-12-31T23:59:59Z
        §5.6.7 second 61 is not a second           | `Sat, 31 Dec 2016 23:59:61 GMT`      | invalid
        §5.6.7 second 99 is not a second           | `Sat, 31 Dec 2016 23:59:99 GMT`      | invalid
        §5.6.7 Feb 30 does not exist               | `Fri, 30 Feb 2024 00:00:00 GMT`      | invalid
        §5.6.7 Feb 29 of a common year             | `Thu, 29 Feb 2023 00:00:00 GMT`      | invalid
        §5.6.7 Apr 31 does not exist               | `Mon, 31 Apr 2023 00:00:00 GMT`      | invalid
        §5.6.7 day 00                              | `Sun, 00 Nov 1994 08:49:37 GMT`      | invalid
        §5.6.7 hour 24                             | `Sun, 06 Nov 1994 24:00:00 GMT`      | invalid
        §5.6.7 minute 60                           | `Sun, 06 Nov 1994 08:60:00 GMT`      | invalid
        §5.6.7 month 13 name                       | `Sun, 06 Nox 1994 08:49:37 GMT`      | invalid
        §5.6.7 one-digit day in IMF-fixdate        | `Sun, 6 Nov 1994 08:49:37 GMT`       | invalid
        §5.6.7 one-digit hour                      | `Sun, 06 Nov 1994 8:49:37 GMT`       | invalid
        §5.6.7 two-digit year in IMF-fixdate       | `Sun, 06 Nov 94 08:49:37 GMT`        | invalid
        §5.6.7 zone other than GMT                 | `Sun, 06 Nov 1994 08:49:37 UTC`      | invalid
        §5.6.7 numeric zone                        | `Sun, 06 Nov 1994 08:49:37 +0000`    | invalid
        §5.6.7 GMT is case-sensitive               | `Sun, 06 Nov 1994 08:49:37 gmt`      | invalid
        §5.6.7 missing seconds                     | `Sun, 06 Nov 1994 08:49 GMT`         | invalid
        §5.6.7 RFC 850 with four-digit year        | `Sunday, 06-Nov-1994 08:49:37 GMT`   | invalid
        §5.6.7 asctime with a zone                 | `Sun Nov  6 08:49:37 1994 GMT`       | invalid
        §5.6.7 delta-seconds is not a date         | `0`                                  | invalid
        §5.6.7 negative number                     | `-1`                                 | invalid
        §5.6.7 empty                               | ``                                   | invalid
        §5.6.7 ISO 8601 is not an HTTP-date        | `1994-11-06T08:49:37Z`               | invalid
        §5.6.7 letters for digits                  | `Sun, 0a Nov 1994 08:49:37 GMT`      | invalid
        §5.6.7 fullwidth digits                    | `Sun, ０６ Nov 1994 08:49:37 GMT`     | invalid
        §5.6.7 two spaces after the comma          | `Sun,  06 Nov 1994 08:49:37 GMT`     | invalid
        §5.6.7 no space after the comma            | `Sun,06 Nov 1994 08:49:37 GMT`       | invalid
        §5.6.7 two spaces between date parts       | `Sun, 06  Nov 1994 08:49:37 GMT`     | invalid
        §5.6.7 two spaces before the time          | `Sun, 06 Nov 1994  08:49:37 GMT`     | invalid
        §5.6.7 two spaces before GMT               | `Sun, 06 Nov 1994 08:49:37  GMT`     | invalid
        §5.6.7 a tab is not SP                     | `Sun, 06 Nov 1994	08:49:37 GMT`     | invalid
        §5.6.7 RFC 850 with two spaces             | `Sunday,  06-Nov-94 08:49:37 GMT`    | invalid
        §5.6.7 asctime two spaces, two-digit day   | `Sun Nov  16 08:49:37 1994`          | invalid
        §5.6.7 asctime one space, one-digit day    | `Sun Nov 6 08:49:37 1994`            | invalid
        §5.6.7 asctime two spaces before the year  | `Sun Nov 16 08:49:37  1994`          | invalid
        """)
    void parses(String section, String value, String expected) {
        if (expected.equals("invalid")) {
            assertThat(HttpDates.parse(value)).as(section).isEmpty();
        } else {
            assertThat(HttpDates.parse(value)).as(section).hasValue(Instant.parse(expected).toEpochMilli());
        }
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
        §5.6.7 senders generate IMF-fixdate           | 1994-11-06T08:49:37Z     | `Sun, 06 Nov 1994 08:49:37 GMT`
        §5.6.7 milliseconds are truncated             | 1994-11-06T08:49:37.999Z | `Sun, 06 Nov 1994 08:49:37 GMT`
        §5.6.7 two-digit day is zero-padded           | 2024-02-01T00:00:00Z     | `Thu, 01 Feb 2024 00:00:00 GMT`
        §5.6.7 before the epoch floors, not truncates | 1969-12-31T23:59:59.5Z   | `Wed, 31 Dec 1969 23:59:59 GMT`
        """)
    void formats(String section, String instant, String expected) {
        assertThat(HttpDates.format(Instant.parse(instant).toEpochMilli())).as(section).isEqualTo(expected);
    }
}
