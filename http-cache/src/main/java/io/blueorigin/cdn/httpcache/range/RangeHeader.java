package io.blueorigin.cdn.httpcache.range;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code Range} request field (RFC 9110 §14.1.1, §14.1.2, §14.2), parsed in one pass.
 *
 * <pre>
 * Range            = ranges-specifier
 * ranges-specifier = range-unit "=" range-set
 * range-set        = 1#range-spec              ; OWS only around the commas (§5.6.1)
 * range-spec       = int-range / suffix-range / other-range
 * int-range        = first-pos "-" [ last-pos ]
 * suffix-range     = "-" suffix-length
 * </pre>
 *
 * <p>Unit names are case-insensitive (§14.1). Empty list elements are accepted ({@code bytes=,0-1,,2-3},
 * §5.6.1.2). Anything else that does not match, an int-range whose last-pos is below its first-pos, or a
 * unit other than {@code bytes} makes the whole field unusable, and the request is answered as if it had
 * none (§14.2: "A server MAY ignore the Range header field"; §14.1.2: an invalid range-spec).
 *
 * <p>Work is bounded: every character is looked at a constant number of times, and parsing stops at the
 * first spec past {@code maxSpecs} (the field is then ignored, §14.2: many ranges are "an indication of
 * either a broken client or a deliberate denial-of-service attack").
 */
public final class RangeHeader {
    private RangeHeader() {}

    /** Why a field was usable or not. */
    public enum Outcome {
        /** A valid {@code bytes} range set. */
        VALID,
        /** Not a ranges-specifier, an empty range set, a bad range-spec or a reversed int-range. */
        INVALID,
        /** A range unit other than {@code bytes}: not supported here, ignored (§14.1). */
        OTHER_UNIT,
        /** More range-specs than allowed. */
        TOO_MANY
    }

    /**
     * What {@link #parse} found.
     *
     * @param outcome whether the field is usable
     * @param specs the range-specs in field order when {@link Outcome#VALID}, else empty
     * @param stoppedAt the index of the character parsing stopped at (the value's length when it read all)
     */
    public record Parsed(Outcome outcome, List<RangeSpec> specs, int stoppedAt) {
        public Parsed {
            requireNonNull(outcome, "outcome is null");
            specs = List.copyOf(specs);
        }

        public boolean isValid() {
            return outcome == Outcome.VALID;
        }
    }

    /** Parses one {@code Range} field value, allowing at most {@code maxSpecs} range-specs. */
    public static Parsed parse(String value, int maxSpecs) {
        if (maxSpecs < 1) {
            throw new IllegalArgumentException("maxSpecs : " + maxSpecs + " (expected: >= 1)");
        }
        int n = trimmedEnd(value);
        int i = 0;
        while (i < n && isOws(value.charAt(i))) {
            i++;
        }
        int unitStart = i;
        while (i < n && isTchar(value.charAt(i))) {
            i++;
        }
        if (i == unitStart || i == n || value.charAt(i) != '=') {
            return invalid(Outcome.INVALID, i);
        }
        if (!value.regionMatches(true, unitStart, "bytes", 0, 5) || i - unitStart != 5) {
            return invalid(Outcome.OTHER_UNIT, i);
        }
        i++;
        List<RangeSpec> specs = new ArrayList<>();
        while (i < n) {
            char c = value.charAt(i);
            if (c == ',') { // an empty element, or the comma after a spec
                i = skipOws(value, i + 1, n);
                continue;
            }
            if (specs.size() == maxSpecs) {
                return invalid(Outcome.TOO_MANY, i);
            }
            int end = spec(value, i, n, specs);
            if (end < 0) {
                return invalid(Outcome.INVALID, ~end);
            }
            i = skipOws(value, end, n);
            if (i < n && value.charAt(i) != ',') {
                return invalid(Outcome.INVALID, i);
            }
        }
        if (specs.isEmpty()) {
            return invalid(Outcome.INVALID, i);
        }
        return new Parsed(Outcome.VALID, specs, value.length());
    }

    private static Parsed invalid(Outcome outcome, int at) {
        return new Parsed(outcome, List.of(), at);
    }

    /**
     * Parses the range-spec at {@code i} into {@code out}; returns the index after it, or {@code ~index}
     * of the offending character.
     */
    private static int spec(String s, int i, int n, List<RangeSpec> out) {
        if (s.charAt(i) == '-') {
            int end = digits(s, i + 1, n);
            if (end == i + 1) {
                return ~end;
            }
            out.add(RangeSpec.suffix(number(s, i + 1, end)));
            return end;
        }
        int firstEnd = digits(s, i, n);
        if (firstEnd == i || firstEnd == n || s.charAt(firstEnd) != '-') {
            return ~firstEnd;
        }
        long first = number(s, i, firstEnd);
        int lastEnd = digits(s, firstEnd + 1, n);
        if (lastEnd == firstEnd + 1) {
            out.add(RangeSpec.startingAt(first));
            return lastEnd;
        }
        long last = number(s, firstEnd + 1, lastEnd);
        if (compareDigits(s, i, firstEnd, firstEnd + 1, lastEnd) > 0) {
            return ~i; // reversed: last-pos < first-pos (§14.1.2)
        }
        // both may have saturated to Long.MAX_VALUE: equal then, and still in order
        out.add(RangeSpec.from(first, last));
        return lastEnd;
    }

    private static int digits(String s, int i, int n) {
        while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            i++;
        }
        return i;
    }

    /** The decimal number in {@code s[from, to)}, saturated at {@link Long#MAX_VALUE}. */
    private static long number(String s, int from, int to) {
        long v = 0;
        for (int i = from; i < to; i++) {
            int d = s.charAt(i) - '0';
            if (v > (Long.MAX_VALUE - d) / 10) {
                return Long.MAX_VALUE;
            }
            v = v * 10 + d;
        }
        return v;
    }

    /** Compares two runs of decimal digits by value, in time linear in their lengths, whatever their size. */
    private static int compareDigits(String s, int a, int aEnd, int b, int bEnd) {
        while (a < aEnd - 1 && s.charAt(a) == '0') {
            a++;
        }
        while (b < bEnd - 1 && s.charAt(b) == '0') {
            b++;
        }
        if (aEnd - a != bEnd - b) {
            return Integer.compare(aEnd - a, bEnd - b);
        }
        for (; a < aEnd; a++, b++) {
            if (s.charAt(a) != s.charAt(b)) {
                return Character.compare(s.charAt(a), s.charAt(b));
            }
        }
        return 0;
    }

    private static int skipOws(String s, int i, int n) {
        while (i < n && isOws(s.charAt(i))) {
            i++;
        }
        return i;
    }

    /** The end of the value without trailing OWS (a field value has none, §5.5; tolerated from other parsers). */
    private static int trimmedEnd(String s) {
        int n = s.length();
        while (n > 0 && isOws(s.charAt(n - 1))) {
            n--;
        }
        return n;
    }

    private static boolean isOws(char c) {
        return c == ' ' || c == '\t';
    }

    /** {@code tchar} (RFC 9110 §5.6.2). */
    private static boolean isTchar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }
}
