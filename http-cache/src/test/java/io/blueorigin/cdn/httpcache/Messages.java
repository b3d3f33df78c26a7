package io.blueorigin.cdn.httpcache;

import io.blueorigin.cdn.httpcache.internal.HttpDates;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Test fixtures: header sections written as one line, {@code "Name: value | Name: value"}, with
 * {@code {n}} standing for the HTTP-date {@code n} seconds after {@link #T} ({@code {0}}, {@code {-60}}).
 * Tables stay readable and times stay parameters.
 */
final class Messages {
    /** The fixed "now" of every table: Tue, 14 Nov 2023 22:13:20 GMT. */
    static final long T = 1_700_000_000_000L;

    private static final Pattern DATE = Pattern.compile("\\{([+-]?\\d+)}");

    private Messages() {}

    /** {@code "A: 1 | B: 2"} to a field list; blank means no fields. */
    static FieldList fields(String spec) {
        List<Field> out = new ArrayList<>();
        if (spec == null || spec.isBlank()) {
            return new FieldList(out);
        }
        for (String line : expandDates(spec).split("\\|")) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("not a field line: " + line);
            }
            out.add(new Field(line.substring(0, colon).trim(), line.substring(colon + 1).trim()));
        }
        return new FieldList(out);
    }

    /** Each argument one {@code "Name: value"} line (for values containing {@code |}). */
    static FieldList lines(String... lines) {
        List<Field> out = new ArrayList<>();
        for (String line : lines) {
            int colon = line.indexOf(':');
            out.add(new Field(line.substring(0, colon).trim(), line.substring(colon + 1).trim()));
        }
        return new FieldList(out);
    }

    /** Edge defaults without the TTL cap, so that tables show the RFC's lifetimes. */
    static final CachePolicyConfig NO_CAP = CachePolicyConfig.edgeDefaults().withTtlCap(Long.MAX_VALUE);

    /**
     * The response {@code policy} keeps for a GET without fields, answered at {@link #T} with
     * {@code status} and {@code responseSpec} (plus {@code Date: {0}} unless the spec has a Date).
     */
    static CachedResponse stored(CachePolicy policy, int status, String responseSpec) {
        String spec = fields(responseSpec).has("Date") ? responseSpec
                : responseSpec.isBlank() ? "Date: {0}" : responseSpec + " | Date: {0}";
        return policy.onResponse(get(""), status, fields(spec), T, T).response();
    }

    static RequestFacts get(String spec) {
        return request("GET", spec);
    }

    static RequestFacts request(String method, String spec) {
        return RequestFacts.of(method, fields(spec));
    }

    /** The HTTP-date {@code offsetSeconds} after {@link #T}. */
    static String date(long offsetSeconds) {
        return HttpDates.format(at(offsetSeconds));
    }

    /** {@link #T} plus {@code offsetSeconds}, in epoch millis. */
    static long at(long offsetSeconds) {
        return T + offsetSeconds * 1000;
    }

    static String expandDates(String spec) {
        Matcher m = DATE.matcher(spec);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, date(Long.parseLong(m.group(1))));
        }
        m.appendTail(out);
        return out.toString();
    }
}
