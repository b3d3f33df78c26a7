package io.blueorigin.cdn.proxy;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * One upstream exchange that any number of subscribers wait on: each gets the {@link FetchOutcome} once,
 * on the thread that published it, or at once when subscribing after it was published. The fetch itself is
 * independent of its subscribers: a client that goes away does not cancel it.
 */
final class Fetch {
    /** Guarded by this. */
    private @Nullable FetchOutcome outcome;
    /** Guarded by this; emptied when the outcome is published. */
    private List<Consumer<FetchOutcome>> subscribers = new ArrayList<>(2);

    /** Calls {@code subscriber} with the outcome, now if it is known, else when it is. */
    void subscribe(Consumer<FetchOutcome> subscriber) {
        FetchOutcome known;
        synchronized (this) {
            known = outcome;
            if (known == null) {
                subscribers.add(subscriber);
                return;
            }
        }
        subscriber.accept(known);
    }

    /** Publishes the outcome to every subscriber, once; later calls are ignored. */
    void publish(FetchOutcome result) {
        List<Consumer<FetchOutcome>> waiting;
        synchronized (this) {
            if (outcome != null) {
                return;
            }
            outcome = result;
            waiting = subscribers;
            subscribers = List.of();
        }
        for (Consumer<FetchOutcome> s : waiting) {
            s.accept(result);
        }
    }

    synchronized boolean isPublished() {
        return outcome != null;
    }
}
