package io.blueorigin.cdn.admin.db;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin process's one {@code LISTEN} connection: turns PostgreSQL notifications of committed
 * invalidations into {@link Events} calls, so every admin replica wakes its long-polls on any replica's
 * commit.
 *
 * <p>Design: one daemon thread owns one plain pgjdbc connection (not from the pool: it is held forever and
 * must not count against {@code db.pool-size}). It waits in {@link PGConnection#getNotifications(int)} for
 * at most {@link #POLL}; when nothing arrived it runs {@code SELECT 1}, so a connection that died silently is
 * noticed. When the connection fails, the thread reconnects with exponential backoff ({@link #MIN_BACKOFF}
 * to {@link #MAX_BACKOFF}); while it is not listening, {@link #isListening()} is false and the owner falls
 * back to re-querying. After every (re)connection {@link Events#resynchronize()} is called, because
 * notifications sent while nobody listened are lost.
 *
 * <p>It may listen on several channels ({@link #start(DatabaseConfig, String, Map)}): the invalidation log's
 * and the routing version's share the connection and the thread.
 *
 * <p>Threading: {@code listening}, {@code closed} and {@code current} are volatile; {@code current} is
 * written only by the listener thread, and read by {@link #close()} to abort a blocked wait.
 */
public final class NotificationListener implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NotificationListener.class);
    /** The channel {@link InvalidationLog#append} notifies, with the new id as payload. */
    public static final String CHANNEL = "cdn_invalidations";
    static final Duration POLL = Duration.ofSeconds(5);
    static final Duration MIN_BACKOFF = Duration.ofMillis(100);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(2);

    /** What the listener reports. Called on the listener thread: implementations must not block. */
    public interface Events {
        /** Entries up to {@code id} were committed (maybe by another admin replica). */
        void committed(long id);

        /** Notifications may have been missed (listening just (re)started): everyone should look again. */
        void resynchronize();
    }

    private final DatabaseConfig config;
    private final String name;
    /** What each channel's notifications are reported to (immutable). */
    private final Map<String, Events> channels;
    private final Thread thread;
    private volatile boolean listening;
    private volatile boolean closed;
    private volatile @Nullable Connection current;

    private NotificationListener(DatabaseConfig config, String name, Map<String, Events> channels) {
        this.config = config;
        this.name = name;
        this.channels = Map.copyOf(channels);
        this.thread = new Thread(this::run, name);
        thread.setDaemon(true);
    }

    /** Starts listening on a daemon thread called {@code name}; returns at once (connecting is asynchronous). */
    public static NotificationListener start(DatabaseConfig config, String name, Events events) {
        return start(config, name, Map.of(CHANNEL, requireNonNull(events, "events is null")));
    }

    /**
     * Starts listening on each channel of {@code channels} (e.g. {@value #CHANNEL} and
     * {@link RoutingVersion#CHANNEL}) on one connection and daemon thread; each channel's notifications go to
     * its {@link Events}, and a (re)connection resynchronises them all.
     */
    public static NotificationListener start(DatabaseConfig config, String name, Map<String, Events> channels) {
        if (requireNonNull(channels, "channels is null").isEmpty()) {
            throw new IllegalArgumentException("no channel to listen on");
        }
        for (String channel : channels.keySet()) {
            if (!channel.matches("[a-z_][a-z0-9_]*")) {
                throw new IllegalArgumentException("not a plain channel name: " + channel);
            }
        }
        NotificationListener listener = new NotificationListener(requireNonNull(config, "config is null"),
                requireNonNull(name, "name is null"), channels);
        listener.thread.start();
        return listener;
    }

    /** Whether the {@code LISTEN} connection is up; when false, notifications may be missed. */
    public boolean isListening() {
        return listening;
    }

    private void run() {
        long backoffMillis = MIN_BACKOFF.toMillis();
        boolean down = false;
        while (!closed) {
            try (Connection connection = connect()) {
                current = connection;
                if (closed) {
                    return;
                }
                try (Statement statement = connection.createStatement()) {
                    for (String channel : channels.keySet()) {
                        statement.execute("LISTEN " + channel); // names checked in start(): plain identifiers
                    }
                    listening = true;
                    backoffMillis = MIN_BACKOFF.toMillis();
                    if (down) {
                        LOG.info("{}: listening for invalidation commits again", name);
                        down = false;
                    }
                    channels.values().forEach(Events::resynchronize);
                    listen(connection.unwrap(PGConnection.class), statement);
                }
            } catch (SQLException | RuntimeException e) {
                listening = false;
                if (closed) {
                    return;
                }
                if (!down) {
                    LOG.warn("{}: lost the LISTEN connection to PostgreSQL at {} ({}); long-polls re-query every second"
                            + " until it is back, reconnecting", name, config.url(), e.toString());
                    down = true;
                }
                if (!sleep(backoffMillis)) {
                    return;
                }
                backoffMillis = Math.min(backoffMillis * 2, MAX_BACKOFF.toMillis());
            } finally {
                listening = false;
                current = null;
            }
        }
    }

    private void listen(PGConnection connection, Statement statement) throws SQLException {
        while (!closed) {
            PGNotification[] notifications = connection.getNotifications((int) POLL.toMillis());
            if (notifications == null || notifications.length == 0) {
                statement.execute("SELECT 1"); // a dead connection fails here instead of waiting forever
                continue;
            }
            Map<String, Long> highest = new HashMap<>(); // per channel
            for (PGNotification notification : notifications) {
                long value;
                try {
                    value = Long.parseLong(notification.getParameter());
                } catch (NumberFormatException e) {
                    value = Long.MAX_VALUE; // not ours (someone ran NOTIFY by hand): wake everyone
                }
                highest.merge(notification.getName(), value, Math::max);
            }
            highest.forEach((channel, value) -> {
                Events events = channels.get(channel);
                if (events == null) {
                    return;
                }
                if (value == Long.MAX_VALUE) {
                    events.resynchronize();
                } else {
                    events.committed(value);
                }
            });
        }
    }

    private Connection connect() throws SQLException {
        return Database.connectDirectly(config, name);
    }

    /** Sleeps unless closed meanwhile; false when closed. */
    private boolean sleep(long millis) {
        try {
            TimeUnit.MILLISECONDS.sleep(millis);
            return !closed;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Stops the thread: aborts a blocked wait and interrupts a backoff sleep, then waits for it briefly. */
    @Override
    public void close() {
        closed = true;
        Connection connection = current;
        if (connection != null) {
            try {
                connection.abort(Runnable::run);
            } catch (SQLException e) {
                LOG.trace("IGNORED", e);
            }
        }
        thread.interrupt();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
