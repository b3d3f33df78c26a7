package io.blueorigin.cdn.httpcache;

import static java.util.Objects.requireNonNull;

/**
 * One header field line as received or stored: name as sent (compared case-insensitively) and raw value.
 */
public record Field(String name, String value) {
    public Field {
        requireNonNull(name, "name is null");
        requireNonNull(value, "value is null");
    }

    public boolean is(String other) {
        return name.equalsIgnoreCase(other);
    }
}
