package io.blueorigin.cdn.proxy;

import static java.util.Objects.requireNonNull;

import com.codahale.metrics.CachedGauge;
import com.codahale.metrics.Counter;
import com.codahale.metrics.Timer;
import io.blueorigin.cdn.proxy.control.ControlPlane;
import io.blueorigin.cdn.proxy.control.Invalidation;
import io.blueorigin.cdn.proxy.upstream.CircuitBreaker;
import io.blueorigin.cdn.proxy.upstream.Upstream;
import io.blueorigin.cdn.proxy.upstream.Upstreams;
import io.blueorigin.cdn.runtime.metrics.NodeMetrics;
import io.blueorigin.cdn.runtime.metrics.StatusClass;
import io.blueorigin.cdn.storage.CacheStore;
import io.blueorigin.cdn.storage.TierStats;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.ToLongFunction;
import org.jspecify.annotations.Nullable;

/**
 * An edge's or shield's metrics (catalogue: docs/metrics.md), the one place their names and labels are
 * written. Request counters are bumped by {@link TrafficMeter} (once per client request, before the
 * response is sent), upstream ones by {@link Fetcher} and {@link CachingProxyServlet}; store, collapsing,
 * breaker and invalidation figures are gauges read from their owners at scrape time.
 *
 * <p>Hot-path objects are created once per label combination and kept in arrays or maps, so a request
 * costs array reads and {@code LongAdder} increments. Thread-safe.
 */
public final class ProxyMetrics {
    /** {@code cache_status} values: the {@code X-Cache} values in lower case, and {@code error}. */
    enum Status {
        HIT, STALE, REVALIDATED, MISS, PASS, ERROR;

        final String label = name().toLowerCase(Locale.ROOT);

        /** From a response's {@code X-Cache} value; a response without one is the node's own error answer. */
        static Status of(@Nullable String xCache) {
            if (xCache == null) {
                return ERROR;
            }
            return switch (xCache) {
                case "HIT" -> HIT;
                case "STALE" -> STALE;
                case "REVALIDATED" -> REVALIDATED;
                case "MISS" -> MISS;
                case "PASS" -> PASS;
                default -> ERROR;
            };
        }
    }

    /** {@code content_class} values, from the response's {@code Content-Type}. */
    enum ContentClass {
        HTML("html"), CSS_JS("css-js"), IMAGE("image"), VIDEO("video"), OTHER("other");

        final String label;

        ContentClass(String label) {
            this.label = label;
        }

        /**
         * The class of a response whose {@code Content-Type} has the {@link ContentTypes} label {@code contentType}:
         * the header is parsed once per request, for both (on the hit path).
         */
        static ContentClass of(int contentType) {
            return switch (contentType) {
                case ContentTypes.HTML -> HTML;
                case ContentTypes.CSS, ContentTypes.JAVASCRIPT -> CSS_JS;
                case ContentTypes.IMAGE -> IMAGE;
                case ContentTypes.VIDEO -> VIDEO;
                default -> OTHER;
            };
        }
    }

    private static final int CODES = StatusClass.LABELS.size();
    /** {@code reason} values of {@code cdn_rejected_requests_total}. */
    private static final List<String> REJECTION_REASONS = List.of("overloaded", "circuit-open", "collapse-timeout", "unauthorized",
            "bad-request", "misdirected", "site-unknown", "rate-limited",
            "signature-missing", "signature-expired", "signature-invalid", "unknown-key");
    /**
     * Most {@code site} label values: each site's label is its name for the first {@code SiteRouter.MAX_LABELLED_SITES}
     * sites and {@code other} beyond; this also bounds labels of sites since removed, which keep their series.
     */
    static final int MAX_SITE_LABELS = 2 * io.blueorigin.cdn.proxy.site.SiteRouter.MAX_LABELLED_SITES + 2;
    private static final int STATUSES = Status.values().length;
    private static final int CLASSES = ContentClass.values().length;

    private final NodeMetrics metrics;
    private final AtomicReferenceArray<Counter> requests = new AtomicReferenceArray<>(STATUSES * CLASSES * CODES);
    private final AtomicReferenceArray<Counter> responseBytes = new AtomicReferenceArray<>(STATUSES * CLASSES);
    private final AtomicReferenceArray<Timer> durations = new AtomicReferenceArray<>(STATUSES);
    private final Counter upstreamBytes;
    private final Map<String, UpstreamMeters> upstreams = new ConcurrentHashMap<>();
    private final Map<String, Counter> rejected = new ConcurrentHashMap<>();
    /** Site label to its request counters, one per cache status; at most {@link #MAX_SITE_LABELS} labels. */
    private final Map<String, Counter[]> siteRequests = new ConcurrentHashMap<>();
    /** Start of the counters' lifetime (this node process's start). */
    private final Instant startedAt = Instant.now();
    /** Requests, hits and bytes by content type and URL pattern (the heartbeat's breakdown). */
    private final TrafficBreakdown breakdown;

