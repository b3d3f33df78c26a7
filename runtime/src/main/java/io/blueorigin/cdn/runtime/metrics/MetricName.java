package io.blueorigin.cdn.runtime.metrics;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A Prometheus metric name with labels, carried in a Dropwizard name as {@code name;label=value;label=value}
 * (Dropwizard names have no labels). {@link #encode} builds such names; {@link #parse} reads them back in
 * the exporter.
 *
 * <p>Invariant: an encoded name parses back to the same name, labels and values. Label values cannot hold
 * {@code ;} or {@code =}: those characters are replaced by {@code _} when encoding (values come from the
 * node's own vocabulary and configuration, never from requests).
 */
public record MetricName(String name, List<String> labelNames, List<String> labelValues) {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    public MetricName {
        requireNonNull(name, "name is null");
        labelNames = List.copyOf(labelNames);
        labelValues = List.copyOf(labelValues);
        if (labelNames.size() != labelValues.size()) {
            throw new IllegalArgumentException(name + ": " + labelNames.size() + " label names, " + labelValues.size() + " values");
        }
    }

    /**
     * The Dropwizard name for {@code name} with {@code labels} given as name, value, name, value...
     *
     * @throws IllegalArgumentException for an invalid metric or label name, or an odd number of label strings
     */
    public static String encode(String name, String... labels) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a Prometheus metric name: " + name);
        }
        if (labels.length % 2 != 0) {
            throw new IllegalArgumentException(name + ": labels must come in name, value pairs");
        }
        StringBuilder out = new StringBuilder(name);
        for (int i = 0; i < labels.length; i += 2) {
            if (!LABEL.matcher(labels[i]).matches()) {
                throw new IllegalArgumentException(name + ": not a Prometheus label name: " + labels[i]);
            }
            out.append(';').append(labels[i]).append('=').append(labels[i + 1].replace(';', '_').replace('=', '_'));
        }
        return out.toString();
    }

    /** Reads a name built by {@link #encode}; a plain Dropwizard name (no {@code ;}) has no labels. */
    public static MetricName parse(String dropwizardName) {
        String[] parts = dropwizardName.split(";", -1);
        List<String> names = new ArrayList<>(parts.length - 1);
        List<String> values = new ArrayList<>(parts.length - 1);
        for (int i = 1; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            if (eq <= 0) {
                continue; // not ours: ignore the fragment rather than fail the whole scrape
            }
            names.add(parts[i].substring(0, eq));
            values.add(parts[i].substring(eq + 1));
        }
        return new MetricName(parts[0], names, values);
    }
}
