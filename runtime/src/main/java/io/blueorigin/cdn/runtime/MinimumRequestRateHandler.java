package io.blueorigin.cdn.runtime;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.NanoTime;
import org.eclipse.jetty.util.thread.Scheduler;
import org.jspecify.annotations.Nullable;

/**
 * Fails a request whose body arrives slower than {@code minBytesPerSecond} (a "slow POST"): its reader gets
 * a {@link TimeoutException} and the request ends with 408, so a client trickling a body cannot hold a
 * thread, a connection and an upstream slot for the whole idle timeout per byte.
 *
 * <p>Jetty's {@code MinimumDataRateHandler} measures the bytes of every request through the handler
 * together (it is a statistics handler), and {@code HttpConfiguration.setMinRequestDataRate} is not read
 * by Jetty 12's HTTP/1.1 connection; so this counts per request. The rate is judged from the first time the
 * body is asked for, once a second, and only after {@link #GRACE_NANOS}: a check also fires when no byte
 * comes at all (a reader waiting in {@code demand} is woken with the failure).
 *
 * <p>Threading: a request's reads and demands are serialised by Jetty; the check runs on the scheduler and
 * only publishes the failure and wakes a pending demand (the {@code Runnable} is taken atomically, so it
 * runs at most once).
 */
public final class MinimumRequestRateHandler extends Handler.Wrapper {
    /** The body is judged only after this long (short bodies never meet the check). */
    static final long GRACE_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final long CHECK_MILLIS = 1_000;

    private final long minBytesPerSecond;

    /** The failure a too slow body's reader gets: a 408, the client's fault (not an upstream timeout). */
    public static final class TooSlow extends TimeoutException {
        private static final long serialVersionUID = 1L;

        TooSlow(long minBytesPerSecond) {
            super("request body slower than " + minBytesPerSecond + " bytes/s (server.min-request-rate)");
        }

        /** Whether {@code failure} or one of its causes is a {@link TooSlow}. */
        public static boolean isIn(@Nullable Throwable failure) {
            for (Throwable t = failure; t != null; t = t.getCause()) {
                if (t instanceof TooSlow) {
                    return true;
                }
            }
            return false;
        }
    }

    public MinimumRequestRateHandler(Handler handler, long minBytesPerSecond) {
        super(handler);
        if (minBytesPerSecond < 1) {
            throw new IllegalArgumentException("server.min-request-rate : " + minBytesPerSecond + " (expected: >= 1)");
        }
        this.minBytesPerSecond = minBytesPerSecond;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        RateRequest rated = new RateRequest(request);
        Callback done = Callback.from(callback, rated::stop);
        return super.handle(rated, response, done);
    }

    private final class RateRequest extends Request.Wrapper {
        private final Scheduler scheduler;
        /** Guarded by this. */
        private long firstDemandNanos;
        /** Guarded by this. */
        private long bytesRead;
        /** Guarded by this. */
        private @Nullable Runnable pendingDemand;
        /** Guarded by this; once set, every read returns it. */
        private Content.@Nullable Chunk failure;
        /** Guarded by this. */
        private boolean finished;
        /** Guarded by this. */
        private Scheduler.@Nullable Task check;

        RateRequest(Request wrapped) {
            super(wrapped);
            this.scheduler = wrapped.getComponents().getScheduler();
        }

        @Override
        public Content.@Nullable Chunk read() {
            synchronized (this) {
                if (failure != null) {
                    return failure;
                }
            }
            Content.Chunk chunk = super.read();
            if (chunk != null) {
                synchronized (this) {
                    bytesRead += chunk.remaining();
                    if (chunk.isLast()) {
                        finished = true; // the whole body is in: nothing left to judge
                        cancelCheck();
                    }
                }
            }
            return chunk;
        }

        @Override
        public void demand(Runnable demandCallback) {
            boolean failNow;
            synchronized (this) {
                failNow = failure != null;
                if (!failNow) {
                    if (firstDemandNanos == 0) {
                        firstDemandNanos = NanoTime.now();
                        scheduleCheck();
                    }
                    pendingDemand = demandCallback;
                }
            }
            if (failNow) {
                demandCallback.run();
                return;
            }
            super.demand(() -> {
                Runnable pending;
                synchronized (this) {
                    pending = pendingDemand;
                    pendingDemand = null;
                }
                if (pending != null) {
                    pending.run();
                }
            });
        }

        /** Guarded by this. */
        private void scheduleCheck() {
            if (!finished) {
                check = scheduler.schedule(this::check, CHECK_MILLIS, TimeUnit.MILLISECONDS);
            }
        }

        /** Guarded by this. */
        private void cancelCheck() {
            if (check != null) {
                check.cancel();
                check = null;
            }
        }

        private void check() {
            Runnable wake;
            synchronized (this) {
                check = null;
                if (finished || failure != null) {
                    return;
                }
                long elapsed = NanoTime.since(firstDemandNanos);
                boolean tooSlow = elapsed >= GRACE_NANOS
                        && bytesRead * TimeUnit.SECONDS.toNanos(1) < minBytesPerSecond * elapsed;
                if (!tooSlow) {
                    scheduleCheck();
                    return;
                }
                failure = Content.Chunk.from(new TooSlow(minBytesPerSecond), true);
                wake = pendingDemand;
                pendingDemand = null;
            }
            if (wake != null) {
                wake.run(); // the reader reads the failure
            }
        }

        void stop() {
            synchronized (this) {
                finished = true;
                cancelCheck();
            }
        }
    }
}
