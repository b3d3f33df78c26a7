package io.blueorigin.cdn.origin;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Requests that reached the origin: a count per path (query excluded), a total, and the last few requests
 * with the headers that show which tiers they crossed ({@code Via}, {@code X-Request-ID}).
 *
 * <p>Thread-safe. The per-path map is bounded ({@link #MAX_PATHS}); paths beyond it count under
 * {@code "(other)"} so a crawler cannot grow the demo origin without bound.
 */
public final class OriginStats {
    /** Most distinct paths counted individually. */
    public static final int MAX_PATHS = 100_000;
    /** How many recent requests {@code /_origin/stats} shows. */
    public static final int RECENT = 32;

    private final ConcurrentHashMap<String, LongAdder> paths = new ConcurrentHashMap<>();
    private final LongAdder total = new LongAdder();
    /** Guarded by itself. */
    private final Deque<Map<String, String>> recent = new ArrayDeque<>();

    void record(String method, String path, String via, String requestId) {
        total.increment();
        LongAdder counter = paths.get(path);
        if (counter == null) {
            counter = paths.size() < MAX_PATHS
                    ? paths.computeIfAbsent(path, p -> new LongAdder())
                    : paths.computeIfAbsent("(other)", p -> new LongAdder());
        }
        counter.increment();
        Map<String, String> entry = new LinkedHashMap<>();
        entry.put("method", method);
        entry.put("path", path);
        entry.put("via", via);
        entry.put("requestId", requestId);
        synchronized (recent) {
            if (recent.size() == RECENT) {
                recent.removeFirst();
            }
            recent.addLast(entry);
        }
    }

    /** Requests counted for {@code path} since the last reset. */
    public long count(String path) {
        LongAdder counter = paths.get(path);
        return counter == null ? 0 : counter.sum();
    }

    public long total() {
        return total.sum();
    }

    public void reset() {
        paths.clear();
        total.reset();
        synchronized (recent) {
            recent.clear();
        }
    }

    /** The JSON shape of {@code GET /_origin/stats}. */
    Map<String, Object> snapshot() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("total", total.sum());
        Map<String, Long> counts = new TreeMap<>();
        paths.forEach((path, counter) -> counts.put(path, counter.sum()));
        body.put("paths", counts);
        synchronized (recent) {
            body.put("recent", List.copyOf(recent));
        }
        return body;
    }
}
