package io.blueorigin.cdn.runtime.metrics;

import io.prometheus.client.Collector;
import io.prometheus.client.dropwizard.samplebuilder.DefaultSampleBuilder;
import io.prometheus.client.dropwizard.samplebuilder.SampleBuilder;
import java.util.ArrayList;
import java.util.List;

/**
 * The bridge's hook that turns a Dropwizard name into a Prometheus sample: names built by
 * {@link MetricName#encode} give their labels; any other name (the JVM metric sets) goes through the
 * bridge's default sanitising ({@code jvm.memory.heap.used} → {@code jvm_memory_heap_used}).
 */
final class LabelledSampleBuilder implements SampleBuilder {
    private final SampleBuilder fallback = new DefaultSampleBuilder();

    @Override
    public Collector.MetricFamilySamples.Sample createSample(String dropwizardName, String nameSuffix,
            List<String> additionalLabelNames, List<String> additionalLabelValues, double value) {
        if (dropwizardName.indexOf(';') < 0) {
            return fallback.createSample(dropwizardName, nameSuffix, additionalLabelNames, additionalLabelValues, value);
        }
        MetricName name = MetricName.parse(dropwizardName);
        List<String> labelNames = new ArrayList<>(name.labelNames());
        labelNames.addAll(additionalLabelNames);
        List<String> labelValues = new ArrayList<>(name.labelValues());
        labelValues.addAll(additionalLabelValues);
        return new Collector.MetricFamilySamples.Sample(name.name() + (nameSuffix == null ? "" : nameSuffix), labelNames,
                labelValues, value);
    }
}
