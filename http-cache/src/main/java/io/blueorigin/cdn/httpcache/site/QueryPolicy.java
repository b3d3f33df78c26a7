package io.blueorigin.cdn.httpcache.site;

import io.blueorigin.cdn.httpcache.RequestTarget;
import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What a site's cache key (and the request sent upstream: one form for both, so the stored object is the
 * answer to its own key) keeps of the query. Works on the canonical query ({@code RequestTarget}), whose
 * parameters are {@code &}-separated {@code name[=value]} in percent-encoded form; names are compared as
 * written there.
 *
 * @param mode keep all (as sent), sorted by name (stable: repeated names keep their order), drop the query,
 *     or keep only the listed parameters (in the order sent)
 * @param allow for {@link Mode#ALLOW_LIST}: the parameter names kept
 */
public record QueryPolicy(Mode mode, List<String> allow) {
    static final Set<String> FIELDS = Set.of("mode", "allow");
    /** Most parameter names an allow-list may hold. */
    static final int MAX_ALLOW = 64;

    /** The modes, as written in JSON: {@code keep}, {@code sorted}, {@code drop}, {@code allow-list}. */
    public enum Mode {
        KEEP,
        SORTED,
        DROP,
        ALLOW_LIST
    }

    public static final QueryPolicy KEEP = new QueryPolicy(Mode.KEEP, List.of());

    public QueryPolicy {
        requireNonNull(mode, "mode is null");
        allow = List.copyOf(allow);
    }

    /** The target this policy leaves of a canonical {@code target} (the same object when the query is unchanged). */
    public RequestTarget apply(RequestTarget target) {
        String kept = apply(target.query());
        return kept == target.query() ? target : new RequestTarget(target.path(), kept);
    }

    /** The query this policy leaves of {@code query} (canonical, without {@code ?}), or null for none. */
    public @Nullable String apply(@Nullable String query) {
        if (query == null || mode == Mode.KEEP) {
            return query;
        }
        if (mode == Mode.DROP) {
            return null;
        }
        String[] params = query.split("&", -1);
        if (mode == Mode.SORTED) {
            Arrays.sort(params, (a, b) -> name(a).compareTo(name(b))); // Arrays.sort on objects is stable
            return String.join("&", params);
        }
        List<String> kept = new ArrayList<>();
        for (String p : params) {
            if (allow.contains(name(p))) {
                kept.add(p);
            }
        }
        return kept.isEmpty() ? null : String.join("&", kept);
    }

    private static String name(String param) {
        int eq = param.indexOf('=');
        return eq < 0 ? param : param.substring(0, eq);
    }

    static QueryPolicy fromMap(@Nullable Object value, String path) {
        if (value == null) {
            return KEEP;
        }
        Fields f = Fields.of(value, path, FIELDS);
        Mode mode = f.choice("mode", Mode.class, Mode.KEEP);
        List<String> names = new ArrayList<>();
        List<Object> listed = f.list("allow");
        if (listed.size() > MAX_ALLOW) {
            throw new SiteException(f.path("allow"), "at most " + MAX_ALLOW + " names");
        }
        for (int i = 0; i < listed.size(); i++) {
            if (!(listed.get(i) instanceof String s) || s.isEmpty() || s.length() > 256 || s.contains("&")
                    || s.contains("=")) {
                throw new SiteException(f.path("allow") + "[" + i + "]", "expected a parameter name (1-256 characters,"
                        + " no '&' or '=')");
            }
            names.add(s);
        }
        if (mode == Mode.ALLOW_LIST && names.isEmpty()) {
            throw new SiteException(f.path("allow"), "mode allow-list needs at least one name (or use mode drop)");
        }
        if (mode != Mode.ALLOW_LIST && !names.isEmpty()) {
            throw new SiteException(f.path("allow"), "only for mode allow-list");
        }
        return new QueryPolicy(mode, names);
    }

    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mode", Fields.label(mode));
        if (mode == Mode.ALLOW_LIST) {
            m.put("allow", allow);
        }
        return m;
    }
}