    ProxyMetrics(NodeMetrics metrics) {
        this(metrics, UrlPatterns.NONE);
    }

    ProxyMetrics(NodeMetrics metrics, UrlPatterns urlPatterns) {
        this.metrics = requireNonNull(metrics, "metrics is null");
        this.breakdown = new TrafficBreakdown(urlPatterns);
        this.upstreamBytes = metrics.counter("cdn_upstream_bytes_total", "Body bytes received from upstreams.");
        for (String reason : REJECTION_REASONS) {
            rejected(reason, 0); // present from the start, so rate() and alerts see a 0 rather than no series
        }
    }

    /** Counts one client request answered with {@code code}; called once per request, before the response goes out. */
    void request(Status status, ContentClass type, int code) {
        int c = StatusClass.index(code);
        int i = (status.ordinal() * CLASSES + type.ordinal()) * CODES + c;
        Counter counter = requests.get(i);
        if (counter == null) {
            counter = metrics.counter("cdn_requests_total", "Client requests answered, by what the cache did.",
                    "cache_status", status.label, "content_class", type.label, "code", StatusClass.LABELS.get(c));
            requests.set(i, counter);
        }
        counter.inc();
    }

    /**
     * Counts one client request of a site ({@code cdn_site_requests_total{site, cache_status}}); {@code none} for a
     * request no site served (421, 400).
     */
    void siteRequest(String siteLabel, Status status) {
        Counter[] counters = siteRequests.get(siteLabel);
        if (counters == null) {
            String label = siteRequests.size() < MAX_SITE_LABELS ? siteLabel : "other";
            counters = siteRequests.computeIfAbsent(label, l -> {
                Counter[] made = new Counter[STATUSES];
                for (Status st : Status.values()) {
                    made[st.ordinal()] = metrics.counter("cdn_site_requests_total", "Client requests answered, by site and"
                            + " what the cache did (site labels bounded: docs/sites.md).", "site", l, "cache_status", st.label);
                }
                return made;
            });
        }
        counters[status.ordinal()].inc();
    }

    /** Per site label, requests by cache status (for the heartbeat's {@code traffic.sites}). */
    private Map<String, Map<String, Long>> sites() {
        Map<String, Map<String, Long>> out = new java.util.TreeMap<>();
        siteRequests.forEach((site, counters) -> {
            Map<String, Long> byStatus = new java.util.LinkedHashMap<>();
            for (Status st : Status.values()) {
                byStatus.put(st.label, counters[st.ordinal()].getCount());
            }
            out.put(site, byStatus);
        });
        return out;
    }

    /** Records a finished request's body bytes and duration. */
    void completed(Status status, ContentClass type, long bytes, long nanos) {
        int i = status.ordinal() * CLASSES + type.ordinal();
        Counter counter = responseBytes.get(i);
        if (counter == null) {
            counter = metrics.counter("cdn_response_bytes_total", "Body bytes sent to clients.", "cache_status", status.label,
                    "content_class", type.label);
            responseBytes.set(i, counter);
        }
        counter.inc(bytes);
        Timer timer = durations.get(status.ordinal());
        if (timer == null) {
            timer = metrics.timer("cdn_request_duration_seconds", "Time from a request's arrival to its last byte.",
                    "cache_status", status.label);
            durations.set(status.ordinal(), timer);
        }
        timer.update(nanos, TimeUnit.NANOSECONDS);
    }

    /** An upstream answered {@code code} after {@code nanos} (request sent to response headers). */
    void upstreamResponse(String upstream, int code, long nanos) {
        UpstreamMeters m = upstream(upstream);
        m.codes[StatusClass.index(code)].inc();
        m.latency.update(nanos, TimeUnit.NANOSECONDS);
    }

    /** An upstream request got no response (refused, reset, timed out). */
    void upstreamError(String upstream) {
        upstream(upstream).error.inc();
    }

    /** Body bytes received from an upstream. */
    void upstreamBytes(long bytes) {
        upstreamBytes.inc(bytes);
    }

