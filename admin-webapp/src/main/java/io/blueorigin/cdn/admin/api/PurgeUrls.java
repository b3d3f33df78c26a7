package io.blueorigin.cdn.admin.api;

import io.blueorigin.cdn.admin.db.PurgeUrl;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Parses a purge URL (docs/control-plane.md): a {@code /}-rooted path with an optional query, meaning the
 * default site, or an {@code http(s)} absolute URL, whose host (lower case, no port) is the site. At most
 * {@value #MAX_BYTES} bytes (UTF-8), no fragment, no control characters, no userinfo. Path and query stay
 * raw (nodes build cache keys from them), so what the operator typed round-trips unchanged.
 */
final class PurgeUrls {
    /** Longest URL, in UTF-8 bytes (8 KiB). */
    static final int MAX_BYTES = 8 * 1024;
    private static final Pattern HOST = Pattern.compile("[a-z0-9_]([a-z0-9._-]{0,252})");
    private static final Pattern IPV6 = Pattern.compile("\\[[0-9a-f:.]{2,45}\\]");

    private PurgeUrls() {}

    /** {@code url} parsed, or a 400 whose message starts with {@code field}. */
    static PurgeUrl parse(String field, String url) throws ApiException {
        int bytes = url.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_BYTES) {
            throw ApiException.badRequest(field + ": longer than 8 KiB (" + bytes + " bytes)");
        }
        if (url.isEmpty()) {
            throw ApiException.badRequest(field + ": empty (expected a path such as /item/1 or an http(s) URL)");
        }
        Optional<String> problem = Text.problem(url);
        if (problem.isPresent()) {
            throw ApiException.badRequest(field + ": " + problem.get());
        }
        if (url.indexOf('#') >= 0) {
            throw ApiException.badRequest(field + ": has a fragment (#" + "...); a fragment never reaches a cache, remove it");
        }
        if (url.startsWith("/")) {
            return pathAndQuery(url, Optional.empty(), url);
        }
        String lower = url.toLowerCase(Locale.ROOT);
        int schemeEnd = lower.startsWith("http://") ? 7 : lower.startsWith("https://") ? 8 : -1;
        if (schemeEnd < 0) {
            throw ApiException.badRequest(field + ": " + Text.quote(url)
                    + " is neither a path starting with '/' nor an http:// or https:// URL");
        }
        int authorityEnd = schemeEnd;
        while (authorityEnd < url.length() && url.charAt(authorityEnd) != '/' && url.charAt(authorityEnd) != '?') {
            authorityEnd++;
        }
        String site = host(field, url.substring(schemeEnd, authorityEnd).toLowerCase(Locale.ROOT));
        String rest = url.substring(authorityEnd);
        return pathAndQuery(url, Optional.of(site), rest.isEmpty() || rest.startsWith("?") ? "/" + rest : rest);
    }

    private static PurgeUrl pathAndQuery(String url, Optional<String> site, String target) {
        int question = target.indexOf('?');
        return question < 0
                ? new PurgeUrl(url, site, target, Optional.empty())
                : new PurgeUrl(url, site, target.substring(0, question), Optional.of(target.substring(question + 1)));
    }

    /** The host of {@code authority} ({@code host[:port]}, lower case), checked. */
    private static String host(String field, String authority) throws ApiException {
        if (authority.indexOf('@') >= 0) {
            throw ApiException.badRequest(field + ": has user information ('user@'); remove it");
        }
        String host = authority;
        String port = null;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            host = close < 0 ? authority : authority.substring(0, close + 1);
            String after = close < 0 ? "" : authority.substring(close + 1);
            if (after.startsWith(":")) {
                port = after.substring(1);
            } else if (!after.isEmpty()) {
                throw ApiException.badRequest(field + ": malformed host " + Text.quote(authority));
            }
            if (!IPV6.matcher(host).matches()) {
                throw ApiException.badRequest(field + ": malformed IPv6 host " + Text.quote(host));
            }
        } else {
            int colon = authority.lastIndexOf(':');
            if (colon >= 0) {
                host = authority.substring(0, colon);
                port = authority.substring(colon + 1);
            }
            if (host.isEmpty()) {
                throw ApiException.badRequest(field + ": the URL has no host");
            }
            if (!host.chars().allMatch(c -> c < 128)) {
                throw ApiException.badRequest(field + ": host " + Text.quote(host)
                        + " is not ASCII; use its punycode (xn--) form");
            }
            if (!HOST.matcher(host).matches()) {
                throw ApiException.badRequest(field + ": malformed host " + Text.quote(host)
                        + " (expected letters, digits, '.', '-', '_')");
            }
        }
        if (port != null && !validPort(port)) {
            throw ApiException.badRequest(field + ": malformed port " + Text.quote(port) + " (expected 1..65535)");
        }
        return host;
    }

    private static boolean validPort(String port) {
        if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return false;
        }
        int value = Integer.parseInt(port);
        return value >= 1 && value <= 65_535;
    }
}
