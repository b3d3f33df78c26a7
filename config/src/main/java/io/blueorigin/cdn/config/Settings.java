package io.blueorigin.cdn.config;

import static io.blueorigin.cdn.runtime.Role.ADMIN;
import static io.blueorigin.cdn.runtime.Role.EDGE;
import static io.blueorigin.cdn.runtime.Role.ORIGIN;
import static io.blueorigin.cdn.runtime.Role.ROUTER;
import static io.blueorigin.cdn.runtime.Role.SHIELD;

import io.blueorigin.cdn.runtime.Role;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The catalogue of every configuration key, its type, default and meaning: the one source for validation,
 * for {@code blue-origin settings} and for the README's settings table (a test keeps them in step). Add a
 * key here first; a key missing from the catalogue is rejected at start as unknown.
 */
public final class Settings {

    /** Every key, in the order of the settings table. */
    public static final List<Setting> ALL = List.of(
            // identity
            Setting.of("node.pop", ValueType.TOKEN, "local",
                    "Point of presence this node serves (e.g. nyc); part of the default node name."),
            Setting.derived("node.name", ValueType.TOKEN, "<role>-<pop>",
                    "Unique node name, shown in Via, Cache-Status, metrics labels, thread names and logs."),
            Setting.derived("node.latitude", ValueType.DECIMAL, "the POP's (admin /api/v1/pops)",
                    "Where the node stands, degrees north (-90..90), registered with admin for geo routing; set with node.longitude.",
                    EDGE, SHIELD),
            Setting.derived("node.longitude", ValueType.DECIMAL, "the POP's (admin /api/v1/pops)",
                    "Where the node stands, degrees east (-180..180); set with node.latitude.", EDGE, SHIELD),
            Setting.of("node.weight", ValueType.INT, "100",
                    "The node's share of clients among equally near edges (1..1000), registered with admin.", EDGE, SHIELD),
            Setting.derived("node.public-url", ValueType.URL, "the traffic URL",
                    "Where the router sends clients (/route redirects), when clients reach the node by another URL.",
                    EDGE, SHIELD),
            Setting.derived("node.advertised-host", ValueType.HOST, "server.host (127.0.0.1 for 0.0.0.0)",
                    "Host name or address admin and other nodes reach this node by: the traffic and management URLs it "
                            + "registers use it (admin probes the management port, edges fetch from shields' traffic URLs). "
                            + "Set it in a fleet of several machines, with management.host reachable from admin.",
                    EDGE, SHIELD),
            Setting.of("node.addresses", ValueType.LIST, "",
                    "IP literals the router's DNS answers give for this node (empty: node.public-url's host if it is one).",
                    EDGE, SHIELD),
            // listening
            Setting.of("server.host", ValueType.HOST, "0.0.0.0", "Address the traffic port binds."),
            new Setting("server.port", ValueType.PORT, EnumSet.allOf(Role.class),
                    new EnumMap<>(Map.of(EDGE, "8080", SHIELD, "8082", ADMIN, "9000", ORIGIN, "9001", ROUTER, "9080")),
                    "edge 8080, shield 8082, admin 9000, origin 9001, router 9080",
                    "Traffic port (customer requests, or the API for admin); 0 picks a free port."),
            Setting.of("server.max-threads", ValueType.INT, "200", "Upper bound of the traffic thread pool."),
            Setting.of("server.idle-timeout", ValueType.DURATION, "30s", "A client connection idle this long is closed."),
            Setting.of("server.stop-timeout", ValueType.DURATION, "5s",
                    "On SIGTERM, how long in-flight requests may run before the node stops anyway."),
            Setting.of("server.max-connections", ValueType.INT, "10000",
                    "Most client connections open at once; beyond it the node stops accepting until one closes."),
            Setting.of("server.max-connections-per-client", ValueType.INT, "1024",
                    "Most connections one client address may hold; more are closed at once."),
            Setting.of("server.accept-queue-size", ValueType.INT, "1024",
                    "New connections the kernel holds until the node accepts them (listen backlog, capped by "
                            + "net.core.somaxconn); a larger burst has its handshakes retried a second later."),
            Setting.of("server.header-timeout", ValueType.DURATION, "10s",
                    "A new connection must deliver a whole request head within this, or it is closed (slow header senders)."),
            Setting.of("server.min-request-rate", ValueType.SIZE, "1KB",
                    "Bytes per second a request body must keep up, else the request fails with 408 (slow body senders); 0 turns the check off."),
            Setting.of("server.request-header-size", ValueType.SIZE, "8KB",
                    "Largest request line and header section accepted; larger ones get 431."),
            Setting.of("server.response-header-size", ValueType.SIZE, "16KB",
                    "Largest response header section written; a proxy accepts no larger one from its upstream and stores only those leaving 2KB for its own fields."),
            Setting.of("management.host", ValueType.HOST, "127.0.0.1",
                    "Address the management port binds (/healthz, /readyz, /metrics): loopback unless set, so probes and metrics are not public."),
            Setting.derived("management.port", ValueType.PORT, "server.port + 10000",
                    "Management port: /healthz, /readyz, /metrics, so no customer path is shadowed."),
            Setting.derived("access-log.path", ValueType.PATH, "none (off)",
                    "File for the access log: NCSA combined, then site, X-Cache, upstream ms, request id, total ms "
                            + "(docs/access-log.md). yyyy_mm_dd in the name rotates daily (UTC), keeping 31 days. "
                            + "The directory must exist; unset for none."),
            // HTTPS (edge): docs/tls.md
            Setting.derived("tls.port", ValueType.PORT, "none (HTTPS off)",
                    "HTTPS port, beside server.port (which stays plain HTTP); setting it turns HTTPS on, with tls.keystore "
                            + "or tls.certificate and tls.private-key. HTTP/2 by ALPN, HTTP/1.1 for other clients.", EDGE),
            Setting.derived("tls.keystore", ValueType.PATH, "none",
                    "PKCS#12 keystore (.p12) with the certificate chain and its private key; or use tls.certificate and tls.private-key.",
                    EDGE),
            Setting.of("tls.keystore-password", ValueType.STRING, "",
                    "Password of tls.keystore and of its key; the CDN_TLS_KEYSTORE_PASSWORD environment variable overrides it.",
                    EDGE),
            Setting.derived("tls.certificate", ValueType.PATH, "none",
                    "PEM certificate chain, leaf first (e.g. certbot's fullchain.pem); set with tls.private-key.", EDGE),
            Setting.derived("tls.private-key", ValueType.PATH, "none",
                    "PEM private key of tls.certificate, unencrypted (PKCS#8, RSA or EC; e.g. certbot's privkey.pem).", EDGE),
            Setting.of("tls.scan-interval", ValueType.DURATION, "10s",
                    "How often the key files are checked for a change; a changed file that passes the start-up checks "
                            + "replaces the certificate without a restart, a bad one is logged and the old one stays. 0s: never.",
                    EDGE),
            Setting.of("tls.hsts", ValueType.STRING, "off",
                    "Strict-Transport-Security value added to HTTPS responses only, e.g. max-age=31536000; includeSubDomains; off for none.",
                    EDGE),
            Setting.of("tls.allow-expired", ValueType.BOOLEAN, "false",
                    "Start (and reload) with a certificate that has expired or is not yet valid, instead of refusing to.",
                    EDGE),
            Setting.of("tls.h2c", ValueType.BOOLEAN, "false",
                    "The plain port (server.port) also speaks cleartext HTTP/2 (prior knowledge or Upgrade: h2c), for a "
                            + "load balancer that terminates TLS and talks HTTP/2 to the edge.", EDGE),
            // upstream (edge and shield)
            Setting.derived("upstream.url", ValueType.URL_LIST, "required",
                    "Where misses go: the origin for a shield or a single-box edge; for an edge its shield, or several "
                            + "shields (comma-separated) chosen per cache key by consistent hashing.",
                    EDGE, SHIELD),
            Setting.derived("upstream.fallback-url", ValueType.URL, "none",
                    "Where to go when every upstream.url is down (an edge's origin); unset: fail instead.", EDGE, SHIELD),
            Setting.of("upstream.to-origins", ValueType.BOOLEAN, "false",
                    "An edge with no shield tier (one box): each site of its sites: table fetches from the site's own "
                            + "origins, with their gates and breakers, as a shield does; upstream.url then serves only a "
                            + "node with no sites. A shield always fetches sites from their origins.", EDGE, SHIELD),
            Setting.of("upstream.shields-from-registry", ValueType.BOOLEAN, "true",
                    "An edge following admin keeps its shield ring equal to the shields admin lists as healthy or "
                            + "degraded (a shield added, drained or down moves about 1/N of the keys); upstream.url "
                            + "serves until admin first answers.", EDGE),
            Setting.of("upstream.down-time", ValueType.DURATION, "10s",
                    "How long an upstream that refused connections is skipped (its keys go to the next shield).",
                    EDGE, SHIELD),
            Setting.of("upstream.connect-timeout", ValueType.DURATION, "2s",
                    "A TCP connect to the upstream taking longer fails the fetch (502).", EDGE, SHIELD),
            Setting.of("upstream.read-timeout", ValueType.DURATION, "30s",
                    "No byte from the upstream for this long fails the fetch (504).", EDGE, SHIELD),
            Setting.of("upstream.max-connections", ValueType.INT, "256",
                    "Most connections open to one upstream at once.", EDGE, SHIELD),
            Setting.of("upstream.max-concurrent", ValueType.INT, "256",
                    "Most requests in flight to one upstream (origin protection).", EDGE, SHIELD),
            Setting.of("upstream.max-queued", ValueType.INT, "1024",
                    "Most requests waiting beyond max-concurrent; more get stale or a fast 503 with Retry-After.",
                    EDGE, SHIELD),
            Setting.of("upstream.breaker.failures", ValueType.INT, "20",
                    "Consecutive failures that open an upstream's circuit breaker: no response, a timeout, or a 502/503/504 (at an edge only a shield's own, not the origin's it relays).",
                    EDGE, SHIELD),
            Setting.of("upstream.breaker.open-time", ValueType.DURATION, "5s",
                    "How long an open breaker fails fast (or serves stale) before one probe is let through.",
                    EDGE, SHIELD),
            Setting.derived("upstream.max-concurrent-pass", ValueType.INT, "half of upstream.max-concurrent",
                    "Most pass-through requests (methods other than GET and HEAD) in flight to one upstream; the rest of upstream.max-concurrent stays free for cache fills.",
                    EDGE, SHIELD),
            Setting.of("upstream.pass-timeout", ValueType.DURATION, "2m",
                    "Longest one pass-through exchange may take in all (request body and response), so slow senders or readers cannot hold an upstream slot.",
                    EDGE, SHIELD),
            // forwarding (edge and shield)
            Setting.of("forwarding.strip-fields", ValueType.LIST,
                    "X-Forwarded-Host,X-Forwarded-Proto,X-Forwarded-Port,X-Forwarded-Scheme,X-Forwarded-Server,"
                            + "X-Forwarded-Prefix,X-Forwarded-Ssl,Front-End-Https,X-Original-URL,X-Rewrite-URL,X-Original-Host,"
                            + "X-Host,X-HTTP-Method-Override,X-HTTP-Method,X-Method-Override",
                    "Request fields removed before anything goes upstream: host, scheme, path and method overrides an origin could build an answer from that the cache key does not hold.",
                    EDGE, SHIELD),
            Setting.of("forwarding.trusted-proxies", ValueType.LIST, "",
                    "Addresses or CIDR ranges (a load balancer; a shield's edges) whose Forwarded and X-Forwarded-For are kept and appended to; from any other peer they are replaced.",
                    EDGE, SHIELD),
            // rate limits (edge)
            Setting.of("ratelimit.enabled", ValueType.BOOLEAN, "false",
                    "Turns on the node's rate limit per client address (a token bucket each; beyond it 429 with "
                            + "Retry-After). Sites' own limits (delivery.rateLimit) apply either way (docs/rate-limits.md).",
                    EDGE),
            Setting.of("ratelimit.rate", ValueType.INT, "100",
                    "Requests one client address may keep up per ratelimit.period (behind forwarding.trusted-proxies: "
                            + "the address they report); tokens come back one at a time.", EDGE),
            Setting.of("ratelimit.period", ValueType.DURATION, "1s", "What ratelimit.rate is counted over (1s to 1d).", EDGE),
            Setting.of("ratelimit.burst", ValueType.INT, "200",
                    "Requests one client address may send at once after a pause (the bucket's size).", EDGE),
            Setting.of("ratelimit.applies-to", ValueType.STRING, "all",
                    "all (hits count too: protects the node) or misses (only requests the cache does not answer: "
                            + "protects the origin); also the default of sites' own limits.", EDGE),
            Setting.of("ratelimit.max-entries", ValueType.INT,
                    "100000",
                    "Most buckets kept (client addresses times limits, a few hundred bytes each); beyond it the least "
                            + "used are dropped (their clients start again with a full bucket).", EDGE),
            Setting.of("ratelimit.idle-expiry", ValueType.DURATION, "1m",
                    "A bucket unused this long is dropped, but never before it would have refilled.", EDGE),
            // caching (edge and shield)
            Setting.of("cache.site", ValueType.TOKEN, "default",
                    "The site for requests whose host no site claims (the first part of their cache keys). With no "
                            + "sites at all every request is this site's, fetched from upstream.url, as before sites; with "
                            + "sites, an unclaimed host gets 421 unless one of them has this name (docs/sites.md).",
                    EDGE, SHIELD),
            Setting.derived(SiteDefinitions.KEY, ValueType.SITES, "none",
                    "Sites a standalone node serves, a YAML list of definitions as admin's PUT /api/v1/sites/{name} "
                            + "takes them (name, hosts, origins, caching; docs/sites.md), e.g. ops/examples/edge-sites.yaml. "
                            + "A node following admin (control.admin-url) serves admin's sites and may not declare any.",
                    EDGE, SHIELD),
            new Setting("cache.ttl-cap", ValueType.DURATION, EnumSet.of(EDGE, SHIELD),
                    new EnumMap<>(Map.of(EDGE, "30s", SHIELD, "300s")), "edge 30s, shield 300s",
                    "Longest a tier serves an object after receiving it without revalidating; clamps, never extends."),
            Setting.of("cache.heuristic-max", ValueType.DURATION, "1d",
                    "Upper bound of heuristic freshness (10% of the time since Last-Modified, RFC 9111 4.2.2).", EDGE, SHIELD),
            Setting.of("cache.negative-ttl", ValueType.DURATION, "10s",
                    "Lifetime of 404/410 responses that carry no freshness information (0s: do not cache them).", EDGE, SHIELD),
            Setting.of("cache.error-ttl", ValueType.DURATION, "0s",
                    "Lifetime of 500/502/503/504 responses that carry no freshness information; 0s (default): not stored,"
                    + " as RFC 9110 15.1 says (opt-in negative caching of errors).",
                    EDGE, SHIELD),
            Setting.of("cache.max-stale-on-error", ValueType.DURATION, "1d",
                    "How long past expiry a stored object is served when the upstream is down or answers 502/503/504.",
                    EDGE, SHIELD),
            Setting.of("cache.request-no-cache", ValueType.STRING, "revalidate",
                    "A client's no-cache / max-age=0: revalidate upstream (RFC 9111), or ignore (shield the origin).",
                    EDGE, SHIELD),
            Setting.of("cache.set-cookie", ValueType.STRING, "pass",
                    "Responses with Set-Cookie: pass (not stored) or strip (stored without Set-Cookie).", EDGE, SHIELD),
            Setting.of("cache.collapse-timeout", ValueType.DURATION, "15s",
                    "How long a request waits for another's fetch of the same object before a 504 (or stale).",
                    EDGE, SHIELD),
            Setting.of("cache.hit-for-miss-ttl", ValueType.DURATION, "30s",
                    "How long a key whose response was not cacheable is fetched without collapsing.", EDGE, SHIELD),
            Setting.of("cache.slice-size", ValueType.SIZE, "0",
                    "GET misses fetched and stored as slices of this size with upstream ranges (nginx slice); 0: off.",
                    EDGE, SHIELD),
            Setting.derived("cache.targeted-header", ValueType.STRING, "none",
                    "A targeted cache-control field obeyed before CDN-Cache-Control (RFC 9213), e.g. Acme-Cache-Control.",
                    EDGE, SHIELD),
            Setting.derived("store.heap.max-size", ValueType.SIZE, "256MB, at most a quarter of the JVM heap",
                    "Byte budget of the in-heap tier (at most half the JVM heap).", EDGE, SHIELD),
            Setting.derived("store.heap.max-object-size", ValueType.SIZE, "8MB, at most a quarter of the heap tier",
                    "Larger objects skip the heap tier (served from disk).", EDGE, SHIELD),
            Setting.derived("store.disk.path", ValueType.PATH, "none (heap only)",
                    "Directory of the disk tier (metadata in RocksDB, bodies in one body file); must exist and be empty or a "
                            + "Blue Origin store.", EDGE, SHIELD),
            Setting.of("store.disk.max-size", ValueType.SIZE, "10GB",
                    "Byte budget of the disk tier (bodies and metadata; the body file's holes and RocksDB's files need some "
                            + "more room: give the partition twice this).", EDGE, SHIELD),
            Setting.of("store.max-object-size", ValueType.SIZE, "1GB",
                    "Largest object stored; larger ones stream through uncached (heap only: the heap object limit).",
                    EDGE, SHIELD),
            Setting.of("store.chunk-size", ValueType.SIZE, "256KB", "Size of the chunks bodies are stored in.", EDGE, SHIELD),
            Setting.derived("store.in-flight.max-size", ValueType.SIZE, "an eighth of the JVM heap, at least 4MB",
                    "Heap for response bodies in transit (arriving, spilling to disk, passing through, read back from disk), "
                            + "one budget shared by every node in the process (if they differ, the smallest wins). Beyond it "
                            + "bodies spill to disk sooner, are not stored (no disk tier), or the upstream is paced.",
                    EDGE, SHIELD),
            Setting.derived("store.disk.index-max-size", ValueType.SIZE, "a sixteenth of the JVM heap, at least 1MB",
                    "Heap for the disk tier's index (keys, vary keys and tags of every object on disk, about 200 bytes "
                            + "plus their lengths each); beyond it objects are evicted as when the disk is full.",
                    EDGE, SHIELD),
            // compression (edge): docs/compression.md
            Setting.of("compression.enabled", ValueType.BOOLEAN, "true",
                    "Compress eligible responses at the edge with the coding the client prefers (Accept-Encoding), once "
                            + "per object: the copy is stored next to the identity one and served as a hit.", EDGE),
            Setting.of("compression.codings", ValueType.LIST, "br,gzip",
                    "Content codings the edge produces (br, gzip); empty turns compression off as compression.enabled=false does.",
                    EDGE),
            Setting.of("compression.types", ValueType.LIST,
                    String.join(",", io.blueorigin.cdn.httpcache.encoding.CompressionPolicy.DEFAULT_TYPES),
                    "Media types compressed (type/subtype or type/*; parameters ignored). A response the origin "
                            + "compressed, or with Cache-Control: no-transform, is sent as it is.", EDGE),
            Setting.of("compression.min-size", ValueType.SIZE, "1KB", "Smaller bodies are not compressed.", EDGE),
            Setting.of("compression.max-size", ValueType.SIZE, "10MB",
                    "Larger bodies are not compressed (bounds the work and the second copy of one object).", EDGE),
            Setting.of("compression.gzip-level", ValueType.INT, "6", "gzip level, 1 (fast) to 9 (small).", EDGE),
            Setting.of("compression.brotli-quality", ValueType.INT, "5",
                    "Brotli quality, 0 (fast) to 11 (small; about 100 times slower than 5, see docs/compression.md).", EDGE),
            // control plane (edge and shield)
            Setting.derived("control.admin-url", ValueType.URL_LIST, "none (standalone)",
                    "Admin to follow: invalidation log, registration, heartbeats, PURGE; unset: a standalone cache. "
                            + "Several replicas (one PostgreSQL behind them), comma-separated: the node follows the "
                            + "first that answers and moves to the next when it stops answering.",
                    EDGE, SHIELD),
            Setting.derived("control.token", ValueType.STRING, "required with control.admin-url",
                    "The node's own token (scope node, bound to node.name: POST /api/v1/tokens); the CDN_CONTROL_TOKEN environment variable overrides it.",
                    EDGE, SHIELD),
            Setting.of("control.heartbeat-interval", ValueType.DURATION, "10s",
                    "How often the node reports its progress and stats to admin.", EDGE, SHIELD),
            Setting.of("control.poll-wait", ValueType.DURATION, "25s",
                    "How long one long-poll for new invalidations waits (0s..30s).", EDGE, SHIELD),
            Setting.of("control.ordering-wait", ValueType.DURATION, "2s",
                    "How long a shield holds an edge's fetch until it has applied the invalidations the edge has; then it fetches from the origin.",
                    EDGE, SHIELD),
            Setting.of("control.startup-wait", ValueType.DURATION, "30s",
                    "How long a restarted node stays not ready while it cannot replay missed invalidations; then it serves and reports the lag.",
                    EDGE, SHIELD),
            Setting.of("stats.url-patterns", ValueType.LIST, "",
                    "URL patterns the node's traffic is broken down by in its heartbeat (admin's GET /api/v1/stats "
                            + "byUrlPattern), comma-separated globs on the request path tried in order, first match wins, "
                            + "e.g. /static/*,/api/*; * matches any characters, / included; unmatched requests count as "
                            + "other. At most 32, each starting with / (at most 200 visible ASCII characters, no ? or #).",
                    EDGE, SHIELD),
            // admin
            Setting.derived("db.url", ValueType.JDBC_URL, "required",
                    "PostgreSQL JDBC URL of the control plane's database.", ADMIN),
            Setting.of("db.user", ValueType.STRING, "postgres", "Database user.", ADMIN),
            Setting.of("db.password", ValueType.STRING, "",
                    "Database password; the CDN_DB_PASSWORD environment variable overrides it.", ADMIN),
            Setting.of("db.pool-size", ValueType.INT, "10", "Most pooled database connections.", ADMIN),
            Setting.of("db.connect-timeout", ValueType.DURATION, "5s",
                    "How long a request waits for a database connection before answering 503.", ADMIN),
            Setting.of("db.migrate-on-start", ValueType.BOOLEAN, "true",
                    "Apply pending schema migrations at start; when false, pending migrations stop the process.", ADMIN),
            Setting.of("admin.heartbeat-interval", ValueType.DURATION, "10s",
                    "Heartbeat interval nodes use (control.heartbeat-interval); a node silent for 3 intervals shows as down.",
                    ADMIN),
            Setting.of("admin.invalidation-retention", ValueType.DURATION, "7d",
                    "How long the invalidation log is kept; a node down longer than this drops its whole cache on restart.",
                    ADMIN),
            Setting.derived("admin.bootstrap-token-file", ValueType.PATH, "none (printed only)",
                    "Where to write the bootstrap admin token when the first start creates it (mode 0600).", ADMIN),
            Setting.of("console.session-idle", ValueType.DURATION, "30m",
                    "A console session unused this long ends (1m..console.session-lifetime); the user logs in again.",
                    ADMIN),
            Setting.of("console.session-lifetime", ValueType.DURATION, "12h",
                    "A console session ends this long after its login, used or not (at most 30d).", ADMIN),
            Setting.of("health.interval", ValueType.DURATION, "500ms",
                    "How often admin probes every node's /readyz (100ms..1m); one admin replica probes at a time (a database lease).",
                    ADMIN),
            Setting.of("health.timeout", ValueType.DURATION, "400ms",
                    "A probe not answered within this fails (less than health.interval).", ADMIN),
            Setting.of("health.rise", ValueType.INT, "2",
                    "Consecutive passed probes that bring a down node back (doubled per recent flap).", ADMIN),
            Setting.of("health.fall", ValueType.INT, "2", "Consecutive failed probes that mark a node down.", ADMIN),
            Setting.of("health.max-invalidation-lag", ValueType.DURATION, "30s",
                    "A ready node behind the invalidation log for longer than this is degraded (routed to only when no edge is healthy).",
                    ADMIN),
            Setting.of("health.flap-window", ValueType.DURATION, "60s",
                    "Flap damping: each down within this window doubles the passes needed to come back (at most 8 x health.rise); 0s turns it off.",
                    ADMIN),
            // router
            Setting.derived("routing.admin-url", ValueType.URL_LIST, "required",
                    "Admin whose routing view (GET /api/v1/routing: edges, POPs, health) the router follows. Several "
                            + "replicas, comma-separated: the router follows one and moves to the next when it stops "
                            + "answering.", ROUTER),
            Setting.derived("routing.token", ValueType.STRING, "required",
                    "A token admin accepts for the routing view (scope read); the CDN_ROUTING_TOKEN environment variable overrides it.",
                    ROUTER),
            Setting.derived("routing.geoip-db", ValueType.PATH, "required",
                    "GeoIP2 or GeoLite2 City database (.mmdb) that turns client addresses into coordinates.", ROUTER),
            Setting.derived("routing.default-pop", ValueType.TOKEN, "none (any edge)",
                    "The POP serving clients that cannot be located (private, unknown or malformed addresses).", ROUTER),
            Setting.of("routing.tolerance-km", ValueType.DECIMAL, "50",
                    "Edges this much farther than the nearest count as equally near, so weights spread their clients.", ROUTER),
            Setting.of("routing.tolerance-fraction", ValueType.DECIMAL, "0.1",
                    "The same, relative to the nearest distance (0..1); the larger of the two applies.", ROUTER),
            Setting.of("routing.trusted-proxies", ValueType.LIST, "",
                    "CIDR ranges of proxies whose X-Forwarded-For / Forwarded name the client; from anyone else those fields are ignored.",
                    ROUTER),
            Setting.of("routing.poll-wait", ValueType.DURATION, "25s",
                    "How long one long-poll of admin's routing view waits (1s..30s).", ROUTER),
            Setting.of("routing.dns-port", ValueType.PORT, "0",
                    "UDP and TCP port of the router's DNS server (A/AAAA of routing.dns-hostname); 0 for none.", ROUTER),
            Setting.of("routing.dns-bind-address", ValueType.HOST, "127.0.0.1", "Address the DNS server binds (an IP literal).",
                    ROUTER),
            Setting.of("routing.dns-hostname", ValueType.STRING, "cdn.demo.test",
                    "The CDN host name the DNS server answers for; other names are refused.", ROUTER),
            Setting.of("routing.dns-ttl", ValueType.DURATION, "20s", "TTL of DNS answers (1s..1h).", ROUTER),
            Setting.derived("routing.view-file", ValueType.PATH, "none",
                    "Where the router keeps its last routing view, so a restart while admin is down still routes.", ROUTER),
            // demo origin
            Setting.of("origin.delay", ValueType.DURATION, "50ms",
                    "Processing delay before each content response (?delay_ms=N overrides per request).", ORIGIN),
            Setting.of("origin.page-max-age", ValueType.DURATION, "60s",
                    "max-age of /item/{n} and /article/{n}.", ORIGIN),
            Setting.of("origin.static-max-age", ValueType.DURATION, "1d", "max-age of /static/{size}.", ORIGIN),
            Setting.derived("origin.site", ValueType.TOKEN, "none",
                    "A site name the origin puts in its pages (the \"site\" of /item/{n}, the text of /article/{n}, "
                            + "their ETags), so two origins' answers differ, as the demo's www and img.", ORIGIN));

