package io.blueorigin.cdn.admin.db;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * One URL of a purge, as submitted and as nodes apply it.
 *
 * @param url the URL as the operator submitted it (shown in the history)
 * @param site host of an absolute URL, lower case, no port; empty for a path (the default site)
 * @param path raw path, starting with {@code /}
 * @param query raw query (without {@code ?}), empty when the URL has no {@code ?}
 */
public record PurgeUrl(String url, Optional<String> site, String path, Optional<String> query) {
    public PurgeUrl {
        requireNonNull(url, "url is null");
        requireNonNull(site, "site is null");
        requireNonNull(path, "path is null");
        requireNonNull(query, "query is null");
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("path must start with '/': " + path);
        }
    }
}
