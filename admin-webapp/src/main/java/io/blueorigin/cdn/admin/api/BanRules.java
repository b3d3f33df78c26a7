package io.blueorigin.cdn.admin.api;

import com.google.re2j.PatternSyntaxException;
import io.blueorigin.cdn.admin.db.BanKind;
import io.blueorigin.cdn.admin.db.BanRule;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Validates a ban (docs/control-plane.md): pattern of 1-{@value #MAX_PATTERN_LENGTH} characters without
 * control characters; {@code prefix} a path prefix starting with {@code /}; {@code host} a site name
 * (compared in lower case); {@code regex} an RE2/J expression that compiles, within {@link RegexLimits} and
 * at most {@value #MAX_PROGRAM_SIZE} instructions; {@code ttlSeconds} 1..{@value #MAX_TTL_SECONDS}.
 */
final class BanRules {
    static final int MAX_PATTERN_LENGTH = 1024;
    /** 30 days. */
    static final long MAX_TTL_SECONDS = 2_592_000;
    /** Largest compiled RE2/J program: keeps matching cheap on every node (a{1000} alone is about 1000). */
    static final int MAX_PROGRAM_SIZE = 20_000;
    private static final Pattern HOST = Pattern.compile("[a-z0-9_]([a-z0-9._-]{0,252})");

    private BanRules() {}

    static BanRule check(String kindLabel, String pattern, long ttlSeconds) throws ApiException {
        BanKind kind = BanKind.fromLabel(kindLabel).orElseThrow(() -> ApiException.badRequest("kind: "
                + Text.quote(kindLabel) + " (expected: prefix, host or regex)"));
        if (pattern.isEmpty() || pattern.length() > MAX_PATTERN_LENGTH) {
            throw ApiException.badRequest("pattern: " + pattern.length() + " characters (expected 1-" + MAX_PATTERN_LENGTH + ")");
        }
        Optional<String> problem = Text.problem(pattern);
        if (problem.isPresent()) {
            throw ApiException.badRequest("pattern: " + problem.get());
        }
        if (ttlSeconds < 1 || ttlSeconds > MAX_TTL_SECONDS) {
            throw ApiException.badRequest("ttlSeconds: " + ttlSeconds + " (expected 1.." + MAX_TTL_SECONDS + ", 30 days)");
        }
        String checked = switch (kind) {
            case PREFIX -> {
                if (!pattern.startsWith("/")) {
                    throw ApiException.badRequest("pattern: a prefix ban matches paths, so it starts with '/' (got "
                            + Text.quote(pattern) + ")");
                }
                yield pattern;
            }
            case HOST -> {
                String host = pattern.toLowerCase(Locale.ROOT);
                if (!HOST.matcher(host).matches()) {
                    throw ApiException.badRequest("pattern: " + Text.quote(pattern)
                            + " is not a site name (expected letters, digits, '.', '-', '_', such as www.example.com)");
                }
                yield host;
            }
            case REGEX -> checkRegex(pattern);
        };
        return new BanRule(kind, checked, Duration.ofSeconds(ttlSeconds));
    }

    private static String checkRegex(String regex) throws ApiException {
        long product = RegexLimits.nestedRepeatProduct(regex);
        if (product > RegexLimits.MAX_NESTED_REPEAT) {
            throw ApiException.badRequest("pattern: nested counted repetitions multiply to " + product
                    + " (at most " + RegexLimits.MAX_NESTED_REPEAT + "); use * or + instead of large {n}");
        }
        com.google.re2j.Pattern compiled;
        try {
            compiled = com.google.re2j.Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw ApiException.badRequest("pattern: invalid regular expression" + position(regex, e) + ": "
                    + e.getDescription() + " (RE2 syntax, https://github.com/google/re2/wiki/Syntax)");
        }
        if (compiled.programSize() > MAX_PROGRAM_SIZE) {
            throw ApiException.badRequest("pattern: the regular expression compiles to " + compiled.programSize()
                    + " instructions (at most " + MAX_PROGRAM_SIZE + "); use * or + instead of large {n}");
        }
        return regex;
    }

    /** " at position N (`fragment`)": RE2/J names the offending fragment, not its index; find it. */
    private static String position(String regex, PatternSyntaxException e) {
        String fragment = e.getPattern();
        if (fragment == null || fragment.isEmpty()) {
            return "";
        }
        int index = regex.indexOf(fragment);
        return (index >= 0 ? " at position " + index : "") + " (`" + fragment + "`)";
    }
}
