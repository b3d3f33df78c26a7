package io.blueorigin.cdn.runtime.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.blueorigin.cdn.runtime.NodeIdentity;
import io.blueorigin.cdn.runtime.Role;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class NodeMetricsTest {
    private final NodeMetrics metrics = new NodeMetrics(NodeIdentity.of(Role.EDGE, "nyc"));
    private final PrometheusEndpoint endpoint = new PrometheusEndpoint(metrics);

    @Test
    void countersCarryTheNodeLabelsAndAreTypedCounter() {
        metrics.counter("cdn_requests_total", "Client requests answered.", "cache_status", "hit").inc(3);
        metrics.counter("cdn_requests_total", "Client requests answered.", "cache_status", "miss").inc();

        String text = endpoint.scrape();

        assertThat(text).contains("# HELP cdn_requests_total Client requests answered.\n")
                .contains("# TYPE cdn_requests_total counter\n")
                .contains("cdn_requests_total{role=\"edge\",pop=\"nyc\",cache_status=\"hit\",} 3.0\n")
                .contains("cdn_requests_total{role=\"edge\",pop=\"nyc\",cache_status=\"miss\",} 1.0\n");
    }

    @Test
    void theSameNameAndLabelsGiveTheSameCounter() {
        metrics.counter("cdn_x_total", "x", "a", "1").inc();
        metrics.counter("cdn_x_total", "x", "a", "1").inc();

        assertThat(metrics.counter("cdn_x_total", "x", "a", "1").getCount()).isEqualTo(2);
    }

    @Test
    void timersAreSummariesInSeconds() {
        metrics.timer("cdn_request_duration_seconds", "Latency.", "cache_status", "hit").update(Duration.ofMillis(250));

        String text = endpoint.scrape();

        assertThat(text).contains("# TYPE cdn_request_duration_seconds summary\n")
                .contains("cdn_request_duration_seconds{role=\"edge\",pop=\"nyc\",cache_status=\"hit\",quantile=\"0.5\",} 0.25\n")
                .contains("cdn_request_duration_seconds_count{role=\"edge\",pop=\"nyc\",cache_status=\"hit\",} 1.0\n");
    }

    @Test
    void gaugesAreReadAtScrapeTimeAndCanBeReplaced() {
        AtomicLong entries = new AtomicLong(5);
        metrics.gauge("cdn_store_entries", "Objects held.", entries::get, "tier", "heap");
        entries.set(7);
        assertThat(endpoint.scrape()).contains("# TYPE cdn_store_entries gauge\n")
                .contains("cdn_store_entries{role=\"edge\",pop=\"nyc\",tier=\"heap\",} 7.0\n");

        metrics.gauge("cdn_store_entries", "Objects held.", () -> 9, "tier", "heap");
        assertThat(endpoint.scrape()).contains("cdn_store_entries{role=\"edge\",pop=\"nyc\",tier=\"heap\",} 9.0\n")
                .doesNotContain("} 7.0\n");
    }

    @Test
    void gaugesNamedTotalAreCounters() {
        metrics.gauge("cdn_store_evictions_total", "Evicted.", () -> 4, "tier", "disk");

        assertThat(endpoint.scrape()).contains("# TYPE cdn_store_evictions_total counter\n")
                .contains("cdn_store_evictions_total{role=\"edge\",pop=\"nyc\",tier=\"disk\",} 4.0\n");
    }

    @Test
    void jvmMetricsAreExportedWithoutNodeLabels() {
        assertThat(endpoint.scrape()).containsPattern("(?m)^jvm_memory_heap_used [0-9.E]+$")
                .containsPattern("(?m)^jvm_threads_count [0-9.E]+$")
                .containsPattern("(?m)^jvm_uptime_seconds [0-9.E]+$");
    }

    @Test
    void namesRoundTripAndLabelValuesCannotBreakTheEncoding() {
        String encoded = MetricName.encode("cdn_a_total", "k", "v;x=y", "j", "");

        MetricName parsed = MetricName.parse(encoded);

        assertThat(parsed.name()).isEqualTo("cdn_a_total");
        assertThat(parsed.labelNames()).containsExactly("k", "j");
        assertThat(parsed.labelValues()).containsExactly("v_x_y", "");
        assertThat(MetricName.parse("jvm.memory.heap.used")).isEqualTo(new MetricName("jvm.memory.heap.used", List.of(), List.of()));
    }

    @Test
    void badNamesAreRefusedWhereTheyAreMade() {
        assertThatThrownBy(() -> MetricName.encode("cdn requests")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MetricName.encode("cdn_a", "bad-label", "v")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MetricName.encode("cdn_a", "odd")).isInstanceOf(IllegalArgumentException.class);
    }
}