    /** Keys by name. */
    private static final Map<String, Setting> BY_KEY = ALL.stream()
            .collect(Collectors.toMap(Setting::key, s -> s, (a, b) -> {
                throw new IllegalStateException("duplicate key " + a.key());
            }, LinkedHashMap::new));

    private Settings() {}

    public static Optional<Setting> find(String key) {
        return Optional.ofNullable(BY_KEY.get(key));
    }

    /** The known key closest to {@code key} (edit distance at most 3), to suggest for a typo. */
    public static Optional<String> closest(String key) {
        return ALL.stream()
                .map(Setting::key)
                .map(k -> Map.entry(k, distance(k, key)))
                .filter(e -> e.getValue() <= 3)
                .min(Comparator.comparingInt(Map.Entry::getValue))
                .map(Map.Entry::getKey);
    }

    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] t = previous;
            previous = current;
            current = t;
        }
        return previous[b.length()];
    }

    /** The settings table as Markdown (README and {@code blue-origin settings}). */
    public static String markdownTable() {
        StringBuilder out = new StringBuilder("| key | roles | type | default | meaning |\n|---|---|---|---|---|\n");
        for (Setting s : ALL) {
            String roles = s.roles().size() == Role.values().length ? "all"
                    : s.roles().stream().sorted().map(Role::label).collect(Collectors.joining(", "));
            out.append("| `").append(s.key()).append("` | ").append(roles).append(" | ")
                    .append(s.type().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-')).append(" | ")
                    .append(s.defaultText().isEmpty() ? "(empty)" : s.defaultText()).append(" | ")
                    .append(s.description()).append(" |\n");
        }
        return out.toString();
    }
}
