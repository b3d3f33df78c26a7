package io.blueorigin.cdn.httpcache;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/**
 * One member of a {@code Cache-Status} field (RFC 9211): the cache's name and how it handled the request,
 * e.g. {@code edge-nyc; hit; ttl=27} or {@code shield-iad; fwd=uri-miss; fwd-status=200; stored}. Each
 * tier appends its member to the value it received from upstream, so the member nearest the origin comes
 * first (§2): {@code shield-iad; fwd=uri-miss; stored, edge-nyc; hit; ttl=27}.
 *
 * <p>Built fresh per response (the values change per request); small and allocation-light.
 */
public final class CacheStatus {
    private final StringBuilder out;

    private CacheStatus(String cacheName) {
        requireNonNull(cacheName, "cacheName is null");
        out = new StringBuilder(48).append(cacheName);
    }

    /** A member for the cache called {@code cacheName} (a token such as {@code edge-nyc}). */
    public static CacheStatus of(String cacheName) {
        return new CacheStatus(cacheName);
    }

    /** {@code hit}: answered from cache without going upstream. */
    public CacheStatus hit() {
        out.append("; hit");
        return this;
    }

    /** {@code fwd}: why the request went upstream. */
    public CacheStatus fwd(CacheDecision.Fwd fwd) {
        if (fwd != CacheDecision.Fwd.NONE) {
            out.append("; fwd=").append(fwd.token());
        }
        return this;
    }

    /** {@code fwd-status}: the status the upstream answered. */
    public CacheStatus fwdStatus(int status) {
        out.append("; fwd-status=").append(status);
        return this;
    }

    /** {@code ttl}: remaining freshness in seconds (negative when stale). */
    public CacheStatus ttl(long seconds) {
        out.append("; ttl=").append(seconds);
        return this;
    }

    /** {@code stored}: the response was stored. */
    public CacheStatus stored() {
        out.append("; stored");
        return this;
    }

    /** {@code collapsed}: the request shared another request's upstream fetch. */
    public CacheStatus collapsed() {
        out.append("; collapsed");
        return this;
    }

    /** {@code detail}: implementation-specific detail, as a token when possible, else a quoted string. */
    public CacheStatus detail(String detail) {
        out.append("; detail=");
        if (isToken(detail)) {
            out.append(detail);
        } else {
            out.append('"');
            for (int i = 0; i < detail.length(); i++) {
                char c = detail.charAt(i);
                if (c == '"' || c == '\\') {
                    out.append('\\');
                }
                out.append(c >= 0x20 && c < 0x7f ? c : '?');
            }
            out.append('"');
        }
        return this;
    }

    /** This member appended to the upstream's {@code Cache-Status} value (if any). */
    public String appendTo(@Nullable String upstreamValue) {
        if (upstreamValue == null || upstreamValue.isBlank()) {
            return out.toString();
        }
        return upstreamValue + ", " + out;
    }

    @Override
    public String toString() {
        return out.toString();
    }

    private static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        char first = s.charAt(0);
        if (!((first >= 'A' && first <= 'Z') || (first >= 'a' && first <= 'z') || first == '*')) {
            return false;
        }
        for (int i = 1; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~:/".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
