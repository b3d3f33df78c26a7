package io.blueorigin.cdn.testkit;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One scrape of a node's {@code /metrics} (Prometheus text format 0.0.4), parsed into samples: enough to
 * sum a metric over label filters in tests. Immutable.
 */
public final class MetricsScrape {
    private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)\\})?\\s+(\\S+)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** One sample line. */
    public record Sample(String name, Map<String, String> labels, double value) {}

    private final String text;
    private final List<Sample> samples;
    private final Map<String, String> types;

    private MetricsScrape(String text) {
        this.text = text;
        List<Sample> parsed = new ArrayList<>();
        Map<String, String> typeLines = new HashMap<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("# TYPE ")) {
                String[] parts = line.split(" ");
                typeLines.put(parts[2], parts[3]);
                continue;
            }
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            if (!m.matches()) {
                throw new IllegalArgumentException("not a sample line: " + line);
            }
            Map<String, String> labels = new LinkedHashMap<>();
            if (m.group(2) != null) {
                Matcher l = LABEL.matcher(m.group(2));
                while (l.find()) {
                    labels.put(l.group(1), l.group(2));
                }
            }
            parsed.add(new Sample(m.group(1), Map.copyOf(labels), Double.parseDouble(m.group(3))));
        }
        this.samples = List.copyOf(parsed);
        this.types = Map.copyOf(typeLines);
    }

    /** Parses exposition text. */
    public static MetricsScrape parse(String text) {
        return new MetricsScrape(text);
    }

    /** GETs {@code managementUri/metrics} and parses it; fails unless it answers 200 with the text format. */
    public static MetricsScrape of(URI managementUri) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(managementUri + "/metrics")).timeout(Duration.ofSeconds(10)).build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(managementUri + "/metrics answered " + response.statusCode());
            }
            String type = response.headers().firstValue("Content-Type").orElse("");
            if (!type.startsWith("text/plain; version=0.0.4")) {
                throw new IllegalStateException(managementUri + "/metrics has Content-Type " + type);
            }
            return parse(response.body());
        } catch (IOException e) {
            throw new IllegalStateException(managementUri + "/metrics: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public List<Sample> samples() {
        return samples;
    }

    /** The {@code # TYPE} of a family ({@code counter}, {@code gauge}, {@code summary}), or null. */
    public String type(String family) {
        return types.get(family);
    }

    /** Sum of the samples named {@code name} whose labels satisfy {@code filter}. */
    public double sum(String name, Predicate<Map<String, String>> filter) {
        return samples.stream().filter(s -> s.name().equals(name) && filter.test(s.labels())).mapToDouble(Sample::value).sum();
    }

    /** Sum of every sample named {@code name}. */
    public double sum(String name) {
        return sum(name, labels -> true);
    }

    /** Sum over samples named {@code name} with {@code label} = {@code value}. */
    public double sum(String name, String label, String value) {
        return sum(name, labels -> value.equals(labels.get(label)));
    }

    /** Whether any sample of {@code name} is present. */
    public boolean has(String name) {
        return samples.stream().anyMatch(s -> s.name().equals(name));
    }

    /** The raw text. */
    public String text() {
        return text;
    }
}
