package io.blueorigin.cdn.admin.api;

import static java.util.Objects.requireNonNull;

import com.codahale.metrics.LockFreeExponentiallyDecayingReservoir;
import com.codahale.metrics.Timer;
import io.blueorigin.cdn.admin.db.NotificationListener;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The long-polls of this admin process that are waiting for the log to grow, and what wakes them: a commit
 * (this replica's own, told by the API as soon as it commits: {@link #committedHere}; every replica's, told by
 * the database's notification, which for an own commit then finds its polls already woken: {@link #committed}),
 * a resynchronisation ({@link #wakeAll}), a poll's deadline ({@link #wake}), or shutdown ({@link #close}). No
 * thread waits: a parked poll is an entry in a set, and waking it dispatches it to the container's pool
 * ({@link Waiter#resume}), where it re-reads the log.
 *
 * <p>Invariants:
 * <ul>
 *   <li>Exactly one party resumes a parked poll: whoever removes it from {@code parked} ({@code remove}
 *       returns true once per {@code add}). So a poll never runs twice at once.
 *   <li>No lost wake-up: a poll reads {@link #generation()} before it reads the log, and {@link #park}
 *       re-checks the generation after adding it; every wake increments the generation before it scans the
 *       set. A notification that lands between the poll's read and its parking is therefore either seen by
 *       the scan or by the re-check.
 *   <li>{@link #isLatest}: the newest id a commit was told with is set before the generation moves, and
 *       forgotten (before it moves) on a resynchronisation, when notifications may have been missed. Ids are
 *       committed in order (the log's lock), so while notifications arrive without a gap it is the log's newest
 *       entry, and any later commit moves the generation after it: a poll that read the generation first and
 *       then finds its {@code after} equal to it may park without reading the log, by the rule above.
 * </ul>
 * Thread-safe: a concurrent set, an atomic counter and a volatile flag.
 */
final class LongPolls implements NotificationListener.Events {

    /** A parked long-poll. */
    interface Waiter {
        /** The id the poll waits to see exceeded. */
        long after();

        /** Whether its wait is over (it must answer when it next runs). */
        boolean expired();

        /**
         * Runs the poll again (on another thread); called only by whoever unparked it.
         *
         * @param notifiedAtNanos {@link System#nanoTime()} when a commit notification woke it, 0 for any other wake
         */
        void resume(long notifiedAtNanos);
    }

    /** From a commit notification to the answer of a poll it woke (see {@link #answered}). */
    private final Timer wakeTimes = new Timer(LockFreeExponentiallyDecayingReservoir.builder().build());

    private final Set<Waiter> parked = ConcurrentHashMap.newKeySet();
    private final AtomicLong generation = new AtomicLong();
    /** The newest id a commit was told with since the last resynchronisation; -1: none (see the invariants). */
    private final AtomicLong latest = new AtomicLong(-1);
    private final LongAdder wokenByOwnCommits = new LongAdder();
    private volatile boolean closed;

    /** Read before reading the log; pass to {@link #park}. */
    long generation() {
        return generation.get();
    }

    /**
     * Parks {@code waiter}, which found nothing new after reading the log at {@code seenGeneration}; resumes
     * it at once if something happened since, if it expired, or if this registry is closed.
     */
    void park(Waiter waiter, long seenGeneration) {
        requireNonNull(waiter, "waiter is null");
        parked.add(waiter);
        if (generation.get() != seenGeneration || waiter.expired() || closed) {
            unpark(waiter);
        }
    }

    /** Entries up to {@code id} were committed (the database's notification): resumes the polls waiting for them. */
    @Override
    public void committed(long id) {
        wakeUpTo(id);
    }

    /**
     * This replica committed entries up to {@code id}: resumes the polls waiting here for them now, without
     * waiting for the database's notification of it (which then finds them woken).
     */
    void committedHere(long id) {
        wokenByOwnCommits.add(wakeUpTo(id));
    }

    /** Polls resumed by {@link #committedHere} since start (tests). */
    long wokenByOwnCommits() {
        return wokenByOwnCommits.sum();
    }

    /**
     * Whether {@code after} is the newest id committed, as far as the commits told here show (see the
     * invariants): a poll that read {@link #generation()} before asking may then park without reading the log.
     * False whenever this is not known (at start, after a resynchronisation).
     */
    boolean isLatest(long after) {
        return after == latest.get();
    }

    /** Resumes the polls waiting for an id up to {@code id}; how many it resumed. */
    private int wakeUpTo(long id) {
        long now = System.nanoTime();
        latest.accumulateAndGet(id, Math::max);
        generation.incrementAndGet();
        int woken = 0;
        for (Waiter waiter : parked) {
            if (waiter.after() < id && unpark(waiter, now)) {
                woken++;
            }
        }
        return woken;
    }

    /** Something may have been missed (listener reconnected, or it is down and this is the fallback tick). */
    @Override
    public void resynchronize() {
        wakeAll();
    }

    /** Resumes every parked poll, and forgets the newest id known (something may have been missed). */
    void wakeAll() {
        latest.set(-1);
        generation.incrementAndGet();
        for (Waiter waiter : parked) {
            unpark(waiter);
        }
    }

    /** Resumes {@code waiter} if it is parked (its deadline passed). */
    void wake(Waiter waiter) {
        unpark(waiter);
    }

    /** Forgets {@code waiter} without resuming it (its request ended otherwise). */
    void forget(Waiter waiter) {
        parked.remove(waiter);
    }

    /** From now on polls answer at once; the parked ones are resumed to answer now. */
    void close() {
        closed = true;
        wakeAll();
    }

    boolean isClosed() {
        return closed;
    }

    /** How many polls are parked now (for tests and metrics). */
    int parkedCount() {
        return parked.size();
    }

    private void unpark(Waiter waiter) {
        unpark(waiter, 0);
    }

    private boolean unpark(Waiter waiter, long notifiedAtNanos) {
        if (parked.remove(waiter)) {
            waiter.resume(notifiedAtNanos);
            return true;
        }
        return false;
    }

    /**
     * A poll a commit notification woke at {@code notifiedAtNanos} has written its answer: the admin's share of a
     * purge's way to the nodes (reading the log, writing the answer, waiting for a thread), timed.
     */
    void answered(long notifiedAtNanos) {
        wakeTimes.update(System.nanoTime() - notifiedAtNanos, TimeUnit.NANOSECONDS);
    }

    /** The times {@link #answered} recorded. */
    Timer wakeTimes() {
        return wakeTimes;
    }
}
