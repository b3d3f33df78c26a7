package io.blueorigin.cdn.it.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.blueorigin.cdn.proxy.ProxyNode;
import io.blueorigin.cdn.testkit.MetricsScrape;
import io.blueorigin.cdn.testkit.Reply;
import io.blueorigin.cdn.testkit.TestClient;
import io.blueorigin.cdn.testkit.TestStack;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.client.ContentResponse;
import org.junit.jupiter.api.Test;

/**
 * {@code /metrics} on edges and shields counts the traffic sent, exactly, under concurrency: per cache
 * status and content class as the clients saw them, bytes, upstream requests against what the next tier
 * and the origin received; and every metric of docs/metrics.md is exported.
 */
class MetricsIT {
    private static final String[] TYPES = {"text/html; charset=utf-8", "text/css", "image/png", "video/mp4", "application/json"};
    private static final int THREADS = 8;
    private static final int PER_THREAD = 250;

    /** What the clients of one edge saw. */
    private static final class Seen {
        final Map<String, AtomicLong> byStatus = new ConcurrentHashMap<>();
        final Map<String, AtomicLong> byClass = new ConcurrentHashMap<>();
        final AtomicLong requests = new AtomicLong();
        final AtomicLong bodyBytes = new AtomicLong();

        void add(ContentResponse r, String method) {
            requests.incrementAndGet();
            String x = r.getHeaders().get("X-Cache");
            byStatus.computeIfAbsent(x == null ? "error" : x.toLowerCase(Locale.ROOT), k -> new AtomicLong()).incrementAndGet();
            byClass.computeIfAbsent(contentClass(r.getHeaders().get("Content-Type")), k -> new AtomicLong()).incrementAndGet();
            if (!method.equals("HEAD")) {
                bodyBytes.addAndGet(r.getContent().length);
            }
        }
    }

    private static String contentClass(String type) {
        if (type == null) {
            return "other";
        }
        if (type.startsWith("text/html")) {
            return "html";
        }
        if (type.startsWith("text/css")) {
            return "css-js";
        }
        if (type.startsWith("image/")) {
            return "image";
        }
        return type.startsWith("video/") ? "video" : "other";
    }

