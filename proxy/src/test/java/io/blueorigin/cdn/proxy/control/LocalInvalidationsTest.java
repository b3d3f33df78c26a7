package io.blueorigin.cdn.proxy.control;

import static org.assertj.core.api.Assertions.assertThat;

import io.blueorigin.cdn.httpcache.CachedResponse;
import io.blueorigin.cdn.httpcache.VaryKey;
import io.blueorigin.cdn.storage.ChunkedBody;
import io.blueorigin.cdn.storage.StoredObject;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class LocalInvalidationsTest {
    private final LocalInvalidations local = new LocalInvalidations();

    private static StoredObject object(long responseTime) {
        CachedResponse r = new CachedResponse(200, List.of(), responseTime, responseTime, 0, 60_000, 0, 0, false, false, false,
                Optional.empty(), -1, -1, List.of(), VaryKey.NONE, List.of(), 0);
        return new StoredObject(r, new ChunkedBody(new byte[0][], 4096), responseTime);
    }

    @Test
    void withNothingAppliedTheStoredObjectPassesUnchanged() {
        StoredObject o = object(1_000);
        assertThat(local.screen("default /a", o, 2_000)).isSameAs(o);
    }

    @Test
    void aBanHidesOlderMatchingObjectsOnly() {
        local.addBan(new Ban(1, "prefix", "/a", 5_000, Long.MAX_VALUE));
        assertThat(local.screen("default /a/1", object(4_000), 6_000)).isNull();
        assertThat(local.screen("default /a/1", object(5_001), 6_000)).isNotNull();
        assertThat(local.screen("default /b", object(4_000), 6_000)).isNotNull();
        local.retireBans(b -> b.id() == 1);
        assertThat(local.screen("default /a/1", object(4_000), 6_000)).isNotNull();
    }

    @Test
    void aSoftPurgeAllMakesOlderObjectsStaleNotGone() {
        local.softPurgeAll(5_000);
        StoredObject old = local.screen("default /a", object(4_000), 6_000);
        assertThat(old).isNotNull();
        assertThat(old.response().isFresh(6_000)).isFalse();
        StoredObject newer = object(5_500);
        assertThat(local.screen("default /a", newer, 6_000)).isSameAs(newer);
    }

    @Test
    void waitersCompleteWhenTheirIdIsAppliedInOrder() {
        CompletableFuture<Boolean> three = local.whenApplied(3, 60_000);
        CompletableFuture<Boolean> five = local.whenApplied(5, 60_000);
        local.applied(4);
        assertThat(three).isCompletedWithValue(true);
        assertThat(five).isNotDone();
        local.applied(5);
        assertThat(five).isCompletedWithValue(true);
        assertThat(local.whenApplied(2, 0)).as("already applied").isCompletedWithValue(true);
    }

    @Test
    void aWaiterGivesUpWithFalseAfterItsTimeout() {
        CompletableFuture<Boolean> never = local.whenApplied(9, 1);
        assertThat(never.join()).isFalse();
    }

    /** A held request whose wait timed out leaves nothing behind: no map entry, for any number of them. */
    @Test
    void waitersThatTimeOutLeaveTheMapAtOnce() {
        List<CompletableFuture<Boolean>> waits = new java.util.ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            waits.add(local.whenApplied(100 + i % 7, 1));
        }
        CompletableFuture<Boolean> answered = local.whenApplied(3, 60_000);
        waits.forEach(w -> assertThat(w.join()).isFalse());
        assertThat(local.waiting()).as("only the one still waiting").isEqualTo(1);
        local.applied(3);
        assertThat(answered).isCompletedWithValue(true);
        assertThat(local.waiting()).isZero();
    }
}
