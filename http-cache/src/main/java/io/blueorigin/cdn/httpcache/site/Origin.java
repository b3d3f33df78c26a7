package io.blueorigin.cdn.httpcache.site;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One origin server of a site: where a shield (or an edge with no shield to ask) fetches the site's misses.
 *
 * @param url {@code http} or {@code https} with a host; a path prefix is kept; no query, fragment or user info
 * @param hostHeader the {@code Host} sent to it, or null for the host and port of {@code url} (never the client's:
 *     several hosts share one site's key)
 * @param connectTimeout a TCP (and TLS) connect taking longer fails the attempt
 * @param readTimeout no byte for this long fails the fetch (504)
 * @param maxConcurrent most requests in flight to it from one node (origin protection)
 * @param verifyTls whether an https origin's certificate is checked (false only for an origin with a private
 *     certificate on a trusted network)
 */
public record Origin(URI url, @Nullable String hostHeader, Duration connectTimeout, Duration readTimeout, int maxConcurrent,
        boolean verifyTls) {
    static final Set<String> FIELDS = Set.of("url", "host", "connectTimeout", "readTimeout", "maxConcurrent", "verifyTls");
    private static final Pattern PORT_SUFFIX = Pattern.compile(":(\\d{1,5})\\z");
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(30);
    public static final int DEFAULT_MAX_CONCURRENT = 256;

    public Origin {
        requireNonNull(url, "url is null");
        requireNonNull(connectTimeout, "connectTimeout is null");
        requireNonNull(readTimeout, "readTimeout is null");
    }

    /** An origin with the defaults: its URL's Host, 2 s to connect, 30 s without a byte, 256 in flight, TLS checked. */
    public static Origin of(URI url) {
        return new Origin(url, null, DEFAULT_CONNECT_TIMEOUT, DEFAULT_READ_TIMEOUT, DEFAULT_MAX_CONCURRENT, true);
    }

    static Origin fromMap(Object value, String path) {
        Fields f = Fields.of(value, path, FIELDS);
        String text = f.string("url");
        URI url;
        try {
            url = new URI(text);
        } catch (URISyntaxException e) {
            throw new SiteException(f.path("url"), "'" + text + "' is not a URL: " + e.getReason());
        }
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new SiteException(f.path("url"), "'" + text + "': expected an http:// or https:// URL");
        }
        if (url.getHost() == null || url.getHost().isEmpty()) {
            throw new SiteException(f.path("url"), "'" + text + "': expected a URL with a host, e.g. http://10.0.0.5:8080");
        }
        if (url.getPort() == 0 || url.getPort() > 65535) {
            throw new SiteException(f.path("url"), "'" + text + "': expected a port from 1 to 65535");
        }
        if (url.getRawQuery() != null || url.getRawFragment() != null || url.getRawUserInfo() != null) {
            throw new SiteException(f.path("url"), "'" + text + "': expected no query, fragment or user info");
        }
        String host = f.optionalString("host");
        if (host != null) {
            String bare = HostPattern.asciiLowerCase(host);
            String problem = null;
            Matcher port = PORT_SUFFIX.matcher(bare);
            if (port.find()) {
                bare = bare.substring(0, port.start());
                int n = Integer.parseInt(port.group(1));
                problem = n < 1 || n > 65535 ? "a port from 1 to 65535" : null;
            }
            problem = problem != null ? problem : HostPattern.hostProblem(bare);
            if (problem != null) {
                throw new SiteException(f.path("host"), "'" + host + "' is not a host name: " + problem);
            }
        }
        Duration connect = f.duration("connectTimeout", Duration.ofMillis(1), Duration.ofMinutes(1));
        Duration read = f.duration("readTimeout", Duration.ofMillis(1), Duration.ofHours(1));
        return new Origin(url, host, connect == null ? DEFAULT_CONNECT_TIMEOUT : connect,
                read == null ? DEFAULT_READ_TIMEOUT : read, f.integer("maxConcurrent", DEFAULT_MAX_CONCURRENT, 1, 100_000),
                f.bool("verifyTls", true));
    }

    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("url", url.toString());
        if (hostHeader != null) {
            m.put("host", hostHeader);
        }
        m.put("connectTimeout", Fields.format(connectTimeout));
        m.put("readTimeout", Fields.format(readTimeout));
        m.put("maxConcurrent", maxConcurrent);
        m.put("verifyTls", verifyTls);
        return m;
    }
}
