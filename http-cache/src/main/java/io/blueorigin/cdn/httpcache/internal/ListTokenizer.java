package io.blueorigin.cdn.httpcache.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits comma-separated field values (RFC 9110 §5.6.1, the {@code #rule}) into members, honouring quoted
 * strings (a comma inside quotes does not split) and dropping empty members, as recipients must accept
 * ({@code "a, , b"} is two members). Never throws; an unterminated quote runs to the end of the value.
 */
public final class ListTokenizer {
    private ListTokenizer() {}

    /** The trimmed, non-empty members of every value in {@code fieldValues}, in order. */
    public static List<String> members(List<String> fieldValues) {
        List<String> out = new ArrayList<>();
        for (String value : fieldValues) {
            split(value, out);
        }
        return out;
    }

    /** The trimmed, non-empty members of one field value. */
    public static List<String> members(String fieldValue) {
        List<String> out = new ArrayList<>(4);
        split(fieldValue, out);
        return out;
    }

    private static void split(String value, List<String> out) {
        int start = 0;
        boolean quoted = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (quoted) {
                if (c == '\\') {
                    i++; // skip the escaped character
                } else if (c == '"') {
                    quoted = false;
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                add(value, start, i, out);
                start = i + 1;
            }
        }
        add(value, start, value.length(), out);
    }

    private static void add(String value, int from, int to, List<String> out) {
        int a = from;
        int b = Math.min(to, value.length());
        while (a < b && isWhitespace(value.charAt(a))) {
            a++;
        }
        while (b > a && isWhitespace(value.charAt(b - 1))) {
            b--;
        }
        if (b > a) {
            out.add(value.substring(a, b));
        }
    }

    static boolean isWhitespace(char c) {
        return c == ' ' || c == '\t';
    }

    /**
     * Unquotes an RFC 9110 §5.6.4 quoted-string ({@code "a\"b"} to {@code a"b}); a token is returned
     * as is. An unterminated quoted string yields its content up to the end.
     */
    public static String unquote(String s) {
        if (s.length() < 1 || s.charAt(0) != '"') {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                out.append(s.charAt(++i));
            } else if (c == '"') {
                break;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
