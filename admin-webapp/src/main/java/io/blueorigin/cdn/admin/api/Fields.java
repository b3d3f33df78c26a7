package io.blueorigin.cdn.admin.api;

import java.util.List;
import org.jspecify.annotations.Nullable;

/** Checks of required body fields, with messages naming the field. */
final class Fields {
    private Fields() {}

    static <T> T required(String field, @Nullable T value, String expected) throws ApiException {
        if (value == null) {
            throw ApiException.badRequest(field + ": required (" + expected + ")");
        }
        return value;
    }

    /** A list of 1..{@code max} non-null elements. */
    static <T> List<T> list(String field, @Nullable List<@Nullable T> values, int max, String what) throws ApiException {
        return list(field, values, 1, max, what);
    }

    /** A list of {@code min}..{@code max} non-null elements. */
    static <T> List<T> list(String field, @Nullable List<@Nullable T> values, int min, int max, String what)
            throws ApiException {
        if (values == null) {
            throw ApiException.badRequest(field + ": required (a list of " + min + "-" + max + " " + what + ")");
        }
        if (values.size() < min) {
            throw ApiException.badRequest(field + ": empty (expected " + min + "-" + max + " " + what + ")");
        }
        if (values.size() > max) {
            throw ApiException.badRequest(field + ": at most " + max + " entries (got " + values.size() + ")");
        }
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i) == null) {
                throw ApiException.badRequest(field + "[" + i + "]: null is not allowed in " + field);
            }
        }
        return values; // no element is null: checked above
    }

    /** A long in {@code min..max}. */
    static long range(String field, long value, long min, long max) throws ApiException {
        if (value < min || value > max) {
            throw ApiException.badRequest(field + ": " + value + " is out of range (expected " + min + ".."
                    + (max == Long.MAX_VALUE ? "" : max) + ")");
        }
        return value;
    }
}
