package io.blueorigin.cdn.proxy.control;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An edge's follower of admin's routing view ({@code GET /api/v1/routing}, docs/control-plane.md): keeps its
 * shield ring equal to the shields admin lists as usable (healthy or degraded; not down, not drained), so a
 * shield added, drained or removed in admin changes every edge's ring without a restart, moving about 1/N of
 * the keys (a consistent-hash ring, {@code Upstreams.replaceMembers}).
 *
 * <p>One thread, one job: long-poll, hand the usable shields to the ring, repeat. When admin cannot be reached
 * it keeps the ring it has (the configured {@code upstream.url} until admin first answers) and retries with a
 * backoff of 200 ms doubling to 5 s. When admin lists no usable shield at all, the ring is left as it is: an
 * empty ring serves nobody, and the breakers and fallback of the shields it has still judge them.
 */
final class ShieldRingFollower implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ShieldRingFollower.class);
    /** How long one long-poll waits for a change (admin's limit is 30 s). */
    static final int WAIT_SECONDS = 25;

    private final AdminClient admin;
    private final Predicate<List<URI>> ring;
    private final String nodeName;
    private final Thread thread;
    private volatile boolean closed;
    private volatile long version;

    /**
     * @param ring takes the usable shields' traffic URLs; answers whether the ring changed
     */
    ShieldRingFollower(AdminClient admin, Predicate<List<URI>> ring, String nodeName) {
        this.admin = requireNonNull(admin, "admin is null");
        this.ring = requireNonNull(ring, "ring is null");
        this.nodeName = requireNonNull(nodeName, "nodeName is null");
        this.thread = new Thread(this::run, nodeName + "-shield-ring");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** The routing view version the ring reflects (0 before admin first answered). */
    long version() {
        return version;
    }

    private void run() {
        long backoff = 200;
        String lastError = "";
        while (!closed) {
            try {
                AdminClient.RoutingView view = admin.routing(version, WAIT_SECONDS);
                if (view.version() != version) {
                    List<URI> usable = view.shields().stream().filter(AdminClient.Shield::usable)
                            .map(AdminClient.Shield::trafficUrl).toList();
                    if (usable.isEmpty() && !view.shields().isEmpty()) {
                        LOG.warn("{}: admin lists no usable shield ({}); keeping the ring as it is", nodeName, view.shields());
                    } else if (!usable.isEmpty() && ring.test(usable)) {
                        LOG.info("{}: shield ring follows admin's registry (version {}): {}", nodeName, view.version(), usable);
                    }
                    version = view.version();
                }
                backoff = 200;
                lastError = "";
            } catch (IOException | RuntimeException e) {
                if (closed) {
                    return;
                }
                String message = String.valueOf(e.getMessage());
                if (!message.equals(lastError)) {
                    LOG.warn("{}: cannot follow admin's routing view ({}); the shield ring stays as it is, retrying", nodeName,
                            message);
                }
                lastError = message;
                try {
                    Thread.sleep(backoff); // a retry backoff, not synchronisation
                } catch (InterruptedException interrupted) {
                    return;
                }
                backoff = Math.min(5_000, backoff * 2);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
