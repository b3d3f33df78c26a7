package io.blueorigin.cdn.proxy;

import io.blueorigin.cdn.httpcache.Field;
import io.blueorigin.cdn.httpcache.FieldList;
import io.blueorigin.cdn.httpcache.FieldLookup;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;

/**
 * Jetty's {@link HttpFields} seen as {@code http-cache}'s {@link FieldLookup}: the one place where server
 * header types become cache types. An absent field costs no allocation (the common case on the hit path).
 */
final class JettyFields implements FieldLookup {
    private final HttpFields fields;

    JettyFields(HttpFields fields) {
        this.fields = fields;
    }

    @Override
    public List<String> values(String name) {
        HttpField first = fields.getField(name);
        if (first == null) {
            return List.of();
        }
        return fields.getValuesList(name);
    }

    @Override
    public boolean has(String name) {
        return fields.getField(name) != null;
    }

    /** Every field line, in order, as an immutable {@link FieldList}. */
    static FieldList toFieldList(HttpFields fields) {
        List<Field> out = new ArrayList<>(fields.size());
        for (HttpField f : fields) {
            out.add(new Field(f.getName(), f.getValue() == null ? "" : f.getValue()));
        }
        return new FieldList(out);
    }
}
