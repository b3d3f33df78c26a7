package io.blueorigin.cdn.launcher;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a process alive while its nodes run and stops them, in reverse start order, on SIGTERM / Ctrl-C
 * (a JVM shutdown hook). Each node stops gracefully: in-flight requests get {@code server.stop-timeout}.
 */
final class NodeRunner {
    private static final Logger LOG = LoggerFactory.getLogger(NodeRunner.class);

    private NodeRunner() {}

    /** Blocks until the JVM is asked to stop, then closes {@code closeables} last-first. */
    static void runUntilStopped(List<? extends AutoCloseable> closeables) throws InterruptedException {
        List<AutoCloseable> reverse = new ArrayList<>(closeables);
        Collections.reverse(reverse);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("stopping");
            closeAll(reverse);
            stopped.countDown();
        }, "blue-origin-shutdown"));
        stopped.await();
    }

    /** Closes each, logging (not throwing) failures so the rest still close. */
    static void closeAll(List<? extends AutoCloseable> closeables) {
        for (AutoCloseable c : closeables) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("failed to stop {}: {}", c, e.toString());
            }
        }
    }
}