    @Test
    void countersMatchTheTrafficSentExactlyUnderConcurrency() throws Exception {
        try (TestStack s = TestStack.start(c -> c.edges("nyc", "lhr").shields("iad"))) {
            for (int i = 0; i < 50; i++) {
                s.origin.on("/m/" + i, Reply.ok("object " + i + " ".repeat(i * 37)).withHeader("Content-Type", TYPES[i % TYPES.length])
                        .withHeader("Cache-Control", "max-age=60"));
            }
            s.origin.on("/private", Reply.ok("mine").withHeader("Cache-Control", "private"));
            Map<String, Seen> seen = Map.of("nyc", new Seen(), "lhr", new Seen());
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                long seed = t;
                done.add(pool.submit(() -> {
                    Random random = new Random(seed);
                    for (int i = 0; i < PER_THREAD; i++) {
                        String pop = random.nextBoolean() ? "nyc" : "lhr";
                        int roll = random.nextInt(100);
                        String path = roll < 3 ? "/private" : roll < 6 ? "/missing/" + random.nextInt(5) : "/m/" + random.nextInt(50);
                        String method = roll >= 90 ? "HEAD" : "GET";
                        ContentResponse r = TestClient.send(s.client.request(s.edge(pop, path)).method(method));
                        seen.get(pop).add(r, method);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(2, TimeUnit.MINUTES);
            }
            pool.shutdown();

            double edgeUpstream = 0;
            for (String pop : List.of("nyc", "lhr")) {
                ProxyNode edge = s.cdn.edge(pop);
                Seen client = seen.get(pop);
                MetricsScrape m = MetricsScrape.of(edge.managementUri());
                assertThat(m.type("cdn_requests_total")).isEqualTo("counter");
                assertThat(m.sum("cdn_requests_total")).as("requests counted at %s", pop).isEqualTo(client.requests.get());
                for (String status : List.of("hit", "stale", "revalidated", "miss", "pass", "error")) {
                    long expected = client.byStatus.getOrDefault(status, new AtomicLong()).get();
                    assertThat(m.sum("cdn_requests_total", "cache_status", status)).as("%s %s", pop, status).isEqualTo(expected);
                }
                for (String type : List.of("html", "css-js", "image", "video", "other")) {
                    long expected = client.byClass.getOrDefault(type, new AtomicLong()).get();
                    assertThat(m.sum("cdn_requests_total", "content_class", type)).as("%s %s", pop, type).isEqualTo(expected);
                }
                assertThat(m.samples()).filteredOn(x -> x.name().startsWith("cdn_"))
                        .allSatisfy(x -> assertThat(x.labels()).containsEntry("role", "edge").containsEntry("pop", pop));
                // bytes and durations are recorded as each response completes: a moment after the client has it
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                    MetricsScrape later = MetricsScrape.of(edge.managementUri());
                    assertThat(later.sum("cdn_response_bytes_total")).isEqualTo(client.bodyBytes.get());
                    assertThat(later.sum("cdn_request_duration_seconds_count")).isEqualTo(client.requests.get());
                });
                edgeUpstream += m.sum("cdn_upstream_requests_total");
                assertThat(m.sum("cdn_upstream_requests_total", "code", "error")).isZero();
            }
            assertThat(seen.get("nyc").byStatus.get("hit").get() + seen.get("lhr").byStatus.get("hit").get())
                    .as("mostly hits").isGreaterThan(THREADS * PER_THREAD / 2);

            MetricsScrape shield = MetricsScrape.of(s.cdn.shield().managementUri());
            assertThat(shield.sum("cdn_requests_total")).as("every edge upstream request reached the shield, counted once")
                    .isEqualTo(edgeUpstream);
            assertThat(shield.sum("cdn_requests_total", "role", "shield")).isEqualTo(edgeUpstream);
            long originRequests = 0;
            for (int i = 0; i < 50; i++) {
                originRequests += s.origin.count("/m/" + i);
            }
            originRequests += s.origin.count("/private");
            for (int i = 0; i < 5; i++) {
                originRequests += s.origin.count("/missing/" + i);
            }
            assertThat(shield.sum("cdn_upstream_requests_total")).as("shield upstream requests = origin's count")
                    .isEqualTo(originRequests);
            assertThat(shield.sum("cdn_upstream_latency_seconds_count")).isEqualTo(originRequests);
            assertThat(shield.sum("cdn_upstream_bytes_total")).isPositive();
        }
    }

    @Test
    void everyNodeMetricOfTheCatalogueIsExportedWithItsType() throws IOException {
        Map<String, String> catalogue = catalogue();
        assertThat(catalogue).containsKeys("cdn_requests_total", "cdn_store_evictions_total", "cdn_invalidation_lag_entries");
        try (TestStack s = TestStack.start(c -> c.edges("nyc").shields("iad"))) {
            s.origin.on("/a", Reply.ok("a").withHeader("Cache-Control", "max-age=60"));
            s.client.get(s.edge("nyc", "/a"));
            s.client.get(s.edge("nyc", "/a"));
            for (ProxyNode node : List.of(s.cdn.edge("nyc"), s.cdn.shield())) {
                MetricsScrape m = MetricsScrape.of(node.managementUri());
                catalogue.forEach((name, type) -> {
                    if (name.startsWith("cdn_admin_") || name.startsWith("cdn_router_")) {
                        return;
                    }
                    assertThat(m.has(name) || m.has(name + "_count")).as("%s exports %s", node.identity().name(), name).isTrue();
                    assertThat(m.type(name)).as("type of %s", name).isEqualTo(type);
                });
                assertThat(m.has("jvm_memory_heap_used")).isTrue();
                assertThat(m.samples()).filteredOn(x -> x.name().startsWith("cdn_")).extracting(x -> x.name().replaceAll("_count$", ""))
                        .as("nothing exported that the catalogue does not list").allSatisfy(n -> assertThat(catalogue).containsKey(n));
            }
        }
    }

    /** Metric name → type, from the tables of docs/metrics.md. */
    static Map<String, String> catalogue() throws IOException {
        Path doc = Path.of("..", "docs", "metrics.md");
        Pattern row = Pattern.compile("^\\| `(cdn_[a-z_]+)` \\| (counter|gauge|summary) \\|");
        Map<String, String> out = new java.util.TreeMap<>();
        for (String line : Files.readAllLines(doc)) {
            Matcher m = row.matcher(line);
            if (m.find()) {
                out.put(m.group(1), m.group(2));
            }
        }
        return out;
    }
}
