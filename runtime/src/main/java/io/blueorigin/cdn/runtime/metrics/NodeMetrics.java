package io.blueorigin.cdn.runtime.metrics;

import static java.util.Objects.requireNonNull;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.LockFreeExponentiallyDecayingReservoir;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import com.codahale.metrics.jvm.BufferPoolMetricSet;
import com.codahale.metrics.jvm.ClassLoadingGaugeSet;
import com.codahale.metrics.jvm.GarbageCollectorMetricSet;
import com.codahale.metrics.jvm.MemoryUsageGaugeSet;
import com.codahale.metrics.jvm.ThreadStatesGaugeSet;
import io.blueorigin.cdn.runtime.NodeIdentity;
import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * One node's metrics: the single owner of its Dropwizard {@link MetricRegistry}. Every {@code cdn_*}
 * metric made here carries the node's {@code role} and {@code pop} labels, then the caller's; the JVM
 * sets ({@code jvm_*}) carry none. Names, types and help texts are catalogued in docs/metrics.md.
 *
 * <p>Counters and timers are created on first use and then returned from the registry (the same object
 * for the same name and labels), so callers may look them up per request; hot paths keep the objects.
 * Gauges are registered once; registering a name again replaces the earlier gauge (a restarted component
 * takes over its name).
 *
 * <p>Thread-safe (the registry and the help map are concurrent).
 */
public final class NodeMetrics {
    private final MetricRegistry registry = new MetricRegistry();
    private final String[] nodeLabels;
    private final Map<String, String> help = new ConcurrentHashMap<>();

    public NodeMetrics(NodeIdentity identity) {
        requireNonNull(identity, "identity is null");
        this.nodeLabels = new String[] {"role", identity.role().label(), "pop", identity.pop()};
        registry.register("jvm.memory", new MemoryUsageGaugeSet());
        registry.register("jvm.gc", new GarbageCollectorMetricSet());
        registry.register("jvm.threads", new ThreadStatesGaugeSet());
        registry.register("jvm.buffers", new BufferPoolMetricSet(ManagementFactory.getPlatformMBeanServer()));
        registry.register("jvm.classes", new ClassLoadingGaugeSet());
        registry.gauge("jvm.uptime.seconds", () -> () -> ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0);
    }

    /** The registry itself (for the exporter and for tests); add metrics through the methods below. */
    public MetricRegistry registry() {
        return registry;
    }

    /** The counter {@code name} ({@code _total} by convention) with the node's labels and {@code labels}. */
    public Counter counter(String name, String helpText, String... labels) {
        describe(name, helpText);
        return registry.counter(encode(name, labels));
    }

    /**
     * A timer, exported as a summary in seconds with quantiles. Its reservoir is Dropwizard's lock-free
     * exponentially decaying one (about the last five minutes): timers sit on the hit path, where the
     * default reservoir's lock would be contended by every request.
     */
    public Timer timer(String name, String helpText, String... labels) {
        describe(name, helpText);
        return registry.timer(encode(name, labels), () -> new Timer(LockFreeExponentiallyDecayingReservoir.builder().build()));
    }

    /** Registers a timer its owner keeps (exported like {@link #timer}); once per name and labels. */
    public void register(String name, String helpText, Timer timer, String... labels) {
        describe(name, helpText);
        registry.register(encode(name, labels), timer);
    }

    /** Registers (or replaces) a gauge read at each scrape; {@code value} must be cheap and thread-safe. */
    public void gauge(String name, String helpText, Supplier<? extends Number> value, String... labels) {
        describe(name, helpText);
        String key = encode(name, labels);
        registry.remove(key);
        registry.register(key, (Gauge<Number>) value::get);
    }

    /** The help text declared for a metric name, if any. */
    Optional<String> help(String name) {
        return Optional.ofNullable(help.get(name));
    }

    private void describe(String name, String helpText) {
        help.putIfAbsent(name, requireNonNull(helpText, "help is null"));
    }

    private String encode(String name, String... labels) {
        String[] all = new String[nodeLabels.length + labels.length];
        System.arraycopy(nodeLabels, 0, all, 0, nodeLabels.length);
        System.arraycopy(labels, 0, all, nodeLabels.length, labels.length);
        return MetricName.encode(name, all);
    }
}
