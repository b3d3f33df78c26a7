package io.blueorigin.cdn.httpcache.encoding;

import io.blueorigin.cdn.httpcache.FieldLookup;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Content-coding negotiation from a request's {@code Accept-Encoding} (RFC 9110 §12.5.3, §12.4.2): which of
 * the codings this node can produce to send.
 *
 * <p>Rules:
 * <ul>
 *   <li>No {@code Accept-Encoding} at all: {@code identity} (§12.5.3 allows any coding, but a client that
 *       states nothing may not decode one; every CDN and server sends identity).</li>
 *   <li>A listed coding is acceptable unless its weight is {@code q=0}; {@code *} gives its weight to every
 *       coding not listed; a coding neither listed nor covered by {@code *} is not acceptable.</li>
 *   <li>{@code identity} is acceptable unless refused by {@code identity;q=0}, or by {@code *;q=0} without an
 *       {@code identity} member. Not listed, it ranks below every acceptable coding (weight "just above 0").</li>
 *   <li>The highest weight wins; among equal weights the server's preference {@code br > gzip > identity}.</li>
 *   <li>Weights are {@code qvalue}s (§12.4.2): {@code 0}..{@code 1} with at most three decimals, parameter name
 *       case-insensitive. A member with a malformed weight, another parameter or an empty coding is ignored
 *       (as if not sent): a client cannot make a broken member mean "refuse".</li>
 *   <li>Coding names are case-insensitive; {@code x-gzip} is gzip (§8.4.1.3). A coding named twice keeps its
 *       highest weight.</li>
 * </ul>
 *
 * <p>Nothing acceptable: when identity is refused and no coding this node can produce is acceptable, §12.5.3
 * lets an origin server answer 406. This CDN is not the origin and the representation it holds is always
 * acceptable to send in identity form, so {@link Result#coding()} is then {@link Coding#IDENTITY} and
 * {@link Result#identityRefused()} says that it was refused; the exchange sends identity (nginx and Varnish
 * do the same) and may count the case. No 406 is ever produced here.
 *
 * <p>Cost: one pass over the field's characters, constant work per character, no allocation per member
 * beyond the result; members after the {@link #MAX_MEMBERS}th are ignored, so a huge header costs its length
 * and nothing more.
 */
public final class AcceptEncoding {
    /** Members read per request; real clients send fewer than ten. */
    public static final int MAX_MEMBERS = 64;
    /** Weight scale: qvalues in thousandths. */
    private static final int ONE = 1000;
    private static final int UNSET = -1;

    private AcceptEncoding() {}

    /**
     * The outcome of a negotiation.
     *
     * @param coding the coding to send
     * @param identityRefused the client refused identity and accepts nothing this node produces (see the
     *     class comment: identity is sent anyway)
     */
    public record Result(Coding coding, boolean identityRefused) {
        static final Result IDENTITY = new Result(Coding.IDENTITY, false);
    }

    /** Negotiates among every coding this node knows. */
    public static Result negotiate(List<? extends CharSequence> fieldValues) {
        return negotiate(fieldValues, EnumSet.allOf(Coding.class));
    }

    /**
     * Negotiates {@code fieldValues} (the lines of {@code Accept-Encoding}; empty list: field absent) among
     * {@code offered} codings ({@link Coding#IDENTITY} is always offered, whether in the set or not).
     */
    public static Result negotiate(List<? extends CharSequence> fieldValues, Set<Coding> offered) {
        if (fieldValues.isEmpty()) {
            return Result.IDENTITY;
        }
        Weights w = new Weights();
        for (CharSequence value : fieldValues) {
            if (!w.read(value)) {
                break;
            }
        }
        int br = offered.contains(Coding.BR) ? w.effective(w.br) : 0;
        int gzip = offered.contains(Coding.GZIP) ? w.effective(w.gzip) : 0;
        // identity not listed: acceptable unless "*;q=0", and then below every listed coding
        int identity = w.identity != UNSET ? w.identity : (w.any == 0 ? 0 : UNSET);
        boolean identityAcceptable = identity != 0;
        int identityRank = identity == UNSET ? 0 : identity;
        if (br > 0 && br >= gzip && br >= identityRank) {
            return new Result(Coding.BR, false);
        }
        if (gzip > 0 && gzip >= identityRank) {
            return new Result(Coding.GZIP, false);
        }
        return identityAcceptable ? Result.IDENTITY : new Result(Coding.IDENTITY, true);
    }

    /** The coding to send for {@code request}'s {@code Accept-Encoding} among {@code offered}. */
    public static Result negotiate(FieldLookup request, Set<Coding> offered) {
        return negotiate(request.values("Accept-Encoding"), offered);
    }

    /**
     * {@code request} with its {@code Accept-Encoding} read as exactly {@code coding}'s token, every other field
     * as it is. The edge selects and stores variants with this view so a {@code Vary: Accept-Encoding} key
     * takes at most three values per URL ({@code br}, {@code gzip}, {@code identity}), whatever clients send.
     */
    public static FieldLookup normalized(FieldLookup request, Coding coding) {
        List<String> value = List.of(coding.token());
        return name -> "accept-encoding".equalsIgnoreCase(name) ? value : request.values(name);
    }

    /**
     * Weights seen so far, in thousandths, {@link #UNSET} when not listed. One reader per negotiation.
     *
     * <p>Invariant: every field is either UNSET or within 0..ONE.
     */
    private static final class Weights {
        int br = UNSET;
        int gzip = UNSET;
        int identity = UNSET;
        int any = UNSET;
        int members;

        /** The weight a coding gets: its own if listed, else the wildcard's, else 0 (not acceptable). */
        int effective(int own) {
            if (own != UNSET) {
                return own;
            }
            return any == UNSET ? 0 : any;
        }

        /** Reads one field line; false once {@link #MAX_MEMBERS} members have been read. */
        boolean read(CharSequence s) {
            int n = s.length();
            int i = 0;
            while (i < n) {
                if (members >= MAX_MEMBERS) {
                    return false;
                }
                // one member: OWS coding OWS [ ";" OWS "q=" qvalue OWS ] up to "," or the end
                int end = i;
                while (end < n && s.charAt(end) != ',') {
                    end++;
                }
                member(s, i, end);
                i = end + 1;
            }
            return true;
        }

        private void member(CharSequence s, int from, int to) {
            int i = skipSpace(s, from, to);
            int nameStart = i;
            while (i < to && isTchar(s.charAt(i))) {
                i++;
            }
            int nameEnd = i;
            if (nameEnd == nameStart) {
                // an empty member ("a,,b", a trailing comma) is not counted; anything else without a name is junk
                if (skipSpace(s, i, to) != to) {
                    members++;
                }
                return;
            }
            members++;
            i = skipSpace(s, i, to);
            int q = ONE;
            if (i < to) {
                if (s.charAt(i) != ';') {
                    return;
                }
                i = skipSpace(s, i + 1, to);
                if (i + 1 >= to || (s.charAt(i) | 0x20) != 'q' || s.charAt(i + 1) != '=') {
                    return;
                }
                int valueStart = i + 2;
                int valueEnd = valueStart;
                while (valueEnd < to && s.charAt(valueEnd) != ' ' && s.charAt(valueEnd) != '\t') {
                    valueEnd++;
                }
                if (skipSpace(s, valueEnd, to) != to) {
                    return;
                }
                q = qvalue(s, valueStart, valueEnd);
                if (q == UNSET) {
                    return;
                }
            }
            switch (codingOf(s, nameStart, nameEnd)) {
                case 1 -> br = Math.max(br, q);
                case 2 -> gzip = Math.max(gzip, q);
                case 3 -> identity = Math.max(identity, q);
                case 4 -> any = Math.max(any, q);
                default -> {
                    // a coding this node does not produce: no effect
                }
            }
        }

        private static int skipSpace(CharSequence s, int i, int to) {
            while (i < to && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
                i++;
            }
            return i;
        }

        /** 1 br, 2 gzip (or x-gzip), 3 identity, 4 *, 0 anything else; case-insensitive, no allocation. */
        private static int codingOf(CharSequence s, int from, int to) {
            if (regionIs(s, from, to, "br")) {
                return 1;
            }
            if (regionIs(s, from, to, "gzip") || regionIs(s, from, to, "x-gzip")) {
                return 2;
            }
            if (regionIs(s, from, to, "identity")) {
                return 3;
            }
            return regionIs(s, from, to, "*") ? 4 : 0;
        }

        private static boolean regionIs(CharSequence s, int from, int to, String lowerCase) {
            if (to - from != lowerCase.length()) {
                return false;
            }
            for (int k = 0; k < lowerCase.length(); k++) {
                char c = s.charAt(from + k);
                if (c >= 'A' && c <= 'Z') {
                    c = (char) (c + ('a' - 'A'));
                }
                if (c != lowerCase.charAt(k)) {
                    return false;
                }
            }
            return true;
        }

        /** qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ), in thousandths; UNSET if malformed. */
        private static int qvalue(CharSequence s, int from, int to) {
            int len = to - from;
            if (len < 1 || len > 5) {
                return UNSET;
            }
            char first = s.charAt(from);
            if (first != '0' && first != '1') {
                return UNSET;
            }
            int value = (first - '0') * ONE;
            if (len == 1) {
                return value;
            }
            if (s.charAt(from + 1) != '.') {
                return UNSET;
            }
            int scale = 100;
            for (int k = from + 2; k < to; k++) {
                char c = s.charAt(k);
                if (c < '0' || c > '9' || (first == '1' && c != '0')) {
                    return UNSET;
                }
                value += (c - '0') * scale;
                scale /= 10;
            }
            return value;
        }

        /** RFC 9110 §5.6.2 tchar. */
        private static boolean isTchar(char c) {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
        }
    }
}
