package io.blueorigin.cdn.httpcache.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A Structured Fields Dictionary parser (RFC 8941 §4.2.2), enough for targeted cache-control fields
 * (RFC 9213): members {@code key[=bare-item][;params]}, bare items as {@link Long} (integer),
 * {@link Double} (decimal), {@link String} (string or token), {@code byte[]} (byte sequence) or
 * {@link Boolean}; parameters are parsed for validity and dropped; inner lists are parsed and kept as
 * {@link Boolean#TRUE}. Any syntax error makes the whole field invalid (empty), as RFC 8941 requires.
 * Never throws.
 */
public final class StructuredDictionary {
    private final String s;
    private int i;

    private StructuredDictionary(String s) {
        this.s = s;
    }

    /** The members in order (a later duplicate key overwrites an earlier one, RFC 8941 §4.2.2). */
    public static Optional<Map<String, Object>> parse(String value) {
        try {
            return Optional.ofNullable(new StructuredDictionary(value).dictionary());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private Map<String, Object> dictionary() {
        Map<String, Object> out = new LinkedHashMap<>();
        skipSp();
        if (i >= s.length()) {
            return out;
        }
        while (true) {
            String key = key();
            if (key == null) {
                return null;
            }
            Object value;
            if (peek() == '=') {
                i++;
                if (peek() == '(') {
                    if (!innerList()) {
                        return null;
                    }
                    value = Boolean.TRUE;
                } else {
                    value = bareItem();
                    if (value == null) {
                        return null;
                    }
                }
            } else {
                value = Boolean.TRUE;
            }
            if (!parameters()) {
                return null;
            }
            out.put(key, value);
            skipOws();
            if (i >= s.length()) {
                return out;
            }
            if (s.charAt(i) != ',') {
                return null;
            }
            i++;
            skipOws();
            if (i >= s.length()) {
                return null; // trailing comma
            }
        }
    }

    private char peek() {
        return i < s.length() ? s.charAt(i) : '\0';
    }

    private void skipSp() {
        while (i < s.length() && s.charAt(i) == ' ') {
            i++;
        }
    }

    private void skipOws() {
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
            i++;
        }
    }

    private String key() {
        char c = peek();
        if (!((c >= 'a' && c <= 'z') || c == '*')) {
            return null;
        }
        int start = i;
        while (i < s.length()) {
            c = s.charAt(i);
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.' || c == '*') {
                i++;
            } else {
                break;
            }
        }
        return s.substring(start, i);
    }

    private boolean parameters() {
        while (peek() == ';') {
            i++;
            skipSp();
            if (key() == null) {
                return false;
            }
            if (peek() == '=') {
                i++;
                if (bareItem() == null) {
                    return false;
                }
            }
        }
        return true;
    }

    private boolean innerList() {
        i++; // (
        while (true) {
            skipSp();
            if (peek() == ')') {
                i++;
                return parameters();
            }
            if (bareItem() == null || !parameters()) {
                return false;
            }
            char c = peek();
            if (c != ' ' && c != ')') {
                return false;
            }
        }
    }

    private Object bareItem() {
        char c = peek();
        if (c == '-' || (c >= '0' && c <= '9')) {
            return number();
        }
        if (c == '"') {
            return string();
        }
        if (c == '?') {
            i++;
            char b = peek();
            if (b != '0' && b != '1') {
                return null;
            }
            i++;
            return b == '1';
        }
        if (c == ':') {
            int end = s.indexOf(':', i + 1);
            if (end < 0) {
                return null;
            }
            String b64 = s.substring(i + 1, end);
            i = end + 1;
            try {
                return java.util.Base64.getDecoder().decode(b64);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '*') {
            int start = i;
            while (i < s.length() && isTokenChar(s.charAt(i))) {
                i++;
            }
            return s.substring(start, i);
        }
        return null;
    }

    private static boolean isTokenChar(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                || "!#$%&'*+-.^_`|~:/".indexOf(c) >= 0;
    }

    /**
     * RFC 8941 §4.2.4: an optional sign, then at least one digit; integers have at most 15 digits;
     * decimals at most 12 integer digits and 1 to 3 fraction digits.
     */
    private Object number() {
        int start = i;
        if (peek() == '-') {
            i++;
        }
        char first = peek();
        if (first < '0' || first > '9') {
            return null; // "-", "-.5": a digit must follow the sign
        }
        int digitsStart = i;
        int dot = -1;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                i++;
            } else if (c == '.' && dot < 0) {
                if (i - digitsStart > 12) {
                    return null;
                }
                dot = i;
                i++;
            } else {
                break;
            }
        }
        String text = s.substring(start, i);
        if (dot < 0) {
            return i - digitsStart > 15 ? null : (Object) Long.valueOf(text);
        }
        int fractionDigits = i - dot - 1;
        if (fractionDigits < 1 || fractionDigits > 3) {
            return null;
        }
        return Double.valueOf(text);
    }

    private Object string() {
        StringBuilder out = new StringBuilder();
        i++;
        while (i < s.length()) {
            char c = s.charAt(i++);
            if (c == '\\') {
                if (i >= s.length()) {
                    return null;
                }
                char e = s.charAt(i++);
                if (e != '"' && e != '\\') {
                    return null;
                }
                out.append(e);
            } else if (c == '"') {
                return out.toString();
            } else if (c < 0x20 || c > 0x7e) {
                return null;
            } else {
                out.append(c);
            }
        }
        return null;
    }
}
