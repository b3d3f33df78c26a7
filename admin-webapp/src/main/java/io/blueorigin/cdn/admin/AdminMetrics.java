package io.blueorigin.cdn.admin;

import static java.util.Objects.requireNonNull;

import com.codahale.metrics.Counter;
import io.blueorigin.cdn.runtime.metrics.NodeMetrics;
import io.blueorigin.cdn.runtime.metrics.StatusClass;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The admin node's metrics (docs/metrics.md, "Admin node"): API answers by status class, invalidations
 * committed here, waiting long-polls, the {@code LISTEN} connection. As a handler it wraps the admin's
 * traffic tree and counts each request when it completes.
 *
 * <p>An invalidation is committed exactly when its POST is answered 202 (the API answers only after the
 * commit), so that is what is counted; no other API answers 202.
 */
final class AdminMetrics extends Handler.Wrapper {
    private final Counter[] answers = new Counter[StatusClass.LABELS.size()];
    private final Counter committed;

    AdminMetrics(NodeMetrics metrics, IntSupplier parkedLongPolls, BooleanSupplier listening, Handler handler) {
        super(handler);
        requireNonNull(metrics, "metrics is null");
        for (int i = 0; i < answers.length; i++) {
            answers[i] = metrics.counter("cdn_admin_api_requests_total", "Admin API requests answered, by status class.",
                    "code", StatusClass.LABELS.get(i));
        }
        committed = metrics.counter("cdn_admin_invalidations_committed_total", "Invalidations this admin process committed.");
        metrics.gauge("cdn_admin_longpolls_parked", "Node long-polls waiting now.", parkedLongPolls::getAsInt);
        metrics.gauge("cdn_admin_notifications_listening", "1 while the LISTEN connection to PostgreSQL is up.",
                () -> listening.getAsBoolean() ? 1 : 0);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (!Request.getPathInContext(request).startsWith("/api/")) {
            return super.handle(request, response, callback);
        }
        boolean post = "POST".equals(request.getMethod());
        return super.handle(request, response, new Callback.Nested(callback) {
            @Override
            public void succeeded() {
                count(response.getStatus());
                super.succeeded();
            }

            @Override
            public void failed(Throwable x) {
                count(response.isCommitted() ? response.getStatus() : 500);
                super.failed(x);
            }

            private void count(int status) {
                answers[StatusClass.index(status)].inc();
                if (post && status == 202) {
                    committed.inc();
                }
            }
        });
    }
}
