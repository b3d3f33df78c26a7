package io.blueorigin.cdn.proxy;

import static java.util.Objects.requireNonNull;

import io.blueorigin.cdn.proxy.site.ServedSite;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.NanoTime;

/**
 * Counts every client request of the traffic port, exactly once, in {@link ProxyMetrics}: by cache status
 * (the response's {@code X-Cache}), content class and status code, and in its {@link TrafficBreakdown} by
 * content type and URL pattern.
 *
 * <p>When: at the response's first write, or when the handler completes the callback without writing (a
 * 304, a HEAD), whichever comes first. Both happen before any byte of the response leaves, so a client
 * that has its answer and then scrapes {@code /metrics} always finds its request counted. Bytes and
 * duration are recorded when the callback completes.
 */
final class TrafficMeter extends Handler.Wrapper {
    private final ProxyMetrics metrics;
    private final TrafficBreakdown breakdown;

    TrafficMeter(ProxyMetrics metrics, Handler handler) {
        super(handler);
        this.metrics = requireNonNull(metrics, "metrics is null");
        this.breakdown = metrics.breakdown();
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        Metered metered = new Metered(request, response, callback, NanoTime.now());
        boolean handled = super.handle(request, metered, metered);
        if (!handled) {
            metrics.request(ProxyMetrics.Status.ERROR, ProxyMetrics.ContentClass.OTHER, 404); // Jetty answers 404
            breakdown.request(ContentTypes.NONE, breakdown.urlPattern(request.getHttpURI().getPath()), false);
        }
        return handled;
    }

    /**
     * One request's response and its completion callback in one object (one allocation per request on
     * the hit path), counted once.
     */
    private final class Metered extends Response.Wrapper implements Callback {
        private static final AtomicIntegerFieldUpdater<Metered> COUNTED =
                AtomicIntegerFieldUpdater.newUpdater(Metered.class, "counted");

        private final Callback callback;
        private final long startNanos;
        private final boolean purge;
        private volatile int counted;
        private long bytes;
        private ProxyMetrics.Status status = ProxyMetrics.Status.ERROR;
        private ProxyMetrics.ContentClass type = ProxyMetrics.ContentClass.OTHER;
        /** {@link TrafficBreakdown} label indexes: the URL pattern's from the start, the content type's when counted. */
        private final int urlPattern;
        private int contentType = ContentTypes.NONE;

        Metered(Request request, Response wrapped, Callback callback, long startNanos) {
            super(request, wrapped);
            this.callback = callback;
            this.startNanos = startNanos;
            this.purge = "PURGE".equals(request.getMethod());
            this.urlPattern = breakdown.urlPattern(request.getHttpURI().getPath());
        }

        @Override
        public void write(boolean last, ByteBuffer content, Callback writeCallback) {
            count(getStatus());
            if (content != null) {
                bytes += content.remaining(); // writes of one response are serialised by Jetty
            }
            super.write(last, content, writeCallback);
        }

        /** Counts the request with the status and fields it is about to be sent with (first call only). */
        private void count(int code) {
            if (!COUNTED.compareAndSet(this, 0, 1)) {
                return;
            }
            status = ProxyMetrics.Status.of(getHeaders().get(XCache.HEADER));
            // by name: stored fields are replayed as plain HttpFields, which Jetty does not match by enum
            contentType = ContentTypes.index(getHeaders().get(HttpHeader.CONTENT_TYPE.asString()));
            type = ProxyMetrics.ContentClass.of(contentType);
            metrics.request(status, type, code);
            breakdown.request(contentType, urlPattern, status == ProxyMetrics.Status.HIT || status == ProxyMetrics.Status.STALE);
            metrics.siteRequest(getRequest().getAttribute(ServedSite.ATTRIBUTE) instanceof ServedSite site
                    ? site.metricsLabel() : "none", status);
            if (purge && (code == 401 || code == 403 || code == 429)) { // 429: limited after too many failures
                metrics.rejected("unauthorized");
            }
        }

        @Override
        public void succeeded() {
            count(getStatus());
            metrics.completed(status, type, bytes, NanoTime.since(startNanos));
            breakdown.served(contentType, urlPattern, bytes);
            callback.succeeded();
        }

        @Override
        public void failed(Throwable x) {
            count(isCommitted() ? getStatus() : 500); // Jetty answers an uncommitted failure with an error page
            metrics.completed(status, type, bytes, NanoTime.since(startNanos));
            breakdown.served(contentType, urlPattern, bytes);
            callback.failed(x);
        }

        @Override
        public InvocationType getInvocationType() {
            return callback.getInvocationType();
        }
    }
}
