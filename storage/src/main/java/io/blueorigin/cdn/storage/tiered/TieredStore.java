package io.blueorigin.cdn.storage.tiered;

import static java.util.Objects.requireNonNull;

import io.blueorigin.cdn.httpcache.CachedResponse;
import io.blueorigin.cdn.storage.CacheStore;
import io.blueorigin.cdn.storage.ChunkedBody;
import io.blueorigin.cdn.storage.GrowingBody;
import io.blueorigin.cdn.storage.MemoryBudget;
import io.blueorigin.cdn.storage.ObjectWriter;
import io.blueorigin.cdn.storage.StorageConfig;
import io.blueorigin.cdn.storage.StoreOpenException;
import io.blueorigin.cdn.storage.StoredObject;
import io.blueorigin.cdn.storage.TierStats;
import io.blueorigin.cdn.storage.Variants;
import io.blueorigin.cdn.storage.heap.HeapTier;
import io.blueorigin.cdn.storage.rocks.DiskEntry;
import io.blueorigin.cdn.storage.rocks.RocksDiskTier;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.rocksdb.RocksDBException;

/**
 * The two-level store: the heap tier in front of an optional disk tier.
 *
 * <ul>
 *   <li><b>Inclusive</b>: with a disk tier, every stored object is on disk; the heap holds the small, hot
 *       ones. An object evicted from disk is dropped from the heap too, so the disk budget bounds what is
 *       cached, and heap hits count as accesses in the disk tier's admission statistics.</li>
 *   <li><b>Writes</b>: a body up to {@code store.heap.max-object-size} is kept in memory while it arrives,
 *       then committed to the heap and, in one batch, to disk. A larger body spills its full chunks to disk
 *       as they arrive (constant memory) and is committed on disk only.</li>
 *   <li><b>Reads</b>: {@link #lookupInMemory} answers heap hits without I/O; {@link #lookup} reads the disk
 *       on the I/O executor, promotes objects that fit the heap, and streams larger ones from disk.</li>
 *   <li><b>Failures</b>: a disk that refuses writes (full, I/O error) degrades the store to heap-only
 *       writes, reported by {@link #degraded()}; a probe every 30 s re-enables it.</li>
 *   <li><b>Memory</b>: every body in transit (being written, passing through, read back from disk) holds
 *       its chunks in the process's {@link MemoryBudget}. While it is exhausted a body being kept for the
 *       heap spills to disk at its next write (with no disk tier it stops being stored and passes
 *       through, its writer paced), and a new body spills from its first byte. Committing a body to the
 *       heap tier hands its bytes over to the heap tier's budget ({@code store.heap.max-size}).</li>
 * </ul>
 */
public final class TieredStore implements CacheStore {
    private final StorageConfig config;
    private final HeapTier heap;
    private final @Nullable RocksDiskTier disk;
    private final ExecutorService io;
    private final MemoryBudget budget;
    private final @Nullable ScheduledExecutorService probe;
    /** Markers of a heap-only store (a disk tier keeps them in RocksDB). */
    private final java.util.concurrent.ConcurrentHashMap<String, Long> markers = new java.util.concurrent.ConcurrentHashMap<>();

    private TieredStore(StorageConfig config, HeapTier heap, @Nullable RocksDiskTier disk, ExecutorService io,
            MemoryBudget budget, @Nullable ScheduledExecutorService probe) {
        this.config = config;
        this.heap = heap;
        this.disk = disk;
        this.io = io;
        this.budget = budget;
        this.probe = probe;
    }

    /**
     * Opens the store: the heap tier, and the disk tier if {@code store.disk.path} is set (checked first).
     *
     * @param name thread name prefix (the node's name)
     * @throws StoreOpenException naming the setting when the disk directory cannot be used
     */
    public static TieredStore open(StorageConfig config, String name) {
        requireNonNull(config, "config is null");
        return open(config, name, MemoryBudget.forProcess(config.inFlightMaxBytes()));
    }

