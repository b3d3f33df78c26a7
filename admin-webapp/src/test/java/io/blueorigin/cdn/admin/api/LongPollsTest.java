package io.blueorigin.cdn.admin.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LongPollsTest {

    /** A waiter that counts how often it was resumed. */
    private static final class Poll implements LongPolls.Waiter {
        final long after;
        final AtomicInteger resumed = new AtomicInteger();
        volatile boolean expired;

        Poll(long after) {
            this.after = after;
        }

        @Override
        public long after() {
            return after;
        }

        @Override
        public boolean expired() {
            return expired;
        }

        @Override
        public void resume(long notifiedAtNanos) {
            resumed.incrementAndGet();
        }
    }

    @Test
    void aCommitResumesOnlyThePollsWaitingForABelowId() {
        LongPolls polls = new LongPolls();
        Poll behind = new Poll(4);
        Poll ahead = new Poll(5);
        polls.park(behind, polls.generation());
        polls.park(ahead, polls.generation());

        polls.committed(5);

        assertThat(behind.resumed).hasValue(1);
        assertThat(ahead.resumed).hasValue(0);
        assertThat(polls.parkedCount()).isEqualTo(1);
    }

    @Test
    void anOwnCommitResumesItsPollsOnceAndTheNotificationThatFollowsFindsThemWoken() {
        LongPolls polls = new LongPolls();
        Poll waiting = new Poll(4);
        Poll ahead = new Poll(5);
        polls.park(waiting, polls.generation());
        polls.park(ahead, polls.generation());

        polls.committedHere(5);
        polls.committed(5); // the database's notification of the same commit

        assertThat(waiting.resumed).hasValue(1);
        assertThat(ahead.resumed).hasValue(0);
        assertThat(polls.wokenByOwnCommits()).isEqualTo(1);
        assertThat(polls.parkedCount()).isEqualTo(1);
    }

    @Test
    void aCommitBetweenReadingTheLogAndParkingIsNotLost() {
        LongPolls polls = new LongPolls();
        Poll poll = new Poll(4);
        long seen = polls.generation(); // the poll reads the log here and finds nothing...
        polls.committed(5); // ...a commit lands before it parks: the scan cannot see it yet
        assertThat(poll.resumed).hasValue(0);

        polls.park(poll, seen);

        assertThat(poll.resumed).hasValue(1);
        assertThat(polls.parkedCount()).isZero();
    }

    @Test
    void eachParkingIsResumedAtMostOnceWhateverWakesIt() {
        LongPolls polls = new LongPolls();
        Poll poll = new Poll(0);
        polls.park(poll, polls.generation());

        polls.committed(1);
        polls.wakeAll();
        poll.expired = true;
        polls.wake(poll);

        assertThat(poll.resumed).hasValue(1);
    }

    @Test
    void anExpiredPollIsResumedWhenItParksAndAParkedOneWhenWoken() {
        LongPolls polls = new LongPolls();
        Poll late = new Poll(0);
        late.expired = true; // the deadline fired while it was reading the log
        polls.park(late, polls.generation());
        assertThat(late.resumed).hasValue(1);

        Poll parked = new Poll(0);
        polls.park(parked, polls.generation());
        assertThat(parked.resumed).hasValue(0);
        parked.expired = true;
        polls.wake(parked);
        assertThat(parked.resumed).hasValue(1);
    }

    @Test
    void resynchronizeWakesEveryPollAndCloseMakesParkingReturnAtOnce() {
        LongPolls polls = new LongPolls();
        Poll a = new Poll(1);
        Poll b = new Poll(100);
        polls.park(a, polls.generation());
        polls.park(b, polls.generation());

        polls.resynchronize();
        assertThat(a.resumed).hasValue(1);
        assertThat(b.resumed).hasValue(1);

        polls.close();
        Poll c = new Poll(1);
        polls.park(c, polls.generation());
        assertThat(c.resumed).hasValue(1);
        assertThat(polls.isClosed()).isTrue();
    }

    @Test
    void aForgottenPollIsNeverResumed() {
        LongPolls polls = new LongPolls();
        Poll poll = new Poll(0);
        polls.park(poll, polls.generation());
        polls.forget(poll);
        polls.wakeAll();
        assertThat(poll.resumed).hasValue(0);
    }

    @Test
    void theNewestIdIsKnownFromCommitsOnlyUntilSomethingMayHaveBeenMissed() {
        LongPolls polls = new LongPolls();
        assertThat(polls.isLatest(0)).as("nothing told yet: unknown, every poll reads").isFalse();
        polls.committed(5);
        assertThat(polls.isLatest(5)).isTrue();
        assertThat(polls.isLatest(4)).as("behind: reads").isFalse();
        assertThat(polls.isLatest(6)).as("ahead of admin (a restored database): reads").isFalse();
        polls.committedHere(7);
        polls.committed(6); // a notification arriving late changes nothing: ids are committed in order
        assertThat(polls.isLatest(7)).isTrue();
        polls.resynchronize();
        assertThat(polls.isLatest(7)).as("notifications may have been missed").isFalse();
        polls.committed(9);
        assertThat(polls.isLatest(9)).isTrue();
    }

    @Test
    void aPollThatParksOnTheNewestIdIsWokenByTheNextCommitEvenIfItLandsBetween() {
        LongPolls polls = new LongPolls();
        polls.committed(5);
        long seen = polls.generation();
        assertThat(polls.isLatest(5)).isTrue();
        polls.committed(6); // lands between the poll's check and its parking
        Poll poll = new Poll(5);
        polls.park(poll, seen);
        assertThat(poll.resumed).hasValue(1);
    }
}