    /** A request refused or cut short by origin protection, collapsing or authorisation. */
    void rejected(String reason) {
        rejected(reason, 1);
    }

    private void rejected(String reason, long n) {
        rejected.computeIfAbsent(reason, r -> metrics.counter("cdn_rejected_requests_total",
                "Requests refused or cut short by protection.", "reason", r)).inc(n);
    }

    /**
     * The heartbeat's {@code traffic} object (docs/control-plane.md, "Traffic stats"): totals since this
     * node started, with the start time so admin can tell a restart from a quiet spell.
     */
    Map<String, Object> traffic() {
        Map<String, Object> traffic = new java.util.LinkedHashMap<>();
        traffic.put("startedAt", startedAt.toString());
        traffic.put("requests", requestsByStatus());
        traffic.put("bytesServed", bytesServed());
        traffic.put("bytesUpstream", upstreamBytes.getCount());
        traffic.put("upstreamRequests", upstreamRequests());
        traffic.put("sites", sites());
        traffic.put("contentTypes", breakdown.contentTypes());
        traffic.put("urlPatterns", breakdown.urlPatterns());
        return traffic;
    }

    /** The counters by content type and URL pattern, bumped by {@link TrafficMeter}. */
    TrafficBreakdown breakdown() {
        return breakdown;
    }

    private Map<String, Long> requestsByStatus() {
        Map<String, Long> out = new java.util.LinkedHashMap<>();
        for (Status s : Status.values()) {
            long n = 0;
            for (int t = 0; t < CLASSES; t++) {
                for (int c = 0; c < CODES; c++) {
                    Counter counter = requests.get((s.ordinal() * CLASSES + t) * CODES + c);
                    n += counter == null ? 0 : counter.getCount();
                }
            }
            out.put(s.label, n);
        }
        return out;
    }

    private long bytesServed() {
        long n = 0;
        for (int i = 0; i < responseBytes.length(); i++) {
            Counter c = responseBytes.get(i);
            n += c == null ? 0 : c.getCount();
        }
        return n;
    }

    private long upstreamRequests() {
        long n = 0;
        for (UpstreamMeters m : upstreams.values()) {
            for (Counter c : m.codes) {
                n += c.getCount();
            }
            n += m.error.getCount();
        }
        return n;
    }

    private UpstreamMeters upstream(String upstream) {
        return upstreams.computeIfAbsent(upstream, u -> new UpstreamMeters(metrics, u));
    }

    /** One upstream's counters and latency timer. */
    private static final class UpstreamMeters {
        final Counter[] codes = new Counter[CODES];
        final Counter error;
        final Timer latency;

        UpstreamMeters(NodeMetrics metrics, String upstream) {
            String help = "Requests sent upstream, by status class (error: no response).";
            for (int i = 0; i < CODES; i++) {
                codes[i] = metrics.counter("cdn_upstream_requests_total", help, "upstream", upstream, "code",
                        StatusClass.LABELS.get(i));
            }
            error = metrics.counter("cdn_upstream_requests_total", help, "upstream", upstream, "code", "error");
            latency = metrics.timer("cdn_upstream_latency_seconds", "Time from sending an upstream request to its response headers.",
                    "upstream", upstream);
        }
    }

    /** The {@code upstream} label of an upstream: its {@code host:port}. */
    static String label(Upstream upstream) {
        return upstream.url().getAuthority();
    }

