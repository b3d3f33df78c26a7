package io.blueorigin.cdn.runtime.metrics;

import static java.util.Objects.requireNonNull;

import io.prometheus.client.Collector;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.dropwizard.DropwizardExports;
import io.prometheus.client.exporter.common.TextFormat;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * {@code GET /metrics} on the management port: the node's {@link NodeMetrics} in the Prometheus text
 * format 0.0.4 (OpenMetrics 1.0 when the scraper asks for it), rendered by Prometheus' own
 * {@link DropwizardExports} bridge and {@link TextFormat} writer.
 *
 * <p>Two adjustments to the bridge's output: it exports Dropwizard counters as gauges, so families named
 * {@code *_total} are typed {@code counter} (their samples keep the {@code _total} name); and the help text
 * of a family is the one declared in {@link NodeMetrics} where there is one.
 */
public final class PrometheusEndpoint extends Handler.Abstract.NonBlocking {
    private final NodeMetrics metrics;
    private final CollectorRegistry collectors = new CollectorRegistry(true);

    public PrometheusEndpoint(NodeMetrics metrics) {
        this.metrics = requireNonNull(metrics, "metrics is null");
        new Typed(new DropwizardExports(metrics.registry(), new LabelledSampleBuilder())).register(collectors);
    }

    /** Answers GET and HEAD (the management handler refuses other methods for every route). */
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String contentType = TextFormat.chooseContentType(request.getHeaders().get(HttpHeader.ACCEPT));
        response.setStatus(HttpStatus.OK_200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        Content.Sink.write(response, true, render(contentType), callback);
        return true;
    }

    /** Renders the registry as text 0.0.4 (for tests). */
    public String scrape() {
        return render(TextFormat.CONTENT_TYPE_004);
    }

    private String render(String contentType) {
        StringWriter body = new StringWriter(16 * 1024);
        try {
            TextFormat.writeFormat(contentType, body, collectors.metricFamilySamples());
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not throw
        }
        return body.toString();
    }

    /** The bridge's families, with counter types and declared help texts. */
    private final class Typed extends Collector {
        private final Collector bridge;

        Typed(Collector bridge) {
            this.bridge = bridge;
        }

        @Override
        public List<MetricFamilySamples> collect() {
            List<MetricFamilySamples> out = new ArrayList<>();
            for (MetricFamilySamples family : bridge.collect()) {
                String name = family.name;
                Type type = family.type;
                if (type == Type.GAUGE && name.endsWith("_total")) {
                    type = Type.COUNTER;
                    name = name.substring(0, name.length() - "_total".length());
                }
                String help = metrics.help(family.name).orElse(family.help);
                out.add(new MetricFamilySamples(name, type, help, family.samples));
            }
            return out;
        }
    }
}
