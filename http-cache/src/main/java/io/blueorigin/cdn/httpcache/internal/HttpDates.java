package io.blueorigin.cdn.httpcache.internal;

import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * HTTP-date (RFC 9110 §5.6.7): recipients accept IMF-fixdate, the obsolete RFC 850 form and asctime;
 * senders generate IMF-fixdate. Parsing returns epoch milliseconds, or empty for anything invalid (which
 * callers treat as the RFC says: an invalid {@code Expires} means already expired, an invalid {@code Date}
 * is ignored). Never throws. Values longer than 40 characters are rejected before any other work, so the
 * cost of a hostile value is one trim.
 */
public final class HttpDates {
    private static final String[] MONTHS = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};
    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private HttpDates() {}

    /** Formats {@code epochMillis} as IMF-fixdate, e.g. {@code Sun, 06 Nov 1994 08:49:37 GMT}. */
    public static String format(long epochMillis) {
        return IMF_FIXDATE.format(java.time.Instant.ofEpochMilli(Math.floorDiv(epochMillis, 1000) * 1000));
    }

    /** Parses any of the three HTTP-date forms; empty when {@code value} is not one. */
    public static OptionalLong parse(String value) {
        String s = value.trim();
        if (s.length() < 20 || s.length() > 40) {
            return OptionalLong.empty();
        }
        try {
            int comma = s.indexOf(',');
            if (comma > 0) {
                // exactly one SP after the comma (the grammar's; "Thu,  01 Dec ..." is not a date)
                if (s.length() < comma + 3 || s.charAt(comma + 1) != ' ') {
                    return OptionalLong.empty();
                }
                String rest = s.substring(comma + 2);
                return rest.indexOf('-') > 0 && rest.indexOf('-') < 4 ? rfc850(rest) : imfFixdate(rest);
            }
            return asctime(s);
        } catch (RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    /** {@code 06 Nov 1994 08:49:37 GMT} (after the day name). */
    private static OptionalLong imfFixdate(String s) {
        String[] p = words(s);
        if (p.length != 5 || !p[4].equals("GMT")) {
            return OptionalLong.empty();
        }
        return build(digits(p[2], 4), month(p[1]), digits(p[0], 2), p[3]);
    }

    /**
     * {@code 06-Nov-94 08:49:37 GMT}. Deviation from RFC 9110 §5.6.7 (a two-digit year more than 50 years
     * ahead of "now" is the previous century): this package never reads the clock, so a fixed pivot is
     * used instead, 70-99 as 19xx and 00-69 as 20xx, which agrees with the rule until 2050.
     */
    private static OptionalLong rfc850(String s) {
        String[] p = words(s);
        if (p.length != 3 || !p[2].equals("GMT")) {
            return OptionalLong.empty();
        }
        String[] d = p[0].split("-");
        if (d.length != 3) {
            return OptionalLong.empty();
        }
        int yy = digits(d[2], 2);
        if (yy < 0) {
            return OptionalLong.empty();
        }
        int year = yy >= 70 ? 1900 + yy : 2000 + yy;
        return build(year, month(d[1]), digits(d[0], 2), p[1]);
    }

    /** {@code Sun Nov  6 08:49:37 1994}. */
    private static OptionalLong asctime(String s) {
        // date3 = month SP ( 2DIGIT / ( SP DIGIT ) ): the one place the grammar has two spaces in a row
        boolean padded = s.length() > 9 && s.charAt(7) == ' ' && s.charAt(8) == ' ';
        String[] p = words(padded ? s.substring(0, 8) + s.substring(9) : s);
        if (p.length != 5) {
            return OptionalLong.empty();
        }
        int day = padded ? digits(p[2], 1) : digits(p[2], 2);
        return build(digits(p[4], 4), month(p[1]), day, p[3]);
    }

    private static OptionalLong build(int year, int month, int day, String time) {
        String[] t = time.split(":");
        if (year < 0 || month < 0 || day < 0 || t.length != 3) {
            return OptionalLong.empty();
        }
        int h = digits(t[0], 2);
        int m = digits(t[1], 2);
        int sec = digits(t[2], 2);
        // RFC 9110 §5.6.7: second = 2DIGIT, 00-60 (60 only for a leap second); 61-99 are not a time
        if (h < 0 || m < 0 || sec < 0 || sec > 60) {
            return OptionalLong.empty();
        }
        try {
            // A leap second (60) is accepted as the last second of the minute.
            LocalDateTime dt = LocalDateTime.of(year, month, day, h, m, Math.min(sec, 59));
            return OptionalLong.of(dt.toInstant(ZoneOffset.UTC).toEpochMilli());
        } catch (DateTimeException e) {
            return OptionalLong.empty();
        }
    }

    /**
     * {@code s} split at each single space, as the grammar separates its parts (RFC 9110 §5.6.7: SP, never a
     * run of them): two spaces in a row give an empty word, which no part accepts, so such a value is invalid
     * (RFC 9111 §5.3: an invalid {@code Expires} means already expired). No regular expression per call.
     */
    static String[] words(String s) {
        List<String> out = new ArrayList<>(5);
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == ' ') {
                out.add(s.substring(start, i));
                start = i + 1;
            }
        }
        out.add(s.substring(start));
        return out.toArray(new String[0]);
    }

    private static int month(String s) {
        String lower = s.toLowerCase(Locale.ROOT);
        for (int i = 0; i < MONTHS.length; i++) {
            if (MONTHS[i].equals(lower)) {
                return i + 1;
            }
        }
        return -1;
    }

    /** The value of exactly {@code n} ASCII digits, or -1. */
    private static int digits(String s, int n) {
        if (s.length() != n) {
            return -1;
        }
        int v = 0;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