    /** Gauges over the node's store, collapser, upstreams and control plane (read at scrape time). */
    void watch(CacheStore store, Collapser collapser, Upstreams ups, ControlPlane control) {
        // one snapshot of the tiers serves all their gauges in a scrape, instead of one per gauge
        CachedGauge<List<TierStats>> tiers = new CachedGauge<>(1, TimeUnit.SECONDS) {
            @Override
            protected List<TierStats> loadValue() {
                return store.stats();
            }
        };
        for (TierStats tier : store.stats()) {
            String name = tier.tier();
            tierGauge(tiers, name, "cdn_store_entries", "Objects held.", TierStats::entries);
            tierGauge(tiers, name, "cdn_store_bytes", "Bytes held.", TierStats::bytes);
            tierGauge(tiers, name, "cdn_store_max_bytes", "The tier's budget in bytes.", TierStats::maxBytes);
            tierGauge(tiers, name, "cdn_store_file_bytes", "Bytes the tier's bodies take on the device: the disk tier's body "
                    + "file up to its last block in use, holes included (0 for the heap).", TierStats::fileBytes);
            tierGauge(tiers, name, "cdn_store_hits_total", "Lookups answered by the tier.", TierStats::hits);
            tierGauge(tiers, name, "cdn_store_misses_total", "Lookups the tier could not answer.", TierStats::misses);
            tierGauge(tiers, name, "cdn_store_evictions_total", "Objects evicted to stay within budget.", TierStats::evictions);
            tierGauge(tiers, name, "cdn_store_promotions_total", "Disk hits copied into the heap tier.", TierStats::promotions);
            tierGauge(tiers, name, "cdn_store_corrupt_total", "Corrupt or torn records found and dropped.", TierStats::corrupt);
            tierGauge(tiers, name, "cdn_store_write_errors_total", "Writes that failed.", TierStats::writeErrors);
            tierGauge(tiers, name, "cdn_store_degraded", "1 while the tier is not accepting writes.",
                    t -> t.degraded().isEmpty() ? 0 : 1);
        }
        metrics.gauge("cdn_store_in_flight_bytes", "Heap held by bodies in transit, every node of the process together.",
                () -> store.memoryBudget().usedBytes());
        metrics.gauge("cdn_store_in_flight_max_bytes", "The process's budget for bodies in transit (store.in-flight.max-size).",
                () -> store.memoryBudget().maxBytes());
        metrics.gauge("cdn_collapsed_waiters", "Requests waiting now for another request's upstream fetch.",
                () -> collapser.waiting().get());
        metrics.gauge("cdn_collapsed_requests_total", "Requests that joined another's fetch instead of going upstream.",
                collapser::collapsed);
        metrics.gauge("cdn_inflight_fetches", "Upstream fetches other requests may join.", collapser::inFlight);
        for (Upstream u : ups.all()) {
            String label = label(u);
            metrics.gauge("cdn_circuit_state", "Circuit breaker: 0 closed, 1 half-open, 2 open.",
                    () -> breakerValue(u.breaker().state()), "upstream", label);
            metrics.gauge("cdn_upstream_marked_down", "1 while the upstream is marked down.", () -> ups.isDown(u) ? 1 : 0,
                    "upstream", label);
            metrics.gauge("cdn_upstream_inflight", "Requests in flight to the upstream.", () -> u.gate().inFlight(),
                    "upstream", label);
            metrics.gauge("cdn_upstream_queued", "Requests queued for a concurrency slot.", () -> u.gate().queued(),
                    "upstream", label);
        }
        for (Invalidation.Kind kind : Invalidation.Kind.values()) {
            metrics.gauge("cdn_invalidations_applied_total", "Invalidations from admin's log applied to this node's store.",
                    () -> control.applied(kind), "kind", kind.name().toLowerCase(Locale.ROOT).replace("purge_tags", "tags")
                            .replace('_', '-'));
        }
        metrics.gauge("cdn_invalidation_objects_total", "Objects invalidations removed or marked stale.",
                control::objectsAffected);
        control.stageTimes().forEach((stage, timer) -> metrics.register("cdn_invalidation_stage_seconds",
                "Time applied invalidations spent per stage: delivery (commit in admin's log to this node reading it, "
                        + "across two clocks) and apply (reading it to its effects in the store).", timer, "stage", stage));
        metrics.gauge("cdn_invalidation_lag_entries", "Entries admin holds that this node has not applied.", control::lagEntries);
        metrics.gauge("cdn_invalidation_last_applied", "Id of the last invalidation applied.", () -> control.local().lastApplied());
        metrics.gauge("cdn_invalidation_contact_age_seconds", "Seconds since admin last answered (-1: never).", () -> {
            long age = control.contactAgeMillis();
            return age < 0 ? -1 : age / 1000.0;
        });
    }

    private void tierGauge(CachedGauge<List<TierStats>> tiers, String tier, String name, String help,
            ToLongFunction<TierStats> value) {
        metrics.gauge(name, help, () -> find(tiers.getValue(), tier).map(value::applyAsLong).orElse(0L), "tier", tier);
    }

    private static Optional<TierStats> find(List<TierStats> tiers, String tier) {
        for (TierStats t : tiers) {
            if (t.tier().equals(tier)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    private static int breakerValue(CircuitBreaker.State state) {
        return switch (state) {
            case CLOSED -> 0;
            case HALF_OPEN -> 1;
            case OPEN -> 2;
        };
    }
}