    /**
     * Opens the store with a budget for bodies in transit of its own choosing (tests, benchmarks; nodes share
     * the process's, see {@link #open(StorageConfig, String)}).
     */
    public static TieredStore open(StorageConfig config, String name, MemoryBudget budget) {
        requireNonNull(config, "config is null");
        requireNonNull(budget, "budget is null");
        HeapTier heap = new HeapTier(config.heapMaxBytes());
        ExecutorService io = Executors.newFixedThreadPool(4, daemonThreads(name + "-disk-io"));
        if (config.diskPath().isEmpty()) {
            return new TieredStore(config, heap, null, io, budget, null);
        }
        Path dir = config.diskPath().get();
        Path rocks = DiskDirectory.prepare(dir);
        RocksDiskTier disk;
        try {
            disk = RocksDiskTier.open(rocks, config.diskMaxBytes(), config.diskIndexMaxBytes(), config.chunkSize(), io, budget,
                    heap::remove);
        } catch (RocksDBException e) {
            io.shutdownNow();
            String message = String.valueOf(e.getMessage());
            if (message.contains("lock")) {
                throw new StoreOpenException("store.disk.path " + dir + " is in use by another process (another node on the "
                        + "same directory?): " + message, e);
            }
            throw new StoreOpenException("store.disk.path " + dir + ": cannot open the disk tier: " + message, e);
        }
        ScheduledExecutorService probe = Executors.newSingleThreadScheduledExecutor(daemonThreads(name + "-disk-probe"));
        probe.scheduleWithFixedDelay(disk::probeWritable, 30, 30, TimeUnit.SECONDS);
        return new TieredStore(config, heap, disk, io, budget, probe);
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    @Override
    public Variants lookupInMemory(String primaryKey) {
        Variants v = heap.lookup(primaryKey);
        if (!v.isEmpty() && disk != null) {
            disk.contains(primaryKey); // an access, for the disk tier's admission and eviction statistics
        }
        return v;
    }

    @Override
    public boolean mayHaveOnDisk(String primaryKey) {
        return disk != null && disk.contains(primaryKey);
    }

    @Override
    public Variants lookup(String primaryKey) {
        Variants inMemory = heap.lookup(primaryKey);
        if (disk == null) {
            return inMemory;
        }
        List<DiskEntry> entries = disk.entries(primaryKey);
        if (entries.isEmpty()) {
            return inMemory;
        }
        Variants result = inMemory;
        for (DiskEntry entry : entries) {
            if (hasVariant(inMemory, entry.varyKey())) {
                continue;
            }
            Optional<StoredObject> object = entry.bodyLength() <= config.heapMaxObjectBytes()
                    ? promote(primaryKey, entry) : disk.load(primaryKey, entry, System.currentTimeMillis());
            if (object.isPresent()) {
                result = result.isEmpty() ? Variants.of(object.get()) : result.with(object.get());
            }
        }
        return result;
    }

    private static boolean hasVariant(Variants variants, String varyKey) {
        for (StoredObject o : variants.all()) {
            if (o.response().varyKey().equals(varyKey)) {
                return true;
            }
        }
        return false;
    }

    /** Reads a small object whole from disk and keeps it in the heap tier. */
    private Optional<StoredObject> promote(String primaryKey, DiskEntry entry) {
        RocksDiskTier d = requireNonNull(disk);
        Optional<CachedResponse> response = d.readResponse(primaryKey, entry);
        if (response.isEmpty()) {
            return Optional.empty();
        }
        Optional<byte[][]> chunks = d.readChunks(primaryKey, entry);
        if (chunks.isEmpty()) {
            return Optional.empty();
        }
        StoredObject object = new StoredObject(response.get(), new ChunkedBody(chunks.get(), entry.chunkSize()),
                response.get().responseTimeMillis());
        Runnable hook = beforePromotion;
        if (hook != null) {
            hook.run();
        }
        // Promoted only if what was read is still the disk's current record: a purge, soft purge or newer
        // version that landed while this lookup read the disk must not be undone by putting the old copy
        // back in the heap (the disk tier goes first in every mutation, see remove()). This request still
        // gets what it read: its lookup began before the purge.
        d.ifCurrent(primaryKey, entry, () -> heap.promote(primaryKey, object));
        return Optional.of(object);
    }

    /** Test seam: runs between reading a disk object and promoting it (to interleave a purge there). */
    private volatile @Nullable Runnable beforePromotion;

    public void beforePromotion(@Nullable Runnable hook) {
        this.beforePromotion = hook;
    }

    @Override
    public Executor ioExecutor() {
        return io;
    }

    @Override
    public ObjectWriter begin(String primaryKey, CachedResponse response, long announcedLength) {
        return new Writer(primaryKey, response, announcedLength);
    }

    /** {@inheritDoc} Its writer pauses while the slowest reader is four chunks behind. */
    @Override
    public GrowingBody passThrough(long announcedLength) {
        return GrowingBody.passingThrough(config.chunkSize(), announcedLength, 4L * config.chunkSize(), budget);
    }

    @Override
    public MemoryBudget memoryBudget() {
        return budget;
    }

    @Override
    public StoredObject freshen(String primaryKey, StoredObject stored, CachedResponse freshened) {
        StoredObject updated = stored.withResponse(freshened);
        heap.replace(primaryKey, stored, updated);
        if (disk != null) {
            disk.freshen(primaryKey, freshened, stored.storedAtMillis());
        }
        return updated;
    }

    @Override
    public int remove(String primaryKey) {
        // disk first: a promotion in flight then finds its record gone and does not refill the heap
        int onDisk = disk == null ? 0 : disk.remove(primaryKey);
        int inHeap = heap.remove(primaryKey);
        return Math.max(inHeap, onDisk);
    }

    /** {@inheritDoc} Linear in the objects tagged: the tag indexes name their keys; no body is read. */
    @Override
    public int removeTagged(String tag) {
        int removed = 0;
        for (String key : taggedKeys(tag)) {
            removed += remove(key);
        }
        return removed;
    }

    /** {@inheritDoc} Both tiers' tag indexes, merged in a hash set: linear. */
    @Override
    public Set<String> taggedKeys(String tag) {
        Set<String> keys = new LinkedHashSet<>(heap.taggedPrimaryKeys(tag));
        if (disk != null) {
            keys.addAll(disk.primaryKeysTagged(tag));
        }
        return keys;
    }

    /**
     * {@inheritDoc} Rewrites the metadata where it is held, the heap's copy and the disk's meta records,
     * reading no body and promoting nothing.
     */
    @Override
    public int markStale(String primaryKey, long nowMillis) {
        // disk first (see remove): a promotion that read the fresh copy is then refused or marked here after it
        int onDisk = disk == null ? 0 : disk.rewriteResponses(primaryKey, r -> r.markedStale(nowMillis));
        int inHeap = heap.rewriteResponses(primaryKey, r -> r.markedStale(nowMillis));
        return Math.max(inHeap, onDisk);
    }

    /** {@inheritDoc} Linear in the objects tagged; no body is read, nothing is promoted. */
    @Override
    public int markTaggedStale(String tag, long nowMillis) {
        int marked = 0;
        for (String key : taggedKeys(tag)) {
            marked += markStale(key, nowMillis);
        }
        return marked;
    }

    /**
     * {@inheritDoc} Judged from the response times the tiers keep in memory (the heap's objects, the disk
     * index's entries): no record is read, nothing is promoted, and a key keeps its other variants.
     */
    @Override
    public int removeIf(SweepCondition condition) {
        int onDisk = disk == null ? 0 : disk.removeIf(condition);
        int inHeap = heap.removeIf(condition);
        return disk == null ? inHeap : Math.max(inHeap, onDisk);
    }

    /** {@inheritDoc} The heap's copies, then the disk's (one metadata record read per variant, no chunk). */
    @Override
    public List<TierCopy> inspect(String primaryKey) {
        List<TierCopy> out = new ArrayList<>();
        for (StoredObject o : heap.peek(primaryKey).all()) {
            out.add(new TierCopy("heap", o.response(), o.body().length()));
        }
        if (disk != null) {
            for (DiskEntry entry : disk.peekEntries(primaryKey)) {
                disk.readResponse(primaryKey, entry).ifPresent(r -> out.add(new TierCopy("disk", r, entry.bodyLength())));
            }
        }
        return out;
    }

    @Override
    public int clear() {
        int onDisk = disk == null ? 0 : disk.clear();
        int inHeap = heap.clear();
        return disk == null ? inHeap : Math.max(inHeap, onDisk);
    }

    @Override
    public List<String> primaryKeys() {
        if (disk == null) {
            return heap.primaryKeys();
        }
        Set<String> keys = new LinkedHashSet<>(disk.primaryKeys());
        keys.addAll(heap.primaryKeys());
        return List.copyOf(keys);
    }

    @Override
    public long marker(String name, long absent) {
        if (disk != null) {
            return disk.marker(name, absent);
        }
        Long value = markers.get(name);
        return value == null ? absent : value;
    }

    @Override
    public void putMarker(String name, long value) {
        if (disk != null) {
            disk.putMarker(name, value);
        } else {
            markers.put(name, value);
        }
    }

    @Override
    public long maxObjectBytes() {
        return disk == null ? Math.min(config.maxObjectBytes(), config.heapMaxObjectBytes()) : config.maxObjectBytes();
    }

    @Override
    public List<TierStats> stats() {
        List<TierStats> out = new ArrayList<>(2);
        out.add(heap.stats());
        if (disk != null) {
            out.add(disk.stats());
        }
        return out;
    }

    @Override
    public String degraded() {
        return disk == null ? "" : disk.degraded();
    }

    /** Runs pending evictions in both tiers now (tests, stats). */
    public void cleanUp() {
        heap.cleanUp();
        if (disk != null) {
            disk.cleanUp();
        }
    }

    public HeapTier heap() {
        return heap;
    }

    public Optional<RocksDiskTier> disk() {
        return Optional.ofNullable(disk);
    }

    @Override
    public void close() {
        if (probe != null) {
            probe.shutdownNow();
        }
        io.shutdown();
        try {
            io.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        heap.clear();
        if (disk != null) {
            disk.close();
        }
    }

    /**
     * One object being written: in memory while it is small, spilling to disk once it passes
     * {@code store.heap.max-object-size} or the memory budget is exhausted (or from the start when its
     * announced length passes the limit, or the budget is exhausted already). Without a disk tier, an
     * exhausted budget makes it stop storing and pass through instead.
     */
    private final class Writer implements ObjectWriter {
        private final String primaryKey;
        private final String varyKey;
        private final GrowingBody body;
        private RocksDiskTier.@Nullable Write diskWrite;
        private boolean done;
        /** Memory ran short without a disk tier: the body passes through and will not be stored. */
        private boolean notStored;

        Writer(String primaryKey, CachedResponse response, long announcedLength) {
            this.primaryKey = primaryKey;
            this.varyKey = response.varyKey();
            if (disk != null && (announcedLength > config.heapMaxObjectBytes() || budget.isExhausted())) {
                diskWrite = disk.begin(primaryKey, varyKey);
                body = GrowingBody.spilling(config.chunkSize(), announcedLength, diskWrite, budget);
            } else {
                body = GrowingBody.retained(config.chunkSize(), announcedLength, budget);
            }
        }

        @Override
        public GrowingBody body() {
            return body;
        }

        @Override
        public void write(ByteBuffer data) {
            body.write(data);
            if (diskWrite != null || notStored || !body.retains()) {
                return;
            }
            if (disk != null && (body.committed() > config.heapMaxObjectBytes() || budget.isExhausted())) {
                diskWrite = disk.begin(primaryKey, varyKey);
                body.startSpilling(diskWrite);
            } else if (disk == null && budget.isExhausted()) {
                notStored = true;
                body.passThrough(); // the caller sees body().retains() turn false and stops waiting for a commit
            }
        }

        @Override
        public Optional<StoredObject> commit(CachedResponse response) {
            if (done) {
                throw new IllegalStateException("already committed or aborted");
            }
            done = true;
            long length = body.committed();
            CachedResponse finished = response.withBodyLength(length);
            long storedAt = response.responseTimeMillis();
            if (diskWrite != null) {
                body.finishWriting();
                boolean stored = body.spillFailure() == null
                        && diskWrite.commit(finished, length, storedAt);
                if (stored) {
                    heap.removeVariant(primaryKey, varyKey); // the heap must not keep serving the older version
                } else {
                    RocksDiskTier.Write w = diskWrite;
                    body.whenDone(w::abort); // readers behind may still read its chunks until the body ends
                }
                body.complete();
                return stored ? Optional.of(new StoredObject(finished, body, storedAt)) : Optional.empty();
            }
            if (notStored || !body.retains() || length > maxObjectBytes()) {
                body.passThrough();
                body.complete();
                return Optional.empty();
            }
            byte[][] chunks = body.chunks();
            StoredObject object = new StoredObject(finished, new ChunkedBody(chunks, body.chunkSize()), storedAt);
            heap.put(primaryKey, object);
            if (disk != null) {
                disk.storeWhole(primaryKey, finished, chunks, storedAt);
            }
            body.handOverToStore(); // the heap tier counts these bytes now
            // visible in the store before readers learn the body is complete: a client that got the whole
            // response and asks again at once finds it stored
            body.complete();
            return Optional.of(object);
        }

        @Override
        public void abort(Throwable cause) {
            if (done) {
                return;
            }
            done = true;
            if (diskWrite != null) {
                RocksDiskTier.Write w = diskWrite;
                body.whenDone(w::abort);
            }
            body.fail(cause);
        }

        @Override
        public void abandon() {
            if (done) {
                return;
            }
            done = true;
            if (diskWrite != null) {
                RocksDiskTier.Write w = diskWrite;
                body.whenDone(w::abort); // chunks stay readable for readers behind until the body ends
            }
            body.passThrough();
        }
    }
}
