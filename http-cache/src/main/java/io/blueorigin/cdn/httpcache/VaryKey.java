package io.blueorigin.cdn.httpcache;

import io.blueorigin.cdn.httpcache.internal.ListTokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Secondary cache keys (RFC 9111 §4.1): a stored response with {@code Vary} matches a request only if the
 * listed request fields match those of the request that produced it. Each variant is stored under the
 * normalized values of its {@code Vary} fields, so selecting one is a string comparison.
 *
 * <p>Normalization (§4.1 allows it, "such as by removing whitespace or case-insensitive comparison"):
 * field names lower-cased and sorted; values trimmed, list members re-joined with {@code ", "}, absent
 * fields distinct from empty ones; values of fields whose values are case-insensitive
 * ({@code Accept-Encoding}, {@code Accept-Language}, {@code Accept-Charset}, {@code Accept}) lower-cased;
 * {@code Accept-Encoding} reduced to the single coding this CDN would use (see
 * {@link #normalizeAcceptEncoding}), which the proxy also sends upstream so the stored variant is exactly
 * the one its key names.
 */
public final class VaryKey {
    /** The key of a response without {@code Vary}. */
    public static final String NONE = "";
    private static final char SEPARATOR = '\u001f';

    private VaryKey() {}

    /**
     * The normalized field names of a response's {@code Vary} lines, sorted; empty when it has none.
     * Empty {@link Optional} when {@code Vary} contains {@code *}: such a response can never be reused
     * (§4.1) and is not stored.
     */
    public static Optional<List<String>> fieldNames(List<String> varyValues) {
        TreeSet<String> names = new TreeSet<>();
        for (String member : ListTokenizer.members(varyValues)) {
            if (member.equals("*")) {
                return Optional.empty();
            }
            names.add(member.toLowerCase(Locale.ROOT));
        }
        return Optional.of(List.copyOf(names));
    }

    /** The secondary key of {@code request} for a response that varies on {@code fieldNames} (sorted, lower-case). */
    public static String of(List<String> fieldNames, FieldLookup request) {
        if (fieldNames.isEmpty()) {
            return NONE;
        }
        StringBuilder key = new StringBuilder();
        for (String name : fieldNames) {
            key.append(name).append('=');
            List<String> values = request.values(name);
            if (values.isEmpty()) {
                key.append('\u0000'); // absent differs from empty
            } else {
                key.append(normalize(name, values));
            }
            key.append(SEPARATOR);
        }
        return key.toString();
    }

    static String normalize(String name, List<String> values) {
        if (name.equals("accept-encoding")) {
            return normalizeAcceptEncoding(values);
        }
        List<String> members = ListTokenizer.members(values);
        boolean caseInsensitive = name.equals("accept-language") || name.equals("accept-charset") || name.equals("accept");
        List<String> out = new ArrayList<>(members.size());
        for (String m : members) {
            String collapsed = m.replaceAll("\\s*;\\s*", ";").replaceAll("\\s+", " ");
            out.add(caseInsensitive ? collapsed.toLowerCase(Locale.ROOT) : collapsed);
        }
        return String.join(", ", out);
    }

    /**
     * Reduces {@code Accept-Encoding} to the one content coding this CDN would pick: {@code br} if acceptable
     * and preferred at least as much as gzip, else {@code gzip} if acceptable, else {@code identity}.
     * q-values are honoured ({@code q=0} refuses; {@code *} stands for codings not listed).
     */
    public static String normalizeAcceptEncoding(List<String> values) {
        double br = -1;
        double gzip = -1;
        double any = -1;
        for (String member : ListTokenizer.members(values)) {
            // limit -1: a member of only semicolons (";") must give an empty coding, not an empty array
            String[] parts = member.split(";", -1);
            String coding = parts[0].trim().toLowerCase(Locale.ROOT);
            double q = 1.0;
            for (int i = 1; i < parts.length; i++) {
                String p = parts[i].trim().toLowerCase(Locale.ROOT);
                if (p.startsWith("q=")) {
                    try {
                        q = Double.parseDouble(p.substring(2));
                    } catch (NumberFormatException e) {
                        q = 0;
                    }
                    if (!(q >= 0 && q <= 1)) {
                        q = 0;
                    }
                }
            }
            switch (coding) {
                case "br" -> br = Math.max(br, q);
                case "gzip", "x-gzip" -> gzip = Math.max(gzip, q);
                case "*" -> any = Math.max(any, q);
                default -> {
                    // codings this CDN does not produce do not change the choice
                }
            }
        }
        if (br < 0) {
            br = any;
        }
        if (gzip < 0) {
            gzip = any;
        }
        if (br > 0 && br >= gzip) {
            return "br";
        }
        if (gzip > 0) {
            return "gzip";
        }
        return "identity";
    }
}
