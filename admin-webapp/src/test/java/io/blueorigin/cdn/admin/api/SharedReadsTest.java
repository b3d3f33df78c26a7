package io.blueorigin.cdn.admin.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Polls a notification woke at the same position share one read; the rest read for themselves. */
class SharedReadsTest {
    private final SharedReads shared = new SharedReads();
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final AtomicInteger reads = new AtomicInteger();
    private final CountDownLatch inRead = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void stop() {
        release.countDown();
        pool.shutdownNow();
    }

    /** A read that waits for {@link #release} and answers {@code body}. */
    private SharedReads.Read blockingRead(byte[] body) {
        return () -> {
            reads.incrementAndGet();
            inRead.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return body;
        };
    }

    @Test
    void pollsOfOneKeyShareTheFirstOnesRead() throws Exception {
        byte[] body = "{\"latest\":5}".getBytes(StandardCharsets.UTF_8);
        SharedReads.Key key = new SharedReads.Key(4, 1 << 20, 7);
        Future<byte[]> first = pool.submit(() -> shared.answer(key, blockingRead(body)));
        assertThat(inRead.await(10, TimeUnit.SECONDS)).isTrue();
        List<Thread> waiters = new ArrayList<>();
        List<Future<byte[]>> others = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            others.add(pool.submit(() -> {
                synchronized (waiters) {
                    waiters.add(Thread.currentThread());
                }
                return shared.answer(key, blockingRead(body));
            }));
        }
        // all three wait for the first read (parked in its future) before it finishes
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            synchronized (waiters) {
                return waiters.size() == 3 && waiters.stream().allMatch(t -> t.getState() == Thread.State.TIMED_WAITING);
            }
        });
        release.countDown();

        assertThat(first.get(10, TimeUnit.SECONDS)).isSameAs(body);
        for (Future<byte[]> other : others) {
            assertThat(other.get(10, TimeUnit.SECONDS)).isSameAs(body);
        }
        assertThat(reads).hasValue(1);
        assertThat(shared.reading()).as("nothing kept once read").isZero();
    }

    @Test
    void anotherPositionOrAnotherNotificationReadsForItself() throws Exception {
        release.countDown();
        byte[] body = new byte[] {1};
        shared.answer(new SharedReads.Key(4, 1 << 20, 7), blockingRead(body));
        shared.answer(new SharedReads.Key(5, 1 << 20, 7), blockingRead(body));
        shared.answer(new SharedReads.Key(4, 1 << 20, 8), blockingRead(body));
        // and the same key again once the first read is over: a read is not kept
        shared.answer(new SharedReads.Key(4, 1 << 20, 7), blockingRead(body));

        assertThat(reads).hasValue(4);
        assertThat(shared.reading()).isZero();
    }

    @Test
    void aFailedReadFailsItsReaderAndSendsTheWaitersToReadForThemselves() throws Exception {
        SharedReads.Key key = new SharedReads.Key(4, 1 << 20, 7);
        Future<byte[]> first = pool.submit(() -> shared.answer(key, () -> {
            inRead.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new SQLException("connection lost");
        }));
        assertThat(inRead.await(10, TimeUnit.SECONDS)).isTrue();
        List<Thread> waiter = new ArrayList<>();
        Future<byte[]> other = pool.submit(() -> {
            synchronized (waiter) {
                waiter.add(Thread.currentThread());
            }
            return shared.answer(key, () -> new byte[] {9});
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            synchronized (waiter) {
                return waiter.size() == 1 && waiter.get(0).getState() == Thread.State.TIMED_WAITING;
            }
        });
        release.countDown();

        assertThatThrownBy(() -> first.get(10, TimeUnit.SECONDS)).hasRootCauseInstanceOf(SQLException.class);
        assertThat(other.get(10, TimeUnit.SECONDS)).as("not shared: the waiter reads for itself").isNull();
        assertThat(shared.reading()).isZero();
    }

    @Test
    void theBufferRefusesAnAnswerLargerThanTheSharedBound() throws IOException {
        SharedReads.Buffer buffer = new SharedReads.Buffer();
        buffer.write(new byte[SharedReads.MAX_SHARED_BYTES - 1], 0, SharedReads.MAX_SHARED_BYTES - 1);
        buffer.write('x');

        assertThatThrownBy(() -> buffer.write('y')).isInstanceOf(SharedReads.Buffer.TooLarge.class);
        assertThatThrownBy(() -> buffer.write(new byte[2], 0, 2)).isInstanceOf(SharedReads.Buffer.TooLarge.class);
        assertThat(buffer.toByteArray()).hasSize(SharedReads.MAX_SHARED_BYTES);
    }
}
