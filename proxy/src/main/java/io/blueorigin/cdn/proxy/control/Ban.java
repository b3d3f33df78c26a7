package io.blueorigin.cdn.proxy.control;

import static java.util.Objects.requireNonNull;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import io.blueorigin.cdn.httpcache.range.Slices;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * A ban as a node holds it: objects whose response arrived at or before {@code appliedAtMillis} (this
 * node's clock, when it learned of the ban) and whose key matches are invalid. Immutable.
 *
 * <p>Matching is against the primary cache key ({@code site + " " + pathAndQuery}, normalized): {@code prefix}
 * compares the start of the path and query, {@code host} the site, {@code regex} searches the path and
 * query with RE2/J (linear time in the key's length whatever the pattern: no catastrophic backtracking).
 */
public final class Ban {
    private final long id;
    private final String kind;
    private final String pattern;
    private final long appliedAtMillis;
    private final long expiresAtMillis;
    private final Pattern regex;
    /** {@code "<site> "}: the key prefix of the one site it covers, or null for every site. */
    private final @Nullable String sitePrefix;

    /** A ban over every site. */
    public Ban(long id, String kind, String pattern, long appliedAtMillis, long expiresAtMillis) {
        this(id, kind, pattern, null, appliedAtMillis, expiresAtMillis);
    }

    /**
     * @param site the one site it covers, or null for every site
     * @throws IllegalArgumentException for an unknown kind or a regex RE2/J rejects (admin validated it already)
     */
    public Ban(long id, String kind, String pattern, @Nullable String site, long appliedAtMillis, long expiresAtMillis) {
        this.id = id;
        this.sitePrefix = site == null ? null : site + " ";
        this.kind = requireNonNull(kind, "kind is null").toLowerCase(Locale.ROOT);
        this.pattern = requireNonNull(pattern, "pattern is null");
        this.appliedAtMillis = appliedAtMillis;
        this.expiresAtMillis = expiresAtMillis;
        switch (this.kind) {
            case "prefix", "host" -> regex = null;
            case "regex" -> {
                try {
                    regex = Pattern.compile(pattern);
                } catch (PatternSyntaxException e) {
                    throw new IllegalArgumentException("ban " + id + ": invalid regex: " + e.getMessage(), e);
                }
            }
            default -> throw new IllegalArgumentException("ban " + id + ": unknown kind '" + kind + "'");
        }
    }

    /** Whether an object under {@code primaryKey} whose response arrived at {@code responseTimeMillis} is banned. */
    public boolean bans(String primaryKey, long responseTimeMillis) {
        return responseTimeMillis <= appliedAtMillis && matches(primaryKey);
    }

    /** Whether the key matches the pattern, whatever the object's age. */
    public boolean matches(String primaryKey) {
        if (sitePrefix != null && !primaryKey.startsWith(sitePrefix)) {
            return false;
        }
        int space = primaryKey.indexOf(' ');
        String site = space < 0 ? "" : primaryKey.substring(0, space);
        String pathAndQuery = Slices.primaryKeyOf(primaryKey).substring(space + 1); // a slice entry is judged as its object
        return switch (kind) {
            case "prefix" -> pathAndQuery.startsWith(pattern);
            case "host" -> site.equalsIgnoreCase(pattern);
            default -> regex.matcher(pathAndQuery).find();
        };
    }

    public long id() {
        return id;
    }

    public long expiresAtMillis() {
        return expiresAtMillis;
    }

    @Override
    public String toString() {
        return "ban " + id + " (" + kind + " " + pattern + ")";
    }
}
