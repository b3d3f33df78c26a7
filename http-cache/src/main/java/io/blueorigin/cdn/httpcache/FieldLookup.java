package io.blueorigin.cdn.httpcache;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Read access to a message's header fields, whatever holds them (Jetty's {@code HttpFields} in the proxy,
 * a stored list of {@link Field}s here). Names are case-insensitive.
 */
@FunctionalInterface
public interface FieldLookup {
    /** No fields at all. */
    FieldLookup EMPTY = name -> List.of();

    /** Every line's value for {@code name}, in order; empty when absent. */
    List<String> values(String name);

    /** The first line's value for {@code name}, or null. */
    default @Nullable String first(String name) {
        List<String> values = values(name);
        return values.isEmpty() ? null : values.get(0);
    }

    default boolean has(String name) {
        return !values(name).isEmpty();
    }

    /** A lookup over a list of fields (linear scan: header lists are short). */
    static FieldLookup of(List<Field> fields) {
        return new FieldList(fields);
    }
}
