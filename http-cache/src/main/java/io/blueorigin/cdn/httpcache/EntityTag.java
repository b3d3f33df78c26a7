package io.blueorigin.cdn.httpcache;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An entity tag (RFC 9110 §8.8.3): an opaque quoted string, optionally weak ({@code W/"..."}).
 *
 * @param opaque the characters between the quotes
 * @param weak whether it is a weak validator
 */
public record EntityTag(String opaque, boolean weak) {

    public EntityTag {
        requireNonNull(opaque, "opaque is null");
    }

    /** Parses one entity-tag; empty when {@code value} is not exactly one valid entity-tag. */
    public static Optional<EntityTag> parse(String value) {
        String s = value.trim();
        boolean weak = false;
        if (s.startsWith("W/")) {
            weak = true;
            s = s.substring(2);
        }
        if (s.length() < 2 || s.charAt(0) != '"' || s.charAt(s.length() - 1) != '"') {
            return Optional.empty();
        }
        String opaque = s.substring(1, s.length() - 1);
        for (int i = 0; i < opaque.length(); i++) {
            char c = opaque.charAt(i);
            // etagc = %x21 / %x23-7E / obs-text
            if (c == '"' || c < 0x21 || c == 0x7f) {
                return Optional.empty();
            }
        }
        return Optional.of(new EntityTag(opaque, weak));
    }

    /**
     * The members of an {@code If-None-Match} / {@code If-Match} list. {@code *} is returned as a
     * {@link List} holding {@link #ANY}; invalid members are skipped.
     */
    public static List<EntityTag> parseList(List<String> fieldValues) {
        List<EntityTag> out = new ArrayList<>();
        for (String value : fieldValues) {
            int i = 0;
            int n = value.length();
            while (i < n) {
                char c = value.charAt(i);
                if (c == ' ' || c == '\t' || c == ',') {
                    i++;
                } else if (c == '*') {
                    out.add(ANY);
                    i++;
                } else {
                    int start = i;
                    if (value.startsWith("W/", i)) {
                        i += 2;
                    }
                    if (i < n && value.charAt(i) == '"') {
                        int close = value.indexOf('"', i + 1);
                        if (close < 0) {
                            break;
                        }
                        parse(value.substring(start, close + 1)).ifPresent(out::add);
                        i = close + 1;
                    } else {
                        // garbage member: skip to the next comma
                        while (i < n && value.charAt(i) != ',') {
                            i++;
                        }
                    }
                }
            }
        }
        return out;
    }

    /** The {@code *} of {@code If-None-Match: *} (matches any current representation). */
    public static final EntityTag ANY = new EntityTag("*", false);

    /** Strong comparison (RFC 9110 §8.8.3.2): both strong and identical. */
    public boolean strongMatches(EntityTag other) {
        return !weak && !other.weak && opaque.equals(other.opaque);
    }

    /** Weak comparison (RFC 9110 §8.8.3.2): identical opaque tags, weakness ignored. */
    public boolean weakMatches(EntityTag other) {
        return opaque.equals(other.opaque);
    }

    /** The field-value form: {@code "abc"} or {@code W/"abc"}. */
    @Override
    public String toString() {
        return (weak ? "W/\"" : "\"") + opaque + "\"";
    }
}
