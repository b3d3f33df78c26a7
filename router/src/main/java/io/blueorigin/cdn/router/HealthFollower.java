package io.blueorigin.cdn.router;

import static java.util.Objects.requireNonNull;

import io.blueorigin.cdn.runtime.ReadinessCheck;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.client.CompletableResponseListener;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows admin's routing data: long-polls {@code GET <admin>/api/v1/routing?after=V&wait=S} on one thread and
 * replaces the {@link HealthView} when an answer carries another version. The single owner of the view.
 *
 * <p>When admin cannot be reached (refused, timed out, 5xx, a body that breaks the contract), the last view
 * stays in force: routing goes on with what admin said last. The follower retries after a backoff of
 * {@link #MIN_BACKOFF} doubling to {@link #MAX_BACKOFF}, reset by the next good answer.
 *
 * <p>A version lower than the view's is taken too (with a warning): admin's database was restored or
 * replaced, and admin, not the router, is the source of truth. Otherwise a router would hold an old view
 * until admin's version caught up.
 *
 * <p>With a view file, the view is loaded from it at start (so a router restarted while admin is down
 * still routes) and saved after each change, atomically (written beside it, then moved over it), as the
 * body admin sent. A file that cannot be read or parsed is logged and ignored: admin will send a new view.
 *
 * <p>Thread model: {@link #start()} starts one daemon thread; {@link #close()} interrupts it and aborts
 * its request. Fields read by other threads ({@code view}, {@code lastContact}, {@code lastError}) are
 * atomics or volatile, written only by the follower thread (and by the constructor before it starts).
 */
public final class HealthFollower implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HealthFollower.class);
    /** First retry delay after a failed poll. */
    public static final Duration MIN_BACKOFF = Duration.ofMillis(250);
    /** Longest retry delay: the most a router lags behind an admin that comes back. */
    public static final Duration MAX_BACKOFF = Duration.ofSeconds(5);
    /** Largest routing body accepted (10,000 nodes at ~400 bytes, with room to spare). */
    static final int MAX_BODY_BYTES = 8 * 1024 * 1024;

    private final HttpClient client;
    /** Each admin replica's routing URL; the follower polls {@code routingUris[replica]}. */
    private final List<URI> routingUris;
    private volatile int replica;
    private volatile long failovers;
    private final String authorization;
    private final Duration wait;
    private final @Nullable Path viewFile;
    private final Clock clock;
    private final String threadName;
    private final AtomicReference<@Nullable HealthView> view = new AtomicReference<>();
    private final AtomicReference<@Nullable Request> inFlight = new AtomicReference<>();
    private volatile @Nullable Instant lastContact;
    private volatile @Nullable String lastError;
    private volatile boolean reachable;
    private volatile String source = "none";
    private volatile @Nullable Thread thread;
    private volatile boolean closed;

    /**
     * @param client a started Jetty client (owned by the caller)
     * @param adminUrls the base URL of each admin replica (one PostgreSQL behind them): the follower polls one and
     *     moves to the next when it cannot reach it, times out, or gets a 5xx or a broken body
     * @param token the bearer token
     * @param wait how long each long-poll waits at admin
     * @param viewFile where the view is kept across restarts, or null
     */
    public HealthFollower(HttpClient client, List<URI> adminUrls, String token, Duration wait, @Nullable Path viewFile,
            Clock clock, String threadName) {
        this.client = requireNonNull(client, "client is null");
        if (adminUrls.isEmpty()) {
            throw new IllegalArgumentException("no admin URL to follow");
        }
        this.routingUris = adminUrls.stream().map(u -> {
            String base = u.toString();
            return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/api/v1/routing");
        }).toList();
        this.authorization = "Bearer " + requireNonNull(token, "token is null");
        this.wait = requireNonNull(wait, "wait is null");
        this.viewFile = viewFile;
        this.clock = requireNonNull(clock, "clock is null");
        this.threadName = requireNonNull(threadName, "threadName is null");
        if (viewFile != null) {
            load(viewFile);
        }
    }

    private void load(Path file) {
        if (!Files.exists(file)) {
            return;
        }
        try {
            HealthView loaded = HealthView.parse(Files.readAllBytes(file));
            view.set(loaded);
            source = "file";
            lastContact = Files.getLastModifiedTime(file).toInstant();
            LOG.info("routing view version {} loaded from {} ({} edges); following admin at {}", loaded.version(), file,
                    loaded.edges().size(), routingUris);
        } catch (IOException | IllegalArgumentException e) {
            LOG.warn("routing.view-file {} cannot be used ({}); the router is not ready until admin answers", file,
                    e.getMessage());
        }
    }

    /** Starts following on a daemon thread. */
    public void start() {
        Thread t = new Thread(this::run, threadName);
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    /** The current view, or null before the first (from admin or the view file). */
    public @Nullable HealthView view() {
        return view.get();
    }

    /** When admin last answered (or the view file was written, for a loaded view); null if never. */
    public Optional<Instant> lastUpdate() {
        return Optional.ofNullable(lastContact);
    }

    /** Whether the last poll got an answer from admin. */
    public boolean following() {
        return reachable;
    }

    /** Seconds since {@link #lastUpdate()}, or -1 without one. */
    public double ageSeconds() {
        Instant last = lastContact;
        return last == null ? -1 : Duration.between(last, clock.instant()).toMillis() / 1000.0;
    }

    /** Ready once there is a view; the details say where it came from and whether admin answers. */
    public ReadinessCheck.Result readiness() {
        HealthView current = view.get();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("admin", routingUris.get(replica).toString());
        if (routingUris.size() > 1) {
            details.put("adminReplicas", routingUris.size());
            details.put("adminFailovers", failovers);
        }
        details.put("following", reachable);
        String error = lastError;
        if (error != null && !reachable) {
            details.put("error", error + " (routing goes on with the last view)");
        }
        if (current == null) {
            details.put("view", "none yet: waiting for admin's first answer");
            return ReadinessCheck.Result.notReady(details);
        }
        details.put("viewVersion", current.version());
        details.put("viewSource", source);
        details.put("edges", current.edges().size());
        details.put("ageSeconds", Math.round(ageSeconds()));
        return ReadinessCheck.Result.ready(details);
    }

    /**
     * Polls until closed. A failed poll moves to the next replica; the backoff grows only once every replica has
     * failed in a row, so a dead replica costs one {@link #MIN_BACKOFF} when another answers.
     */
    private void run() {
        Duration backoff = MIN_BACKOFF;
        int failedInARow = 0;
        while (!closed) {
            try {
                poll();
                backoff = MIN_BACKOFF;
                failedInARow = 0;
            } catch (InterruptedException e) {
                return;
            } catch (PollException e) {
                if (closed) {
                    return;
                }
                failedInARow++;
                if (routingUris.size() > 1 && !e.refused) {
                    replica = (replica + 1) % routingUris.size();
                    failovers++;
                }
                // another replica still to be tried in this round: at once; else the backoff, which grows
                boolean roundFailed = failedInARow % routingUris.size() == 0;
                Duration delay = roundFailed ? backoff : MIN_BACKOFF;
                if (reachable || !e.getMessage().equals(lastError)) {
                    LOG.warn("admin routing view: {}; keeping view version {}, retrying {}in {} ms", e.getMessage(),
                            version(), routingUris.size() > 1 ? "at " + routingUris.get(replica) + " " : "",
                            delay.toMillis());
                }
                lastError = e.getMessage();
                reachable = false;
                try {
                    Thread.sleep(delay.toMillis()); // the retry delay itself, interrupted by close()
                } catch (InterruptedException interrupted) {
                    return;
                }
                if (roundFailed) {
                    backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
                }
            }
        }
    }

    private long version() {
        HealthView current = view.get();
        return current == null ? -1 : current.version();
    }

    private void poll() throws InterruptedException, PollException {
        URI routingUri = routingUris.get(replica);
        HealthView current = view.get();
        long after = current == null ? 0 : current.version();
        Request request = client.newRequest(routingUri)
                .method(HttpMethod.GET)
                .param("after", Long.toString(after))
                .param("wait", Long.toString(current == null ? 0 : wait.toSeconds()))
                .headers(h -> h.put(HttpHeader.AUTHORIZATION, authorization))
                .timeout(wait.toMillis() + 10_000, TimeUnit.MILLISECONDS);
        inFlight.set(request);
        ContentResponse response;
        try {
            response = new CompletableResponseListener(request, MAX_BODY_BYTES).send().get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new PollException("cannot reach " + routingUri + ": " + cause);
        } finally {
            inFlight.set(null);
        }
        int status = response.getStatus();
        if (status == 401 || status == 403) {
            throw new PollException(true, routingUri + " refused the token (" + status + "): give routing.token (or CDN_ROUTING_TOKEN) a token"
                    + " with scope read, or a node token");
        }
        if (status != 200) {
            throw new PollException(routingUri + " answered " + status);
        }
        HealthView next;
        try {
            next = HealthView.parse(response.getContent());
        } catch (IllegalArgumentException e) {
            throw new PollException(e.getMessage());
        }
        lastContact = clock.instant();
        lastError = null;
        if (!reachable) {
            LOG.info("following admin's routing view at {} (version {})", routingUri, next.version());
        }
        reachable = true;
        if (current == null || next.version() != current.version()) {
            if (current != null && next.version() < current.version()) {
                LOG.warn("admin's routing version went back from {} to {} (its database was restored?); taking it",
                        current.version(), next.version());
            }
            view.set(next);
            source = "admin";
            if (next.skipped() > 0) {
                LOG.warn("routing view version {}: {} edge entries break the contract and are ignored", next.version(),
                        next.skipped());
            }
            save(next);
        }
    }

    private void save(HealthView saved) {
        if (viewFile == null) {
            return;
        }
        try {
            Path parent = viewFile.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Path temp = viewFile.resolveSibling(viewFile.getFileName() + ".tmp");
            Files.write(temp, saved.body());
            Files.move(temp, viewFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot save the routing view to {} (routing.view-file): {}; a restart while admin is down will not"
                    + " route until admin answers", viewFile, e.toString());
        }
    }

    /** Stops following: interrupts the thread and aborts a waiting poll. The view stays readable. */
    @Override
    public void close() {
        closed = true;
        Request request = inFlight.get();
        if (request != null) {
            request.abort(new IOException("router closing"));
        }
        Thread t = thread;
        if (t != null) {
            t.interrupt();
            try {
                t.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** A poll that got no usable answer; the message is for the operator. */
    private static final class PollException extends Exception {
        /** The token was refused: every replica of one admin would refuse it too, so the follower stays put. */
        final boolean refused;

        PollException(String message) {
            this(false, message);
        }

        PollException(boolean refused, String message) {
            super(message, null, false, false);
            this.refused = refused;
        }
    }
}
