package io.blueorigin.cdn.admin.db;

import java.util.Locale;
import java.util.Optional;

/** How a ban's pattern matches a stored object. */
public enum BanKind {
    /** The object's path starts with the pattern. */
    PREFIX,
    /** The object's site name equals the pattern (lower case). */
    HOST,
    /** RE2/J regular expression over path and query (linear time). */
    REGEX;

    /** {@code prefix}, {@code host}, {@code regex}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The kind called {@code label}, if there is one. */
    public static Optional<BanKind> fromLabel(String label) {
        for (BanKind kind : values()) {
            if (kind.label().equals(label)) {
                return Optional.of(kind);
            }
        }
        return Optional.empty();
    }
}
