package io.blueorigin.cdn.storage.rocks;

import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Free space of the body file ({@link BodyFile}), in blocks: which runs of blocks below the high-water mark
 * are free, and where the next run is placed.
 *
 * <ul>
 *   <li><b>Placement</b>: best fit (the smallest free run that holds the request, the lowest such run on a
 *       tie), else at the high-water mark, which then grows. There is no fixed capacity: the disk tier's
 *       budget bounds what is stored, and the file holds that plus the bodies being written plus the holes
 *       between runs.</li>
 *   <li><b>Coalescing</b>: a freed run merges with the free runs on either side, so free space is always a
 *       set of maximal runs, none touching another. A free run that reaches the high-water mark lowers the
 *       mark instead of staying in the set.</li>
 *   <li><b>Rebuilding</b>: at open the file's used runs are {@link #reserve reserved} one by one, in any
 *       order; what is left between them below the mark is free.</li>
 *   <li><b>Refusals</b>: freeing a run that is not wholly in use, or reserving one that is not wholly free
 *       or beyond the mark, changes nothing and returns false: the caller's records disagree with each other
 *       (a damaged store), and a refused call keeps a run from being handed out twice.</li>
 * </ul>
 *
 * Thread-safe: every method holds the allocator's lock for a few tree operations.
 */
final class ExtentAllocator {
    /** Free runs: first block to length. Maximal, none touching another, all below {@link #end}. */
    private final TreeMap<Long, Long> byStart = new TreeMap<>();
    /** The same runs by length: length to first blocks, for best fit. */
    private final TreeMap<Long, NavigableSet<Long>> byLength = new TreeMap<>();
    /** The high-water mark: every block at or after it is free and not in the sets. */
    private long end;
    private long freeBlocks;

    /** Takes a run of {@code blocks} blocks and returns its first block. */
    synchronized long allocate(long blocks) {
        if (blocks <= 0) {
            throw new IllegalArgumentException("blocks must be positive: " + blocks);
        }
        Map.Entry<Long, NavigableSet<Long>> fit = byLength.ceilingEntry(blocks);
        if (fit == null) {
            long start = end;
            end += blocks;
            return start;
        }
        long length = fit.getKey();
        long start = fit.getValue().first();
        removeFree(start, length);
        if (length > blocks) {
            addFree(start + blocks, length - blocks);
        }
        return start;
    }

    /** Returns a run taken by {@link #allocate} or {@link #reserve}; false (nothing changed) if it was not in use. */
    synchronized boolean free(long start, long blocks) {
        if (blocks <= 0 || start < 0 || start + blocks > end || overlapsFree(start, blocks)) {
            return false;
        }
        long first = start;
        long length = blocks;
        Map.Entry<Long, Long> before = byStart.lowerEntry(start);
        if (before != null && before.getKey() + before.getValue() == start) {
            removeFree(before.getKey(), before.getValue());
            first = before.getKey();
            length += before.getValue();
        }
        Long after = byStart.get(start + blocks);
        if (after != null) {
            removeFree(start + blocks, after);
            length += after;
        }
        if (first + length == end) {
            end = first;
        } else {
            addFree(first, length);
        }
        return true;
    }

    /** Marks a run as used while the file's contents are read back at open; false if any of it is already in use. */
    synchronized boolean reserve(long start, long blocks) {
        if (blocks <= 0 || start < 0) {
            return false;
        }
        if (start >= end) {
            if (start > end) {
                addFree(end, start - end);
            }
            end = start + blocks;
            return true;
        }
        Map.Entry<Long, Long> run = byStart.floorEntry(start);
        if (run == null || run.getKey() + run.getValue() < start + blocks) {
            return false;
        }
        long runStart = run.getKey();
        long runLength = run.getValue();
        removeFree(runStart, runLength);
        if (start > runStart) {
            addFree(runStart, start - runStart);
        }
        long tail = runStart + runLength - (start + blocks);
        if (tail > 0) {
            addFree(start + blocks, tail);
        }
        return true;
    }

    /** The high-water mark: the file need not be longer than this many blocks. */
    synchronized long end() {
        return end;
    }

    /** Blocks below the high-water mark that are free (holes). */
    synchronized long freeBlocks() {
        return freeBlocks;
    }

    /** Number of free runs below the high-water mark. */
    synchronized int freeRuns() {
        return byStart.size();
    }

    private boolean overlapsFree(long start, long blocks) {
        Map.Entry<Long, Long> before = byStart.floorEntry(start);
        if (before != null && before.getKey() + before.getValue() > start) {
            return true;
        }
        Long next = byStart.higherKey(start);
        return next != null && next < start + blocks;
    }

    private void addFree(long start, long length) {
        byStart.put(start, length);
        byLength.computeIfAbsent(length, l -> new TreeSet<>()).add(start);
        freeBlocks += length;
    }

    private void removeFree(long start, long length) {
        byStart.remove(start);
        NavigableSet<Long> starts = byLength.get(length);
        starts.remove(start);
        if (starts.isEmpty()) {
            byLength.remove(length);
        }
        freeBlocks -= length;
    }
}
