package io.blueorigin.cdn.proxy;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Requests, hits and bytes served by content type ({@link ContentTypes}) and by URL pattern ({@link UrlPatterns}),
 * cumulative since the node started, for the heartbeat's {@code traffic.contentTypes} and
 * {@code traffic.urlPatterns} (docs/control-plane.md, "Traffic stats"). Bumped by {@link TrafficMeter} with
 * label indexes it computed once per request; the labels and their counters exist from the start (one
 * {@link LongAdder} per label and figure), so counting costs two array reads and a few increments, never an
 * allocation. Thread-safe.
 *
 * <p>A request counts in {@code requests} when it is answered (with the totals' {@code requests}), in
 * {@code hits} when the cache answered it without waiting for upstream ({@code HIT} or {@code STALE}, the totals'
 * rule), and its body bytes in {@code bytesServed} when it completes.
 */
final class TrafficBreakdown {
    private final UrlPatterns patterns;
    private final Counters contentTypes = new Counters(ContentTypes.LABELS);
    private final Counters urlPatterns;

    TrafficBreakdown(UrlPatterns patterns) {
        this.patterns = requireNonNull(patterns, "patterns is null");
        this.urlPatterns = new Counters(patterns.labels());
    }

    /** The URL-pattern label index of a request path (see {@link UrlPatterns#index}). */
    int urlPattern(String path) {
        return patterns.index(path);
    }

    /** Counts one answered request of content type {@code type} and URL pattern {@code url} (label indexes). */
    void request(int type, int url, boolean hit) {
        contentTypes.request(type, hit);
        urlPatterns.request(url, hit);
    }

    /** Counts the body bytes of a completed request. */
    void served(int type, int url, long bytes) {
        contentTypes.bytes[type].add(bytes);
        urlPatterns.bytes[url].add(bytes);
    }

    /** Per content-type label with any count, {@code {"requests", "hits", "bytesServed"}}, in label order. */
    Map<String, Map<String, Long>> contentTypes() {
        return contentTypes.snapshot();
    }

    /** Per URL-pattern label with any count, as {@link #contentTypes()}, in the configured order, other last. */
    Map<String, Map<String, Long>> urlPatterns() {
        return urlPatterns.snapshot();
    }

    /** One dimension's counters, one per label and figure, all made at construction. */
    private static final class Counters {
        final List<String> labels;
        final LongAdder[] requests;
        final LongAdder[] hits;
        final LongAdder[] bytes;

        Counters(List<String> labels) {
            this.labels = List.copyOf(labels);
            this.requests = adders(labels.size());
            this.hits = adders(labels.size());
            this.bytes = adders(labels.size());
        }

        /** Requests first, hits after, and {@link #snapshot} reads them in the other order: hits never exceed requests. */
        void request(int label, boolean hit) {
            requests[label].increment();
            if (hit) {
                hits[label].increment();
            }
        }

        Map<String, Map<String, Long>> snapshot() {
            Map<String, Map<String, Long>> out = new LinkedHashMap<>();
            for (int i = 0; i < labels.size(); i++) {
                long h = hits[i].sum();
                long r = requests[i].sum();
                long b = bytes[i].sum();
                if (r > 0 || b > 0) {
                    Map<String, Long> figures = new LinkedHashMap<>();
                    figures.put("requests", r);
                    figures.put("hits", h);
                    figures.put("bytesServed", b);
                    out.put(labels.get(i), figures);
                }
            }
            return out;
        }

        private static LongAdder[] adders(int n) {
            LongAdder[] out = new LongAdder[n];
            for (int i = 0; i < n; i++) {
                out[i] = new LongAdder();
            }
            return out;
        }
    }
}
