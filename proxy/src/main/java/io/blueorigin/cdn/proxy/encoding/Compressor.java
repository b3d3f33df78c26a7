package io.blueorigin.cdn.proxy.encoding;

import static java.util.Objects.requireNonNull;

import io.blueorigin.cdn.httpcache.CachedResponse;
import io.blueorigin.cdn.httpcache.FieldLookup;
import io.blueorigin.cdn.httpcache.encoding.Coding;
import io.blueorigin.cdn.httpcache.encoding.CompressionPolicy;
import io.blueorigin.cdn.storage.BodyReader;
import io.blueorigin.cdn.storage.CacheStore;
import io.blueorigin.cdn.storage.ObjectWriter;
import io.blueorigin.cdn.storage.StoredObject;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the encoded copy of a stored identity variant once, in the background, and stores it next to it
 * (see {@link EncodedVariants} for where it goes and how it is found).
 *
 * <p>Work: on the store's I/O executor, never on the request's thread. The identity body is read chunk by
 * chunk (a disk body wakes the reader on the executor; the compressor never blocks a thread waiting for it)
 * and the output written chunk by chunk into an {@link ObjectWriter}, so memory is the codec's window plus
 * the store's in-transit chunks of one body at most {@link CompressionPolicy#maxSize()} long.
 *
 * <p>Bounds: one compression per (primary key, encoded vary key) at a time, later asks while it runs are
 * {@link Outcome#DEDUPLICATED}; at most {@code maxPending} compressions queued or running, beyond which asks
 * are {@link Outcome#QUEUE_FULL} (the next request for the object asks again). An output not smaller than
 * its input is not stored.
 *
 * <p>Purges while compressing: after committing, the compressor checks that the identity variant it read is
 * still stored with the same metadata; if it was removed, marked stale or replaced meanwhile, the copy is
 * marked stale at once, so it is never served (stale copies are skipped) and is replaced by the next one.
 *
 * <p>Thread-safety: safe for concurrent callers; one {@link Job} is owned by one task at a time.
 */
public final class Compressor {
    private static final Logger LOG = LoggerFactory.getLogger(Compressor.class);

    /** What became of one ask. */
    public enum Outcome {
        /** The copy is stored. */
        STORED,
        /** The policy does not compress this object (or identity was asked for). */
        NOT_ELIGIBLE,
        /** The same copy is being made. */
        DEDUPLICATED,
        /** Too many compressions pending. */
        QUEUE_FULL,
        /** The output was not smaller than the input. */
        NOT_SMALLER,
        /** The store declined the copy (too large, closed). */
        DECLINED,
        /** Stored, but the identity changed meanwhile: the copy was marked stale at once. */
        SUPERSEDED,
        /** Reading or encoding failed (logged). */
        FAILED
    }

    private final CacheStore store;
    private final CompressionPolicy policy;
    private final Clock clock;
    private final int maxPending;
    private final Executor executor;
    /** Keys of the compressions queued or running. */
    private final ConcurrentHashMap<String, Boolean> pending = new ConcurrentHashMap<>();
    /** Compressions queued or running; taken before a key enters {@link #pending}, so never above {@code maxPending}. */
    private final AtomicInteger slots = new AtomicInteger();

    /**
     * @param maxPending most compressions queued or running at once
     */
    public Compressor(CacheStore store, CompressionPolicy policy, Clock clock, int maxPending) {
        this.store = requireNonNull(store, "store is null");
        this.policy = requireNonNull(policy, "policy is null");
        this.clock = requireNonNull(clock, "clock is null");
        if (maxPending < 1) {
            throw new IllegalArgumentException("maxPending : " + maxPending + " (expected: >= 1)");
        }
        this.maxPending = maxPending;
        this.executor = store.ioExecutor();
    }

    public CompressionPolicy policy() {
        return policy;
    }

    /** Compressions queued or running now. */
    public int pending() {
        return pending.size();
    }

    /**
     * Whether {@code identity} may be compressed under the policy: the reason, from its stored metadata.
     */
    public CompressionPolicy.Reason eligible(CachedResponse identity) {
        FieldLookup f = identity.lookup();
        String encoding = f.values("Content-Encoding").isEmpty() ? null : String.join(",", f.values("Content-Encoding"));
        boolean noTransform = false;
        for (String cc : f.values("Cache-Control")) {
            noTransform |= cc.toLowerCase(Locale.ROOT).contains("no-transform");
        }
        return policy.eligible(identity.status(), f.first("Content-Type"), encoding, identity.contentLength(), noTransform);
    }

    /**
     * Asks for the {@code coding} copy of {@code identity} (a complete stored variant of {@code primaryKey}),
     * made in the background. Call on the request's thread: the copy's secondary key is computed from
     * {@code request} here. Never throws for a bad object; the future never fails.
     *
     * @param request the fields of the request that selected {@code identity}
     * @return what became of it, when known (for tests and metrics; callers need not wait)
     */
    public CompletableFuture<Outcome> compressInBackground(String primaryKey, StoredObject identity, Coding coding,
            FieldLookup request) {
        CachedResponse r = identity.response();
        if (coding == Coding.IDENTITY || !policy.codings().contains(coding)
                || eligible(r) != CompressionPolicy.Reason.ELIGIBLE || identity.body().length() != r.contentLength()) {
            return CompletableFuture.completedFuture(Outcome.NOT_ELIGIBLE);
        }
        String varyKey = EncodedVariants.encodedVaryKey(r, request, coding);
        String jobKey = primaryKey + '\u0000' + varyKey;
        if (pending.containsKey(jobKey)) {
            return CompletableFuture.completedFuture(Outcome.DEDUPLICATED);
        }
        if (slots.incrementAndGet() > maxPending) {
            slots.decrementAndGet();
            return CompletableFuture.completedFuture(Outcome.QUEUE_FULL);
        }
        if (pending.putIfAbsent(jobKey, Boolean.TRUE) != null) {
            slots.decrementAndGet();
            return CompletableFuture.completedFuture(Outcome.DEDUPLICATED);
        }
        Job job = new Job(primaryKey, jobKey, identity, coding, varyKey);
        try {
            executor.execute(job::start);
        } catch (RuntimeException rejected) {
            pending.remove(jobKey);
            slots.decrementAndGet();
            return CompletableFuture.completedFuture(Outcome.DECLINED);
        }
        return job.done;
    }

    /** One compression: reads the identity body, writes the encoded one. */
    private final class Job {
        final String primaryKey;
        final String jobKey;
        final StoredObject identity;
        final Coding coding;
        final String varyKey;
        final CompletableFuture<Outcome> done = new CompletableFuture<>();
        @Nullable BodyReader reader;
        @Nullable ObjectWriter writer;
        @Nullable OutputStream encoder;
        @Nullable WriterSink sink;
        final byte[] scratch = new byte[BodyEncoders.BUFFER];

        Job(String primaryKey, String jobKey, StoredObject identity, Coding coding, String varyKey) {
            this.primaryKey = primaryKey;
            this.jobKey = jobKey;
            this.identity = identity;
            this.coding = coding;
            this.varyKey = varyKey;
        }

        void start() {
            try {
                CachedResponse provisional = EncodedVariants.encodedResponse(identity.response(), coding, varyKey, -1);
                writer = store.begin(primaryKey, provisional, -1);
                sink = new WriterSink(writer, identity.body().length());
                encoder = BodyEncoders.open(coding, policy.levelOf(coding), sink);
                reader = identity.body().reader();
                pump();
            } catch (Exception | LinkageError e) {
                fail(e);
            }
        }

        /** Reads what the body has now; asks to be woken (on the executor) for the rest. */
        void pump() {
            try {
                BodyReader in = requireNonNull(reader);
                OutputStream out = requireNonNull(encoder);
                while (true) {
                    ByteBuffer b = in.next();
                    if (b != null) {
                        while (b.hasRemaining()) {
                            int n = Math.min(scratch.length, b.remaining());
                            b.get(scratch, 0, n);
                            out.write(scratch, 0, n);
                        }
                        if (requireNonNull(sink).tooLarge) {
                            finish(Outcome.NOT_SMALLER);
                            return;
                        }
                        continue;
                    }
                    if (in.isFinished()) {
                        encoder = null;
                        out.close();
                        commit();
                        return;
                    }
                    Throwable failure = in.failure();
                    if (failure != null) {
                        fail(failure);
                        return;
                    }
                    in.demand(() -> executor.execute(this::pump));
                    return;
                }
            } catch (Exception | LinkageError e) {
                fail(e);
            }
        }

        void commit() {
            WriterSink s = requireNonNull(sink);
            if (s.tooLarge) {
                finish(Outcome.NOT_SMALLER);
                return;
            }
            CachedResponse encoded = EncodedVariants.encodedResponse(identity.response(), coding, varyKey, s.written);
            Optional<StoredObject> stored = requireNonNull(writer).commit(encoded);
            writer = null;
            if (stored.isEmpty()) {
                finish(Outcome.DECLINED);
                return;
            }
            if (!identityStillStored()) {
                long now = clock.millis();
                store.freshen(primaryKey, stored.get(), stored.get().response().markedStale(now));
                finish(Outcome.SUPERSEDED);
                return;
            }
            finish(Outcome.STORED);
        }

        /** Whether the identity read is still stored, unchanged (not purged, soft-purged, banned or replaced). */
        boolean identityStillStored() {
            for (StoredObject o : store.lookup(primaryKey).all()) {
                if (o.response().equals(identity.response())) {
                    return true;
                }
            }
            return false;
        }

        void fail(Throwable e) {
            LOG.warn("compressing {} as {} failed: {}", primaryKey, coding.token(), e.toString());
            finish(Outcome.FAILED);
        }

        /** Releases everything this job holds; exactly once. */
        void finish(Outcome outcome) {
            OutputStream open = encoder;
            encoder = null;
            if (open != null) {
                // frees the codec's (native) memory; its last output goes to a sink that ignores it or is aborted
                requireNonNull(sink).tooLarge = true;
                try {
                    open.close();
                } catch (IOException | RuntimeException e) {
                    LOG.debug("closing the {} encoder of {}", coding.token(), primaryKey, e);
                }
            }
            if (reader != null) {
                reader.close();
            }
            if (writer != null) {
                writer.abort(new IllegalStateException("compression " + outcome));
                writer = null;
            }
            if (pending.remove(jobKey) != null) {
                slots.decrementAndGet();
            }
            done.complete(outcome);
        }
    }

    /**
     * The encoder's output, appended to the writer (which copies it into the store's chunks). Notes when the
     * output reaches the input's size: the copy would not be worth storing.
     */
    private static final class WriterSink extends OutputStream {
        private final ObjectWriter writer;
        private final long limit;
        long written;
        boolean tooLarge;

        WriterSink(ObjectWriter writer, long identityLength) {
            this.writer = writer;
            this.limit = identityLength;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            if (tooLarge) {
                return;
            }
            written += len;
            if (written >= limit) {
                tooLarge = true;
                return;
            }
            writer.write(ByteBuffer.wrap(b, off, len));
        }
    }
}
