package io.blueorigin.cdn.proxy;

import io.blueorigin.cdn.httpcache.site.CookiePolicy;
import io.blueorigin.cdn.httpcache.Field;
import io.blueorigin.cdn.httpcache.FieldList;
import io.blueorigin.cdn.httpcache.FieldLookup;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.jspecify.annotations.Nullable;

/**
 * Jetty's {@link HttpFields} seen as {@code http-cache}'s {@link FieldLookup}: the one place where server
 * header types become cache types.
 *
 * <p>Built with one pass over the request's fields that notes which of the fields the cache asks about
 * are present; asking for an absent one (the common case on the hit path: no Cache-Control, no
 * validators) then costs neither a scan nor an allocation. Fields outside that set (those a Vary names)
 * are looked up in Jetty's fields.
 */
final class JettyFields implements FieldLookup {
    /** The fields {@code http-cache} reads on every request, by name, with their bit. */
    private static final Map<String, Integer> BITS = Map.ofEntries(
            Map.entry("Cache-Control", 0), Map.entry("Pragma", 1), Map.entry("If-Match", 2),
            Map.entry("If-None-Match", 3), Map.entry("If-Modified-Since", 4), Map.entry("If-Unmodified-Since", 5),
            Map.entry("Authorization", 6));
    private static final HttpHeader[] HEADERS = {HttpHeader.CACHE_CONTROL, HttpHeader.PRAGMA, HttpHeader.IF_MATCH,
        HttpHeader.IF_NONE_MATCH, HttpHeader.IF_MODIFIED_SINCE, HttpHeader.IF_UNMODIFIED_SINCE, HttpHeader.AUTHORIZATION};

    private final HttpFields fields;
    /** Bit i set: HEADERS[i] is present. */
    private final int present;
    private final @Nullable String requestId;
    /** The site's cookie policy: {@code Cookie} reads as what it leaves (Vary matching sees what the origin gets). */
    private final CookiePolicy cookies;

    JettyFields(HttpFields fields) {
        this(fields, CookiePolicy.PASS);
    }

    JettyFields(HttpFields fields, CookiePolicy cookies) {
        this.fields = fields;
        this.cookies = cookies;
        int bits = 0;
        String id = null;
        for (HttpField f : fields) {
            HttpHeader header = f.getHeader();
            if (header != null) {
                switch (header) {
                    case CACHE_CONTROL -> bits |= 1;
                    case PRAGMA -> bits |= 1 << 1;
                    case IF_MATCH -> bits |= 1 << 2;
                    case IF_NONE_MATCH -> bits |= 1 << 3;
                    case IF_MODIFIED_SINCE -> bits |= 1 << 4;
                    case IF_UNMODIFIED_SINCE -> bits |= 1 << 5;
                    case AUTHORIZATION -> bits |= 1 << 6;
                    default -> {
                    }
                }
            } else if (id == null && f.getName().length() == RequestIds.HEADER.length()
                    && f.getName().equalsIgnoreCase(RequestIds.HEADER)) {
                id = f.getValue();
            }
        }
        this.present = bits;
        this.requestId = id;
    }

    /** The request's {@code X-Request-ID}, if it sent one. */
    @Nullable String requestId() {
        return requestId;
    }

    @Override
    public List<String> values(String name) {
        if (cookies.mode() != CookiePolicy.Mode.PASS && "Cookie".equalsIgnoreCase(name)) {
            return cookie();
        }
        Integer bit = BITS.get(name);
        if (bit != null) {
            return (present & (1 << bit)) == 0 ? List.of() : fields.getValuesList(HEADERS[bit]);
        }
        if (fields.getField(name) == null) {
            return List.of();
        }
        return fields.getValuesList(name);
    }

    /** The request's cookies less those the site strips, as one field (none when nothing is left). */
    private List<String> cookie() {
        List<String> sent = fields.getValuesList(HttpHeader.COOKIE);
        String kept = sent.isEmpty() ? null : cookies.apply(String.join("; ", sent));
        return kept == null ? List.of() : List.of(kept);
    }

    @Override
    public boolean has(String name) {
        if (cookies.mode() != CookiePolicy.Mode.PASS && "Cookie".equalsIgnoreCase(name)) {
            return !cookie().isEmpty();
        }
        Integer bit = BITS.get(name);
        if (bit != null) {
            return (present & (1 << bit)) != 0;
        }
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
