package io.blueorigin.cdn.storage.rocks;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.blueorigin.cdn.httpcache.CachedResponse;
import io.blueorigin.cdn.storage.CacheStore;
import io.blueorigin.cdn.storage.ChunkSink;
import io.blueorigin.cdn.storage.MemoryBudget;
import io.blueorigin.cdn.storage.StoredObject;
import io.blueorigin.cdn.storage.TierStats;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.MutableDBOptions;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Status;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The disk tier: objects' metadata in RocksDB (layouts in {@link RecordCodec}), their bodies in one body file
 * beside it ({@link BodyFile}), an in-memory index of what is stored (a Caffeine cache, so eviction is
 * W-TinyLFU rather than plain LRU), and an I/O executor for every blocking read.
 *
 * <h2>Two budgets, one weight</h2>
 * The index is bounded by the disk budget ({@code store.disk.max-size}, bodies plus a KiB each) and by the
 * heap it takes itself ({@code store.disk.index-max-size}: keys, vary keys, tags and the map's nodes, see
 * {@link DiskVariants#heapBytes}), so millions of small objects with long URLs cannot fill the heap while
 * the disk is mostly free. Caffeine has one weight, so a key weighs the larger of its two shares, both in
 * disk units: {@code max(diskKiB, heapBytes x diskBudgetKiB / indexBudgetBytes)}. The sum of weights stays
 * within the disk budget, and since each weight is at least each share, each sum of shares stays within
 * its own budget. {@code bodyBytes} and {@code indexBytes} count the two shares for stats; they change only
 * in {@link #account}, which every index mutation returns through (the eviction listener too).
 *
 * <h2>Invariants</h2>
 * <ul>
 *   <li>An object is visible only once its meta record is written; the meta record, the records of where
 *       its chunks are in the body file, its tag rows and the deletion of the version it replaces are one
 *       atomic write batch, after every chunk is written to the body file. RocksDB's write-ahead log recovers
 *       a prefix of the writes after a crash, and a chunk's bytes reached the page cache before its record,
 *       so a recovered meta record always has its chunks. A chunk's place in the body file is freed only
 *       after the batch deleting its record is written ({@link BodyFile}'s invariants).</li>
 *   <li>Every mutation of a primary key's records happens inside the index's per-key atomic section
 *       ({@code compute} or the eviction listener), so records and index never disagree.</li>
 *   <li>Meta records carry a CRC32C checked at open; chunks carry a CRC32C checked on every read. A corrupt
 *       record is dropped with its object and counted, never served.</li>
 *   <li>Tag rows exist only for stored objects (written and deleted with them, rewritten when a 304 changes
 *       them), so the surrogate-key index is bounded by the objects stored and matches their meta records.</li>
 *   <li>No native handle is used after {@link #close()}: every RocksDB call runs inside {@link #enter()} /
 *       {@link #exit()} (a read lock), and {@code close} takes the write lock, so a body still being written
 *       or read when its node stops gets an empty answer instead of crashing the process.</li>
 * </ul>
 *
 * <h2>Throughput under churn (issue 16)</h2>
 * Since 2026-12-04 bodies are in the body file, not in RocksDB: see {@link BodyFile} for why. The kit's Zipf
 * mix went from 0.68x-0.70x to 0.82x-1.04x Varnish's req/s in three runs, RocksDB from a third of the edge's CPU to 9 %,
 * and the same requests replayed on the store alone ({@code ZipfRounds}) take half the time (41.4 to 20.7 s).
 * What follows is the history of bodies in RocksDB, whose rows ("chunks") are still read until the objects
 * written that way are gone.
 * The bench's Zipf mix (10,000 keys of 32 KiB, 128 MiB heap and 128 MiB disk) misses about one request in
 * five, and every miss writes a body and evicts one. Profile of that run (perf, JFR): no RocksDB write stall
 * (its stats: 0), Jetty threads mostly parked idle, and RocksDB about a third of the edge's CPU: the WAL
 * write on the request's thread (10%, plus the kernel's file writes) and flush/compaction (20%). Measured in
 * process (TieredStore alone, 8 threads on one core, CPU per request, two runs each): bodies through the WAL
 * 64-138 us, without the WAL 40-53 us, through the WAL with recycled log files 50-85 us.
 * <ul>
 *   <li>Kept: {@code recycle_log_file_num} (see {@link #RECYCLED_WAL_FILES}); the WAL stays.</li>
 *   <li>Tried and dropped: bodies without the WAL (meta record as commit point, a seal row checked at
 *       open). The edge went from 0.39x to 0.71x Varnish's req/s, but a SIGKILL then loses every object
 *       written since the last flush, and this tier promises that objects cached before a SIGKILL are hits
 *       after the restart ({@code DiskStoreIT}).</li>
 *   <li>No effect measurable on this machine: 32 or 64 MB memtables, RocksDB's adaptive yield off (worse),
 *       one Java lock around writes (+5%), a 256 MB WAL cap.</li>
 *   <li>Where RocksDB's share goes (perf, in process): two thirds of it is CRC32C computed in software
 *       (rocksdbjni is a portable build without SSE 4.2): the WAL's on the writing thread, the blob files' at
 *       flush and in blob GC, and every read's. Writes cannot skip it; chunk reads do (keyed checksums in
 *       {@link RecordCodec}): 1.25 ms of CPU per MiB read back, 0.44 without.</li>
 * </ul>
 *
 * <h2>Threading</h2>
 * Thread-safe. Reads that touch the disk run on {@code io}; writes run on the caller (the upstream fetch's
 * thread). A failing disk (full, I/O error) stops writes, is counted and reported, never fails a request.
 * Tag purges, soft purges and sweeps read the index and meta records only, never a body.
 */
public final class RocksDiskTier implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RocksDiskTier.class);
    private static final byte[] PENDING = "pending".getBytes(StandardCharsets.UTF_8);
    private static final byte[] META = "meta".getBytes(StandardCharsets.UTF_8);
    private static final byte[] CHUNKS = "chunks".getBytes(StandardCharsets.UTF_8);
    private static final byte[] TAGS = "tags".getBytes(StandardCharsets.UTF_8);
    private static final byte[] EXTENTS = "extents".getBytes(StandardCharsets.UTF_8);
    /** The body file's name in the tier's directory (RocksDB leaves files it does not name alone). */
    static final String BODY_FILE = "bodies.dat";
    /** WAL files kept for reuse instead of deleted (RocksDB's {@code recycle_log_file_num}). */
    static final int RECYCLED_WAL_FILES = 4;

    static {
        RocksDB.loadLibrary();
    }

    private final Path path;
    private final long maxBytes;
    private final long indexMaxBytes;
    /** Disk units (KiB) one byte of index heap weighs: the disk budget over the index budget. */
    private final double unitsPerIndexByte;
    private final MemoryBudget budget;
    /** Held (read) by every RocksDB call, taken (write) by {@link #close()}; see the invariants. */
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    /** Guarded by {@link #lifecycle}. */
    private boolean closed;
    /** Body bytes of the indexed objects; changed only in {@link #account}. */
    private final AtomicLong bodyBytes = new AtomicLong();
    /** Index heap of the indexed objects ({@link DiskVariants#heapBytes}); changed only in {@link #account}. */
    private final AtomicLong indexBytes = new AtomicLong();
    private final int chunkSize;
    private final Executor io;
    private final RocksDB db;
    private final DBOptions dbOptions;
    private final List<ColumnFamilyOptions> cfOptions;
    private final List<ColumnFamilyHandle> handles;
    private final ColumnFamilyHandle meta;
    /** Bodies written before the body file; read until evicted, never written. */
    private final ColumnFamilyHandle chunks;
    private final ColumnFamilyHandle extents;
    private final BodyFile bodyFile;
    /** Whether "chunks" held any row at open; if not, nothing reads or deletes there. Set in {@link #recover}. */
    private boolean legacyChunks = true;
    private final ColumnFamilyHandle tags;
    private final ColumnFamilyHandle pending;
    private final WriteOptions writeOptions = new WriteOptions();
    private final ReadOptions readOptions = new ReadOptions().setVerifyChecksums(true);
    /** Chunks carry their own keyed checksum, checked on every read (see {@link RecordCodec}); RocksDB's is skipped. */
    private final ReadOptions chunkReadOptions = new ReadOptions().setVerifyChecksums(false).setFillCache(false);
    private final Cache<String, DiskVariants> index;
    private final Consumer<String> onEvicted;

    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder stores = new LongAdder();
    private final LongAdder evictions = new LongAdder();
    private final LongAdder removals = new LongAdder();
    private final LongAdder corrupt = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private final LongAdder writeErrors = new LongAdder();
    private final LongAdder chunkReads = new LongAdder();
    /** Why writes are refused ("" when healthy); set on a write failure, cleared by {@link #probeWritable()}. */
    private volatile String degraded = "";
    private volatile long lastErrorLog;

    private RocksDiskTier(Path path, long maxBytes, long indexMaxBytes, int chunkSize, Executor io, MemoryBudget budget,
            Consumer<String> onEvicted) throws RocksDBException {
        this.path = path;
        this.maxBytes = maxBytes;
        this.indexMaxBytes = indexMaxBytes;
        this.unitsPerIndexByte = (double) Math.max(1, maxBytes / 1024) / indexMaxBytes;
        this.budget = budget;
        this.chunkSize = chunkSize;
        this.io = io;
        this.onEvicted = onEvicted;
        this.dbOptions = new DBOptions()
                .setCreateIfMissing(true)
                .setCreateMissingColumnFamilies(true)
                .setMaxBackgroundJobs(2)
                .setKeepLogFileNum(3)
                .setMaxTotalWalSize(64L << 20)
                // Every body goes through the WAL (what makes a SIGKILL lose nothing committed); under churn
                // that is a new 16 MB log file every few seconds, created, grown block by block and unlinked.
                // Reusing up to four old ones instead overwrites blocks already allocated: 50-85 us of CPU
                // per request instead of 64-138 on the Zipf churn in process (class comment). Point-in-time
                // WAL recovery (the default) tells a recycled file's old records from new ones, so recovery
                // still stops at a prefix of the writes.
                .setRecycleLogFileNum(RECYCLED_WAL_FILES)
                .setInfoLogLevel(InfoLogLevel.WARN_LEVEL);
        ColumnFamilyOptions small = new ColumnFamilyOptions().setCompressionType(CompressionType.LZ4_COMPRESSION)
                .setWriteBufferSize(8L << 20);
        // Bodies go to blob files: compaction then moves only small index entries, not the bytes
        // Space: a cache deletes as much as it writes, so blob files are small (GC granularity) and any file
        // over half garbage is compacted; the WAL is capped. Measured on the zipf bench (128 MB budget):
        // about 2x the budget on disk at steady state (see docs/decisions/0003).
        // Throughput: chunk keys are random (generation), so every L0 file overlaps all of L1 and each
        // L0->L1 compaction reads it all; relocating blobs there only from the oldest quarter of blob files
        // (RocksDB's default cutoff) keeps that from rewriting every body on every compaction, which with
        // a cutoff of 1.0 stalled writes below 1 MB/s after a few GB (20 concurrent 256 MiB misses). Four
        // memtables absorb a slow flush instead of stopping writes.
        ColumnFamilyOptions bodies = new ColumnFamilyOptions().setCompressionType(CompressionType.NO_COMPRESSION)
                .setWriteBufferSize(16L << 20).setMaxWriteBufferNumber(4)
                .setEnableBlobFiles(true).setMinBlobSize(2048).setBlobFileSize(32L << 20)
                .setEnableBlobGarbageCollection(true).setBlobGarbageCollectionAgeCutoff(0.25)
                .setBlobGarbageCollectionForceThreshold(0.5);
        ColumnFamilyOptions defaults = new ColumnFamilyOptions();
        this.cfOptions = List.of(small, bodies, defaults);
        List<ColumnFamilyDescriptor> descriptors = List.of(
                new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, defaults),
                new ColumnFamilyDescriptor(META, small),
                new ColumnFamilyDescriptor(CHUNKS, bodies),
                new ColumnFamilyDescriptor(TAGS, small),
                new ColumnFamilyDescriptor(PENDING, small),
                new ColumnFamilyDescriptor(EXTENTS, small));
        this.handles = new ArrayList<>();
        this.db = RocksDB.open(dbOptions, path.toString(), descriptors, handles);
        this.meta = handles.get(1);
        this.chunks = handles.get(2);
        this.tags = handles.get(3);
        this.pending = handles.get(4);
        this.extents = handles.get(5);
        try {
            this.bodyFile = new BodyFile(path.resolve(BODY_FILE));
        } catch (IOException e) {
            handles.forEach(ColumnFamilyHandle::close);
            db.close();
            throw new RocksDBException("cannot open the body file " + path.resolve(BODY_FILE) + ": " + e.getMessage());
        }
        this.index = Caffeine.newBuilder()
                .executor(Runnable::run)
                .maximumWeight(Math.max(1, maxBytes / 1024))
                .weigher(this::weigh)
                // runs atomically with respect to compute() on the same key: records and index stay in step
                .evictionListener((String k, DiskVariants v, com.github.benmanes.caffeine.cache.RemovalCause cause) -> {
                    if (k != null && v != null && cause.wasEvicted()) {
                        account(k, v, null);
                        deleteRecords(k, v.entries());
                        evictions.add(v.entries().size());
                        onEvicted.accept(k);
                    }
                })
                .build();
    }

    /**
     * Opens (or creates) the store in {@code path}, drops what a crash left half-written, checks every meta
     * record and rebuilds the index (evicting, as at run time, beyond either budget).
     *
     * @param maxBytes the disk budget ({@code store.disk.max-size})
     * @param indexMaxBytes the index's heap budget ({@code store.disk.index-max-size})
     * @param budget where chunks read back for delivery are counted (bodies in transit)
     * @param onEvicted told the primary key of every URI evicted from disk (the heap drops its copy)
     */
    public static RocksDiskTier open(Path path, long maxBytes, long indexMaxBytes, int chunkSize, Executor io,
            MemoryBudget budget, Consumer<String> onEvicted) throws RocksDBException {
        RocksDiskTier tier = new RocksDiskTier(requireNonNull(path, "path is null"), maxBytes, indexMaxBytes, chunkSize, io,
                requireNonNull(budget, "budget is null"), onEvicted);
        try {
            tier.recover();
        } catch (RocksDBException | RuntimeException e) {
            tier.close();
            throw e;
        }
        return tier;
    }

    private void recover() throws RocksDBException {
        int orphans = 0;
        try (RocksIterator it = db.newIterator(pending)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                long generation = ByteBuffer.wrap(it.key()).getLong();
                try (WriteBatch batch = new WriteBatch()) {
                    batch.deleteRange(chunks, RecordCodec.chunkKey(generation, 0), RecordCodec.chunkKey(generation, Integer.MAX_VALUE));
                    batch.delete(pending, it.key());
                    db.write(writeOptions, batch);
                }
                orphans++;
            }
            it.status();
        }
        int objects = 0;
        int bad = 0;
        try (RocksIterator it = db.newIterator(meta)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                byte[] key = it.key();
                Optional<RecordCodec.Decoded> decoded = RecordCodec.decodeMeta(it.value());
                if (decoded.isEmpty()) {
                    db.delete(meta, writeOptions, key);
                    bad++;
                    continue;
                }
                RecordCodec.Header h = decoded.get().header();
                CachedResponse r = decoded.get().response();
                String primary = RecordCodec.primaryOf(key);
                DiskEntry entry = new DiskEntry(r.varyKey(), h.generation(), h.bodyLength(), h.chunkSize(), h.chunkCount(),
                        r.surrogateKeys(), r.responseTimeMillis());
                index.asMap().compute(primary, (k, old) -> account(k, old, old == null ? new DiskVariants(List.of(entry))
                        : old.with(entry)));
                objects++;
            }
            it.status();
        }
        corrupt.add(bad);
        try (RocksIterator it = db.newIterator(chunks)) {
            it.seekToFirst();
            legacyChunks = it.isValid();
            it.status();
        }
        int clashes = 0;
        try (RocksIterator it = db.newIterator(extents)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                // a damaged value or a run two records claim: the checksum refuses whatever reads it wrong
                if (!RecordCodec.extent(it.value()).map(bodyFile::reserve).orElse(false)) {
                    clashes++;
                }
            }
            it.status();
        }
        try {
            bodyFile.trim();
        } catch (IOException e) {
            LOG.warn("disk tier {}: could not trim {}: {}", path, bodyFile.path(), e.getMessage());
        }
        if (clashes > 0) {
            LOG.warn("disk tier {}: {} chunk record(s) name a damaged or shared place in {}; reads of them will be refused",
                    path, clashes, bodyFile.path());
        }
        if (orphans > 0 || bad > 0) {
            LOG.warn("disk tier {}: dropped {} half-written object(s) and {} corrupt record(s)", path, orphans, bad);
        }
        index.cleanUp();
        LOG.info("disk tier {}: {} object(s), {} bytes of {}; index {} bytes of {}", path, index.estimatedSize(), bodyBytes.get(),
                maxBytes, indexBytes.get(), indexMaxBytes);
    }

    /** A key's weight: the larger of its disk share and its index heap share, in disk units (see the class comment). */
    private int weigh(String primaryKey, DiskVariants v) {
        long disk = v.weightKiB();
        long heap = (long) Math.ceil(v.heapBytes(primaryKey) * unitsPerIndexByte);
        return (int) Math.min(Integer.MAX_VALUE, Math.max(disk, heap));
    }

    /**
     * Every index mutation returns its new value through here (and the eviction listener passes the evicted
     * one with {@code next} null), so the byte counts follow the index exactly.
     */
    private @Nullable DiskVariants account(String primaryKey, @Nullable DiskVariants old, @Nullable DiskVariants next) {
        if (old != next) {
            long body = (next == null ? 0 : next.bodyBytes()) - (old == null ? 0 : old.bodyBytes());
            long heap = (next == null ? 0 : next.heapBytes(primaryKey)) - (old == null ? 0 : old.heapBytes(primaryKey));
            bodyBytes.addAndGet(body);
            indexBytes.addAndGet(heap);
        }
        return next;
    }

    /** Holds the tier open for one RocksDB call; false (nothing to release) once it is closed. */
    private boolean enter() {
        // never waits: the only writer is close(), and a call that finds it closing or closed answers as closed
        if (!lifecycle.readLock().tryLock()) {
            return false;
        }
        if (closed) {
            lifecycle.readLock().unlock();
            return false;
        }
        return true;
    }

    private void exit() {
        lifecycle.readLock().unlock();
    }

    /** Whether the disk holds variants of {@code primaryKey} (an index lookup, no I/O; counts as an access). */
    public boolean contains(String primaryKey) {
        return index.getIfPresent(primaryKey) != null;
    }

    /** The entries stored for {@code primaryKey}, counting a hit or a miss. */
    public List<DiskEntry> entries(String primaryKey) {
        DiskVariants v = index.getIfPresent(primaryKey);
        if (v == null) {
            misses.increment();
            return List.of();
        }
        hits.increment();
        return v.entries();
    }

    /** The entries stored for {@code primaryKey} without counting a hit, a miss or an access (the cache inspector). */
    public List<DiskEntry> peekEntries(String primaryKey) {
        DiskVariants v = index.policy().getIfPresentQuietly(primaryKey);
        return v == null ? List.of() : v.entries();
    }

    /** Reads an object's meta record (blocking; call on the I/O executor). Empty if gone or corrupt (then dropped). */
    public Optional<CachedResponse> readResponse(String primaryKey, DiskEntry entry) {
        if (!enter()) {
            return Optional.empty();
        }
        try {
            try {
                byte[] value = db.get(meta, readOptions, RecordCodec.metaKey(primaryKey, entry.varyKey()));
                if (value == null) {
                    return Optional.empty();
                }
                Optional<RecordCodec.Decoded> decoded = RecordCodec.decodeMeta(value);
                if (decoded.isEmpty() || decoded.get().header().generation() != entry.generation()) {
                    if (decoded.isEmpty()) {
                        dropCorrupt(primaryKey, entry);
                    }
                    return Optional.empty();
                }
                return Optional.of(decoded.get().response());
            } catch (RocksDBException e) {
                readFailed(e);
                return Optional.empty();
            }
        } finally {
            exit();
        }
    }

    /** Every chunk of an object, checksums verified (blocking); empty when one is missing or corrupt (then dropped). */
    public Optional<byte[][]> readChunks(String primaryKey, DiskEntry entry) {
        byte[][] out = new byte[entry.chunkCount()][];
        try {
            for (int i = 0; i < entry.chunkCount(); i++) {
                Optional<ByteBuffer> bytes = readChunk(entry.generation(), i);
                if (bytes.isEmpty()) {
                    dropCorrupt(primaryKey, entry);
                    return Optional.empty();
                }
                ByteBuffer b = bytes.get();
                out[i] = new byte[b.remaining()];
                b.get(out[i]);
            }
            return Optional.of(out);
        } catch (RocksDBException e) {
            readFailed(e);
            return Optional.empty();
        }
    }

    /** One chunk's bytes, checksum verified; empty when missing or corrupt (or the tier is closed). */
    Optional<ByteBuffer> readChunk(long generation, int index) throws RocksDBException {
        return readChunk(generation, index, null);
    }

    /** {@link #readChunk(long, int)}, from {@code known} if its place in the body file is known already (not committed yet). */
    private Optional<ByteBuffer> readChunk(long generation, int index, BodyFile.@Nullable Extent known) throws RocksDBException {
        if (!enter()) {
            return Optional.empty();
        }
        try {
            chunkReads.increment();
            byte[] key = RecordCodec.chunkKey(generation, index);
            if (known != null) {
                return readExtent(key, known);
            }
            byte[] place = db.get(extents, chunkReadOptions, key);
            if (place != null) {
                Optional<BodyFile.Extent> extent = RecordCodec.extent(place);
                return extent.isEmpty() ? Optional.empty() : readExtent(key, extent.get());
            }
            if (!legacyChunks) {
                return Optional.empty();
            }
            byte[] value = db.get(chunks, chunkReadOptions, key);
            return value == null ? Optional.empty() : RecordCodec.chunkBytes(key, value);
        } finally {
            exit();
        }
    }

    /**
     * A chunk from the body file; empty when its bytes fail the checksum. An I/O error (or this thread's
     * interrupt) is thrown as a failed read, so the caller misses without taking the object for corrupt.
     */
    private Optional<ByteBuffer> readExtent(byte[] key, BodyFile.Extent extent) throws RocksDBException {
        try {
            return bodyFile.read(key, extent);
        } catch (IOException e) {
            throw new RocksDBException("reading " + bodyFile.path() + ": " + e);
        }
    }

    /** A body that streams an object's chunks from disk on the I/O executor. */
    public DiskBody body(String primaryKey, DiskEntry entry) {
        return new DiskBody(this, entry, budget, () -> dropCorrupt(primaryKey, entry));
    }

    Executor io() {
        return io;
    }

    /**
     * Drops an object whose records could not be read back whole, if it is still the stored version: then
     * it is corrupt (counted, logged). If it is not, it was removed or replaced while it was being read (a
     * purge, an eviction): its records are gone on purpose and the reader just misses.
     */
    void dropCorrupt(String primaryKey, DiskEntry entry) {
        if (!enter()) {
            return;
        }
        try {
            boolean[] dropped = {false};
            index.asMap().computeIfPresent(primaryKey, (k, v) -> {
                DiskEntry current = v.get(entry.varyKey());
                if (current == null || current.generation() != entry.generation()) {
                    return v;
                }
                deleteRecords(k, List.of(entry));
                dropped[0] = true;
                return account(k, v, v.without(entry.varyKey()));
            });
            if (dropped[0]) {
                corrupt.increment();
                LOG.warn("disk tier {}: dropped a corrupt object of {} (generation {})", path, primaryKey, entry.generation());
                onEvicted.accept(primaryKey);
            }
        } finally {
            exit();
        }
    }

    /**
     * Starts writing a new object; its chunks go to disk as they fill ({@link ChunkSink}); nothing is visible
     * until {@link #commit}.
     */
    public Write begin(String primaryKey, String varyKey) {
        return new Write(primaryKey, varyKey);
    }

    /**
     * Stores a whole object held in memory in one write batch (chunks, meta, tags), replacing the variant of
     * the same secondary key. Returns false when the disk refused it (counted; the tier turns degraded).
     */
    public boolean storeWhole(String primaryKey, CachedResponse response, byte[][] body, long storedAtMillis) {
        if (!enter()) {
            return false;
        }
        try {
            if (!degraded.isEmpty()) {
                rejected.increment();
                return false;
            }
            long generation = ThreadLocalRandom.current().nextLong();
            long length = 0;
            for (byte[] c : body) {
                length += c.length;
            }
            DiskEntry entry = new DiskEntry(response.varyKey(), generation, length, chunkSize, body.length,
                        response.surrogateKeys(), response.responseTimeMillis());
            List<BodyFile.Extent> written = new ArrayList<>(body.length);
            boolean published = false;
            try (WriteBatch batch = new WriteBatch()) {
                for (int i = 0; i < body.length; i++) {
                    byte[] key = RecordCodec.chunkKey(generation, i);
                    BodyFile.Extent extent = bodyFile.write(key, body[i], body[i].length);
                    written.add(extent);
                    batch.put(extents, key, RecordCodec.extentValue(extent));
                }
                published = publish(primaryKey, entry, response, storedAtMillis, batch);
                return published;
            } catch (RocksDBException e) {
                writeFailed(e);
                return false;
            } catch (IOException e) {
                writeFailed(e);
                return false;
            } finally {
                if (!published) {
                    written.forEach(bodyFile::free);
                }
            }
        } finally {
            exit();
        }
    }

    /** Puts the meta record (and tag rows) of {@code entry} in {@code batch} and writes it atomically with the index. */
    private boolean publish(String primaryKey, DiskEntry entry, CachedResponse response, long storedAtMillis, WriteBatch batch)
            throws RocksDBException {
        byte[] metaKey = RecordCodec.metaKey(primaryKey, entry.varyKey());
        batch.put(meta, metaKey, RecordCodec.encodeMeta(new RecordCodec.Header(entry.generation(), storedAtMillis,
                entry.bodyLength(), entry.chunkSize(), entry.chunkCount()), response));
        for (String tag : entry.tags()) {
            batch.put(tags, RecordCodec.tagKey(tag, metaKey), new byte[0]);
        }
        boolean[] written = {false};
        RocksDBException[] failure = {null};
        index.asMap().compute(primaryKey, (k, old) -> {
            try {
                DiskVariants next = old == null ? new DiskVariants(List.of(entry)) : old.with(entry);
                List<BodyFile.Extent> freed = new ArrayList<>();
                if (old != null) {
                    DiskEntry replaced = old.get(entry.varyKey());
                    if (replaced != null) {
                        // the meta key is the same, so the new tag rows must survive: delete only tags it dropped
                        deleteBody(batch, replaced, freed);
                        for (String tag : replaced.tags()) {
                            if (!entry.tags().contains(tag)) {
                                batch.delete(tags, RecordCodec.tagKey(tag, metaKey));
                            }
                        }
                    }
                }
                for (DiskEntry overflow : next.overflow()) {
                    addDeletes(batch, k, overflow, freed);
                }
                db.write(writeOptions, batch);
                written[0] = true;
                freed.forEach(bodyFile::free);
                return account(k, old, next.trimmed());
            } catch (RocksDBException e) {
                failure[0] = e;
                return old;
            }
        });
        if (failure[0] != null) {
            throw failure[0];
        }
        stores.increment();
        return written[0];
    }

    /**
     * Rewrites an object's meta record with a freshened response (same body), and its tag rows and index
     * entry when the new response carries other surrogate keys, in one batch; false if it is no longer
     * stored (or the disk refused).
     */
    public boolean freshen(String primaryKey, CachedResponse freshened, long storedAtMillis) {
        if (!degraded.isEmpty() || !enter()) {
            return false;
        }
        try {
            boolean[] done = {false};
            index.asMap().computeIfPresent(primaryKey, (k, v) -> {
                DiskEntry entry = v.get(freshened.varyKey());
                if (entry == null) {
                    return v;
                }
                DiskEntry updated = entry.withMetadata(freshened.surrogateKeys(), freshened.responseTimeMillis());
                try (WriteBatch batch = new WriteBatch()) {
                    byte[] metaKey = RecordCodec.metaKey(k, entry.varyKey());
                    batch.put(meta, metaKey, RecordCodec.encodeMeta(new RecordCodec.Header(entry.generation(), storedAtMillis,
                            entry.bodyLength(), entry.chunkSize(), entry.chunkCount()), freshened));
                    retag(batch, metaKey, entry.tags(), updated.tags());
                    db.write(writeOptions, batch);
                    done[0] = true;
                    return account(k, v, v.replacing(updated));
                } catch (RocksDBException e) {
                    writeFailed(e);
                    return v;
                }
            });
            return done[0];
        } finally {
            exit();
        }
    }

    /** Puts into {@code batch} the tag rows of a meta key going from {@code before} to {@code after}. */
    private void retag(WriteBatch batch, byte[] metaKey, List<String> before, List<String> after) throws RocksDBException {
        for (String tag : before) {
            if (!after.contains(tag)) {
                batch.delete(tags, RecordCodec.tagKey(tag, metaKey));
            }
        }
        for (String tag : after) {
            if (!before.contains(tag)) {
                batch.put(tags, RecordCodec.tagKey(tag, metaKey), new byte[0]);
            }
        }
    }

    /**
     * Rewrites the meta record of every variant of {@code primaryKey} with {@code transform} applied to its
     * response (a soft purge marks them stale), reading meta records only, never a body, and promoting
     * nothing. Returns how many variants it holds (changed or already as asked).
     */
    public int rewriteResponses(String primaryKey, UnaryOperator<CachedResponse> transform) {
        if (!enter()) {
            return 0;
        }
        try {
            int[] count = {0};
            index.asMap().computeIfPresent(primaryKey, (k, v) -> {
                DiskVariants next = v;
                for (DiskEntry entry : v.entries()) {
                    try {
                        byte[] metaKey = RecordCodec.metaKey(k, entry.varyKey());
                        byte[] value = db.get(meta, readOptions, metaKey);
                        Optional<RecordCodec.Decoded> decoded = value == null ? Optional.empty() : RecordCodec.decodeMeta(value);
                        if (decoded.isEmpty() || decoded.get().header().generation() != entry.generation()) {
                            continue;
                        }
                        count[0]++;
                        CachedResponse before = decoded.get().response();
                        CachedResponse after = transform.apply(before);
                        if (after == before || !degraded.isEmpty()) {
                            continue;
                        }
                        try (WriteBatch batch = new WriteBatch()) {
                            batch.put(meta, metaKey, RecordCodec.encodeMeta(decoded.get().header(), after));
                            retag(batch, metaKey, entry.tags(), after.surrogateKeys());
                            db.write(writeOptions, batch);
                        }
                        next = next.replacing(entry.withMetadata(after.surrogateKeys(), after.responseTimeMillis()));
                    } catch (RocksDBException e) {
                        writeFailed(e);
                    }
                }
                return account(k, v, next);
            });
            return count[0];
        } finally {
            exit();
        }
    }

    /**
     * Removes every object for which {@code condition} holds, judged from the index alone (no record is
     * read); a key keeps its other variants. Returns how many objects were removed.
     */
    public int removeIf(CacheStore.SweepCondition condition) {
        int[] removed = {0};
        for (String key : index.asMap().keySet()) {
            index.asMap().computeIfPresent(key, (k, v) -> {
                List<DiskEntry> doomed = new ArrayList<>(1);
                for (DiskEntry e : v.entries()) {
                    if (condition.test(k, e.responseTimeMillis())) {
                        doomed.add(e);
                    }
                }
                if (doomed.isEmpty() || !deleteRecords(k, doomed)) {
                    return v;
                }
                removed[0] += doomed.size();
                DiskVariants rest = v;
                for (DiskEntry e : doomed) {
                    rest = rest == null ? null : rest.without(e.varyKey());
                }
                return account(k, v, rest);
            });
        }
        removals.add(removed[0]);
        return removed[0];
    }

    /** Removes every variant of {@code primaryKey}; returns how many objects were removed. */
    /**
     * Runs {@code action} inside {@code primaryKey}'s atomic section if {@code entry} (as returned by
     * {@link #entries}) is still one of its current records, the same instance: nothing removed, replaced or
     * rewrote it since it was read. Returns whether it ran. Used to promote a disk read into the heap tier
     * without resurrecting what a purge removed meanwhile.
     */
    public boolean ifCurrent(String primaryKey, DiskEntry entry, Runnable action) {
        boolean[] ran = {false};
        index.asMap().computeIfPresent(primaryKey, (k, v) -> {
            for (DiskEntry e : v.entries()) {
                if (e == entry) {
                    action.run();
                    ran[0] = true;
                    break;
                }
            }
            return v;
        });
        return ran[0];
    }

    public int remove(String primaryKey) {
        int[] removed = {0};
        index.asMap().computeIfPresent(primaryKey, (k, v) -> {
            if (deleteRecords(k, v.entries())) {
                removed[0] = v.entries().size();
                return account(k, v, null);
            }
            return v;
        });
        removals.add(removed[0]);
        return removed[0];
    }

    /** A snapshot of the primary keys on disk (from the in-memory index). */
    public List<String> primaryKeys() {
        return List.copyOf(index.asMap().keySet());
    }

    /** Removes every object (record by record, each atomically with the index); returns how many. */
    public int clear() {
        int n = 0;
        for (String key : primaryKeys()) {
            n += remove(key);
        }
        return n;
    }

    /** The marker {@code name}, or {@code absent}. */
    public long marker(String name, long absent) {
        if (!enter()) {
            return absent;
        }
        try {
            try {
                byte[] value = db.get(handles.get(0), readOptions, markerKey(name));
                return value == null || value.length != Long.BYTES ? absent : ByteBuffer.wrap(value).getLong();
            } catch (RocksDBException e) {
                LOG.warn("disk tier {}: cannot read marker {}: {}", path, name, e.getMessage());
                return absent;
            }
        } finally {
            exit();
        }
    }

    /**
     * Writes a marker through the same write-ahead log as the objects, so it is recovered only with every
     * mutation written before it.
     */
    public void putMarker(String name, long value) {
        if (!enter()) {
            return;
        }
        try {
            try {
                db.put(handles.get(0), writeOptions, markerKey(name), ByteBuffer.allocate(Long.BYTES).putLong(value).array());
            } catch (RocksDBException e) {
                writeFailed(e);
            }
        } finally {
            exit();
        }
    }

    private static byte[] markerKey(String name) {
        return ("marker/" + name).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The primary keys of the objects tagged {@code tag}, each once, in key order (blocking: a prefix scan of
     * the tag rows; linear in the objects tagged).
     */
    public List<String> primaryKeysTagged(String tag) {
        if (!enter()) {
            return List.of();
        }
        Set<String> out = new LinkedHashSet<>();
        byte[] prefix = RecordCodec.tagPrefix(tag);
        try (RocksIterator it = db.newIterator(tags)) {
            for (it.seek(prefix); it.isValid() && startsWith(it.key(), prefix); it.next()) {
                out.add(RecordCodec.primaryOf(RecordCodec.metaKeyOfTag(it.key())));
            }
        } finally {
            exit();
        }
        return List.copyOf(out);
    }

    private static boolean startsWith(byte[] key, byte[] prefix) {
        if (key.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (key[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** Deletes objects' records in one batch; false (and counted) when the disk refuses. */
    private boolean deleteRecords(String primaryKey, List<DiskEntry> entries) {
        if (!enter()) {
            return false;
        }
        try {
            try (WriteBatch batch = new WriteBatch()) {
                List<BodyFile.Extent> freed = new ArrayList<>();
                for (DiskEntry e : entries) {
                    addDeletes(batch, primaryKey, e, freed);
                }
                db.write(writeOptions, batch);
                freed.forEach(bodyFile::free);
                return true;
            } catch (RocksDBException e) {
                writeFailed(e);
                return false;
            }
        } finally {
            exit();
        }
    }

    /** Puts an object's deletes in {@code batch}; its chunks' runs go to {@code freed}, free once the batch is written. */
    private void addDeletes(WriteBatch batch, String primaryKey, DiskEntry e, List<BodyFile.Extent> freed)
            throws RocksDBException {
        byte[] metaKey = RecordCodec.metaKey(primaryKey, e.varyKey());
        batch.delete(meta, metaKey);
        deleteBody(batch, e, freed);
        for (String tag : e.tags()) {
            batch.delete(tags, RecordCodec.tagKey(tag, metaKey));
        }
    }

    /** Puts the deletes of an object's chunk records in {@code batch}, and the runs they name in {@code freed}. */
    private void deleteBody(WriteBatch batch, DiskEntry e, List<BodyFile.Extent> freed) throws RocksDBException {
        for (int i = 0; i < e.chunkCount(); i++) {
            byte[] key = RecordCodec.chunkKey(e.generation(), i);
            byte[] place = db.get(extents, chunkReadOptions, key);
            if (place != null) {
                batch.delete(extents, key);
                RecordCodec.extent(place).ifPresent(freed::add);
            }
        }
        if (legacyChunks) {
            batch.deleteRange(chunks, RecordCodec.chunkKey(e.generation(), 0), RecordCodec.chunkKey(e.generation(), e.chunkCount()));
        }
    }

    /** A body file write failed: degraded like a RocksDB write, unless only this thread was interrupted. */
    private void writeFailed(IOException e) {
        if (e instanceof ClosedByInterruptException || e instanceof InterruptedIOException) {
            writeErrors.increment();
            return; // only this thread was interrupted (the file reopens its channel for the others): the disk is fine
        }
        degrade(String.valueOf(e.getMessage()).contains("No space"), String.valueOf(e.getMessage()));
    }

    private void writeFailed(RocksDBException e) {
        Status status = e.getStatus();
        degrade(status != null && (status.getSubCode() == Status.SubCode.NoSpace
                || String.valueOf(e.getMessage()).contains("No space")), e.getMessage());
    }

    /** Counts a failed write and stops writes until {@link #probeWritable()} finds the disk accepting them again. */
    private void degrade(boolean noSpace, String message) {
        writeErrors.increment();
        Path configured = path.getParent() == null ? path : path.getParent();
        degraded = noSpace ? "disk full: writes stopped (store.disk.path " + configured + ")"
                : "disk write failed: " + message + " (store.disk.path " + configured + ")";
        logAtMostEvery30s("disk tier {}: {}; serving from memory and upstream until it recovers", path, degraded);
    }

    private void readFailed(RocksDBException e) {
        logAtMostEvery30s("disk tier {}: read failed: {}", path, e.getMessage());
    }

    private void logAtMostEvery30s(String format, Object... args) {
        long now = System.nanoTime();
        if (now - lastErrorLog > 30_000_000_000L) {
            lastErrorLog = now;
            LOG.warn(format, args);
        }
    }

    /** Tries a small write to RocksDB and to the body file; clears the degraded state when both accept it again. */
    public void probeWritable() {
        if (!enter()) {
            return;
        }
        try {
            if (degraded.isEmpty()) {
                return;
            }
            try {
                byte[] key = "probe".getBytes(StandardCharsets.UTF_8);
                db.put(handles.get(0), writeOptions, key, new byte[1024]);
                db.delete(handles.get(0), writeOptions, key);
                bodyFile.free(bodyFile.write(key, new byte[4096], 4096)); // the body file too: bodies go there
                LOG.info("disk tier {}: writes accepted again", path);
                degraded = "";
            } catch (RocksDBException | IOException e) {
                // still failing
            }
        } finally {
            exit();
        }
    }

    /** Forces index maintenance (evictions) now; for tests and stats. */
    public void cleanUp() {
        index.cleanUp();
    }

    public TierStats stats() {
        long entries = index.estimatedSize();
        return new TierStats("disk", entries, bodyBytes.get() + 1024 * entries, maxBytes, bodyFile.usedBytes(), hits.sum(), misses.sum(), stores.sum(),
                evictions.sum(), removals.sum(), 0, corrupt.sum(), rejected.sum(), writeErrors.sum(), degraded);
    }

    public String degraded() {
        return degraded;
    }

    /** Body chunks read from disk since open (deliveries, promotions, readers behind a spilling body). */
    public long chunkReads() {
        return chunkReads.sum();
    }

    /** Heap the index takes now (an estimate that errs high, see {@link DiskVariants#heapBytes}). */
    public long indexBytes() {
        return indexBytes.get();
    }

    /** The index's heap budget ({@code store.disk.index-max-size}). */
    public long indexMaxBytes() {
        return indexMaxBytes;
    }

    public Path path() {
        return path;
    }

    /** Frees the native handles once no call is using them; later calls find the tier closed. */
    @Override
    public void close() {
        close(false);
    }

    /**
     * Closes as a killed process leaves the store: nothing in a memtable is flushed, so the next open recovers
     * it from the WAL alone (for tests of recovery).
     */
    void closeAsIfKilled() {
        close(true);
    }

    private void close(boolean asIfKilled) {
        lifecycle.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
        } finally {
            lifecycle.writeLock().unlock();
        }
        if (asIfKilled) {
            try {
                db.setDBOptions(MutableDBOptions.builder().setAvoidFlushDuringShutdown(true).build());
            } catch (RocksDBException e) {
                throw new IllegalStateException(e);
            }
        }
        for (ColumnFamilyHandle h : handles) {
            h.close();
        }
        db.close();
        try {
            bodyFile.close();
        } catch (IOException e) {
            LOG.warn("disk tier {}: closing {}: {}", path, bodyFile.path(), e.getMessage());
        }
        writeOptions.close();
        readOptions.close();
        chunkReadOptions.close();
        dbOptions.close();
        cfOptions.forEach(ColumnFamilyOptions::close);
    }

    /**
     * A new object being written: full chunks arrive through {@link ChunkSink#persist} and go to the body
     * file at once; {@link #commit} writes where they are with the meta record, {@link #abort} frees them.
     * Until the commit no record names them, so a crash in between leaves only free space.
     */
    public final class Write implements ChunkSink {
        private final String primaryKey;
        private final String varyKey;
        private final long generation = ThreadLocalRandom.current().nextLong();
        /**
         * Chunks persisted and not yet committed or freed: what {@link #abort} frees. Changed only under this
         * write's lock, with {@link #ended}, so a run is either handed to the records or freed, once.
         */
        private final ConcurrentHashMap<Integer, BodyFile.Extent> written =
                new ConcurrentHashMap<>();
        private boolean ended;

        Write(String primaryKey, String varyKey) {
            this.primaryKey = primaryKey;
            this.varyKey = varyKey;
        }

        @Override
        public void persist(int index, byte[] chunk, int length) {
            if (!enter()) {
                throw new UncheckedIOException(new IOException("the disk tier " + path + " is closed"));
            }
            try {
                if (!degraded.isEmpty()) {
                    rejected.increment();
                    throw new UncheckedIOException(new IOException(degraded));
                }
                try {
                    BodyFile.Extent extent = bodyFile.write(RecordCodec.chunkKey(generation, index), chunk, length);
                    BodyFile.Extent unused;
                    synchronized (this) {
                        unused = ended ? extent : written.put(index, extent); // ended: aborted meanwhile
                    }
                    if (unused != null) {
                        bodyFile.free(unused);
                    }
                } catch (IOException e) {
                    writeFailed(e);
                    throw new UncheckedIOException(e);
                }
            } finally {
                exit();
            }
        }

        @Override
        public void read(int index, BiConsumer<@Nullable ByteBuffer, @Nullable Throwable> done) {
            io.execute(() -> {
                try {
                    Optional<ByteBuffer> bytes = readChunk(generation, index, written.get(index)); // null once committed
                    if (bytes.isPresent()) {
                        done.accept(bytes.get(), null);
                    } else {
                        done.accept(null, new IllegalStateException("chunk " + index + " of generation " + generation
                                + " is missing or corrupt"));
                    }
                } catch (RocksDBException | RuntimeException e) {
                    done.accept(null, e);
                }
            });
        }

        /** Publishes the object: its chunks are all persisted (the caller flushed the last one). */
        public synchronized boolean commit(CachedResponse response, long bodyLength, long storedAtMillis) {
            if (!enter()) {
                abort();
                return false;
            }
            try {
                int count = written.size();
                if (!degraded.isEmpty() || ended) {
                    abort();
                    return false;
                }
                DiskEntry entry = new DiskEntry(varyKey, generation, bodyLength, chunkSize, count, response.surrogateKeys(),
                        response.responseTimeMillis());
                try (WriteBatch batch = new WriteBatch()) {
                    for (int i = 0; i < count; i++) {
                        BodyFile.Extent extent = written.get(i);
                        if (extent == null) {
                            abort(); // not the chunks 0..count-1: a caller's bug, never a torn object on disk
                            return false;
                        }
                        batch.put(extents, RecordCodec.chunkKey(generation, i), RecordCodec.extentValue(extent));
                    }
                    if (publish(primaryKey, entry, response, storedAtMillis, batch)) {
                        ended = true;
                        written.clear(); // the records own the runs now
                        return true;
                    }
                    abort();
                    return false;
                } catch (RocksDBException e) {
                    writeFailed(e);
                    abort();
                    return false;
                }
            } finally {
                exit();
            }
        }

        /** Frees what was written (the object will not be stored). */
        public synchronized void abort() {
            ended = true;
            for (Integer index : List.copyOf(written.keySet())) {
                BodyFile.Extent extent = written.remove(index);
                if (extent != null) {
                    bodyFile.free(extent);
                }
            }
        }

        public long generation() {
            return generation;
        }
    }

    /** Loads a stored object for delivery: its response from disk and a body streaming from disk. */
    public Optional<StoredObject> load(String primaryKey, DiskEntry entry, long storedAtMillis) {
        return readResponse(primaryKey, entry).map(r -> new StoredObject(r, body(primaryKey, entry), storedAtMillis));
    }
}
