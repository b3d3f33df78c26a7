package io.blueorigin.cdn.httpcache.site;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What a site does with the request's {@code Cookie} field before caching decisions and the upstream
 * request: pass it as sent, or remove the listed cookies (analytics and session cookies the origin's cached
 * pages do not depend on), so requests that differ only by them share one object.
 *
 * @param mode pass or strip
 * @param names for {@link Mode#STRIP}: the cookie names removed (exact, case-sensitive, RFC 6265)
 */
public record CookiePolicy(Mode mode, List<String> names) {
    static final Set<String> FIELDS = Set.of("mode", "names");

    /** As written in JSON: {@code pass}, {@code strip}. */
    public enum Mode {
        PASS,
        STRIP
    }

    public static final CookiePolicy PASS = new CookiePolicy(Mode.PASS, List.of());

    public CookiePolicy {
        requireNonNull(mode, "mode is null");
        names = List.copyOf(names);
    }

    /** What is left of a {@code Cookie} field value, or null when nothing is (remove the field). */
    public @Nullable String apply(String cookieField) {
        if (mode == Mode.PASS) {
            return cookieField;
        }
        List<String> kept = new ArrayList<>();
        for (String pair : cookieField.split(";")) {
            String trimmed = pair.strip();
            if (trimmed.isEmpty()) {
                continue;
            }
            int eq = trimmed.indexOf('=');
            String name = eq < 0 ? trimmed : trimmed.substring(0, eq).strip();
            if (!names.contains(name)) {
                kept.add(trimmed);
            }
        }
        return kept.isEmpty() ? null : String.join("; ", kept);
    }

    static CookiePolicy fromMap(@Nullable Object value, String path) {
        if (value == null) {
            return PASS;
        }
        Fields f = Fields.of(value, path, FIELDS);
        Mode mode = f.choice("mode", Mode.class, Mode.PASS);
        List<String> names = new ArrayList<>();
        List<Object> listed = f.list("names");
        if (listed.size() > 64) {
            throw new SiteException(f.path("names"), "at most 64 names");
        }
        for (int i = 0; i < listed.size(); i++) {
            if (!(listed.get(i) instanceof String s) || !s.matches("[!#$%&'*+\\-.^_`|~0-9A-Za-z]{1,256}")) {
                throw new SiteException(f.path("names") + "[" + i + "]", "expected a cookie name (an RFC 6265 token)");
            }
            names.add(s);
        }
        if (mode == Mode.STRIP && names.isEmpty()) {
            throw new SiteException(f.path("names"), "mode strip needs at least one cookie name");
        }
        if (mode == Mode.PASS && !names.isEmpty()) {
            throw new SiteException(f.path("names"), "only for mode strip");
        }
        return new CookiePolicy(mode, names);
    }

    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mode", Fields.label(mode));
        if (mode == Mode.STRIP) {
            m.put("names", names);
        }
        return m;
    }
}
