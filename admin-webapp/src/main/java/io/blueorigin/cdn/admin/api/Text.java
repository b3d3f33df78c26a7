package io.blueorigin.cdn.admin.api;

import java.util.Optional;

/** Character-level checks shared by the validators. */
final class Text {
    private Text() {}

    /**
     * What makes {@code value} unfit to store and send to nodes, if anything: a control character (which
     * also covers NUL, which PostgreSQL text cannot hold) or an unpaired surrogate (not valid Unicode).
     */
    static Optional<String> problem(String value) {
        for (int i = 0; i < value.length(); ) {
            int c = value.codePointAt(i);
            if (Character.isISOControl(c)) {
                return Optional.of(String.format("control character U+%04X at position %d", c, i));
            }
            if (c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE) {
                return Optional.of("unpaired surrogate (invalid Unicode) at position " + i);
            }
            i += Character.charCount(c);
        }
        return Optional.empty();
    }

    /** {@code value} for a message: quoted, cut to 80 characters. */
    static String quote(String value) {
        return "'" + (value.length() > 80 ? value.substring(0, 77) + "..." : value) + "'";
    }
}
