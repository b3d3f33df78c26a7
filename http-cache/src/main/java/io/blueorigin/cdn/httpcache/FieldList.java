package io.blueorigin.cdn.httpcache;

import java.util.ArrayList;
import java.util.List;

/** An ordered list of header fields that can also be looked up by name: a message's complete header section. */
public final class FieldList implements FieldLookup {
    private final List<Field> fields;

    public FieldList(List<Field> fields) {
        this.fields = List.copyOf(fields);
    }

    public List<Field> fields() {
        return fields;
    }

    @Override
    public List<String> values(String name) {
        List<String> out = null;
        for (Field f : fields) {
            if (f.is(name)) {
                if (out == null) {
                    out = new ArrayList<>(2);
                }
                out.add(f.value());
            }
        }
        return out == null ? List.of() : out;
    }

    @Override
    public String toString() {
        return fields.toString();
    }
}
