package io.blueorigin.cdn.httpcache;

import io.blueorigin.cdn.httpcache.internal.ListTokenizer;
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
 * field names lower-cased and sorted; each value split into list members (RFC 9110 §5.6.1: commas inside
 * quoted strings do not split, empty members are dropped), members trimmed, runs of spaces and tabs inside
 * a member collapsed to one space and removed next to {@code ;}, members re-joined with {@code ", "};
 * absent fields distinct from empty ones; values of fields whose values are case-insensitive
 * ({@code Accept-Encoding}, {@code Accept-Language}, {@code Accept-Charset}, {@code Accept}) lower-cased;
 * {@code Accept-Encoding} reduced to the single coding this CDN would use (see
 * {@link #normalizeAcceptEncoding}), which the proxy also sends upstream so the stored variant is exactly
 * the one its key names. Only SP and HTAB are whitespace (RFC 9110 §5.6.3 OWS); other control characters
 * are kept as they are, which makes normalizing a normalized value change nothing.
 *
 * <p>Cost: this runs on the hit path, once per stored variant compared (see {@link VaryKeys} to compute it
 * once per request). Each value is read once, left to right, with constant work per character: no regular
 * expression, no substring per member, so a value of n characters costs O(n) whatever it holds (a run of
 * 8,000 spaces cost a backtracking regex O(n²)). A key longer than {@link #MAX_LENGTH} characters stops
 * being built at that length and is {@link #TOO_LONG}: it matches no stored variant, and
 * {@link CachePolicy#onResponse} does not store a response under it (as Varnish does not store an object
 * whose vary string exceeds its limit): the memory a variant's key takes is bounded, and the work is linear
 * in the request's header bytes, which the server bounds.
 */
public final class VaryKey {
    /** The key of a response without {@code Vary}. */
    public static final String NONE = "";
    /** Longest secondary key, in characters, that this cache computes in full, stores or matches. */
    public static final int MAX_LENGTH = 4096;
    /**
     * The key of a request whose key would exceed {@link #MAX_LENGTH}. Never equal to a real key (those are
     * empty or end with the separator), so it matches nothing; responses under it are not stored.
     */
    public static final String TOO_LONG = "\u0000key longer than " + MAX_LENGTH + " characters";
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

    /**
     * The secondary key of {@code request} for a response that varies on {@code fieldNames} (sorted,
     * lower-case); {@link #TOO_LONG} when it would be longer than {@link #MAX_LENGTH}.
     */
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
            } else if (name.equals("accept-encoding")) {
                key.append(normalizeAcceptEncoding(values));
            } else if (!appendNormalized(values, isCaseInsensitive(name), key, MAX_LENGTH)) {
                return TOO_LONG;
            }
            key.append(SEPARATOR);
            if (key.length() > MAX_LENGTH) {
                return TOO_LONG;
            }
        }
        return key.toString();
    }

    /** The normalized value of field {@code name} (lower-case) with lines {@code values}, without length limit. */
    static String normalize(String name, List<String> values) {
        if (name.equals("accept-encoding")) {
            return normalizeAcceptEncoding(values);
        }
        StringBuilder out = new StringBuilder();
        appendNormalized(values, isCaseInsensitive(name), out, Integer.MAX_VALUE);
        return out.toString();
    }

    private static boolean isCaseInsensitive(String name) {
        return name.equals("accept-language") || name.equals("accept-charset") || name.equals("accept");
    }

    /**
     * Appends the normalized members of {@code values} to {@code out}, in one pass over each value.
     * Tokenizing follows {@link ListTokenizer} exactly (quotes, backslash escapes inside them, SP/HTAB
     * trimming, empty members dropped); each member is written as it is read.
     *
     * <p>State, reset at each member: {@code start} is where the member's text begins in {@code out}, or -1
     * while only whitespace has been seen (the member may still be empty and its ", " is not written);
     * {@code space} holds one pending space for a run of SP/HTAB, written only if another character other than
     * {@code ;} follows; {@code afterSemicolon} drops the whitespace that follows a {@code ;}.
     *
     * @return false as soon as {@code out} is longer than {@code maxLength} (its content is then unspecified)
     */
    private static boolean appendNormalized(List<String> values, boolean lowerCase, StringBuilder out, int maxLength) {
        boolean firstMember = true;
        for (String value : values) {
            boolean quoted = false;
            boolean escaped = false;
            int start = -1;
            boolean space = false;
            boolean afterSemicolon = false;
            boolean nonAscii = false;
            int n = value.length();
            for (int i = 0; i < n; i++) {
                char c = value.charAt(i);
                if (c == ',' && !quoted) {
                    if (start >= 0 && nonAscii && lowerCase) {
                        lowerCaseFrom(out, start);
                    }
                    start = -1;
                    space = false;
                    afterSemicolon = false;
                    nonAscii = false;
                    if (out.length() > maxLength) {
                        return false;
                    }
                    continue;
                }
                if (escaped) {
                    escaped = false;
                } else if (quoted) {
                    if (c == '\\') {
                        escaped = true;
                    } else if (c == '"') {
                        quoted = false;
                    }
                } else if (c == '"') {
                    quoted = true;
                }
                if (c == ' ' || c == '\t') {
                    space = start >= 0 && !afterSemicolon;
                    continue;
                }
                if (start < 0) {
                    if (!firstMember) {
                        out.append(", ");
                    }
                    firstMember = false;
                    start = out.length();
                }
                if (c == ';') {
                    afterSemicolon = true;
                } else {
                    if (space) {
                        out.append(' ');
                    }
                    afterSemicolon = false;
                }
                space = false;
                if (lowerCase && c >= 'A' && c <= 'Z') {
                    c = (char) (c + ('a' - 'A'));
                }
                nonAscii |= c >= 0x80;
                out.append(c);
                if (out.length() > maxLength) {
                    return false;
                }
            }
            if (start >= 0 && nonAscii && lowerCase) {
                lowerCaseFrom(out, start);
            }
            if (out.length() > maxLength) {
                return false;
            }
        }
        return true;
    }

    /**
     * Lower-cases {@code out} from {@code start} with {@link String#toLowerCase(Locale)} in the root locale
     * (beyond ASCII one character may become two, and Greek sigma depends on its neighbours).
     */
    private static void lowerCaseFrom(StringBuilder out, int start) {
        String member = out.substring(start).toLowerCase(Locale.ROOT);
        out.setLength(start);
        out.append(member);
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
