package io.blueorigin.cdn.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CollapserTest {
    private final Collapser collapser = new Collapser(3, Duration.ofSeconds(30));

    @Test
    void theFirstRequestLeadsAndTheOthersFollowItsFetch() {
        Fetch first = new Fetch();
        assertThat(collapser.register("k", first)).isEqualTo(new Collapser.Registration(first, true));
        Collapser.Registration second = collapser.register("k", new Fetch());
        assertThat(second.leader()).isFalse();
        assertThat(second.fetch()).isSameAs(first);
        assertThat(collapser.collapsed()).isEqualTo(1);
        assertThat(collapser.inFlight()).isEqualTo(1);
    }

    @Test
    void settlingRemovesOnlyThatFetch() {
        Fetch old = new Fetch();
        collapser.register("k", old);
        collapser.settle("k", old);
        Fetch newer = new Fetch();
        assertThat(collapser.register("k", newer).leader()).isTrue();
        collapser.settle("k", old); // a late, repeated settle of the old fetch
        assertThat(collapser.register("k", new Fetch()).fetch()).as("the newer fetch stays").isSameAs(newer);
        collapser.settle("k", newer);
        assertThat(collapser.inFlight()).isZero();
    }

    @Test
    void aFullMapStopsCollapsingInsteadOfGrowing() {
        for (int i = 0; i < 3; i++) {
            collapser.register("k" + i, new Fetch());
        }
        Fetch extra = new Fetch();
        Collapser.Registration r = collapser.register("k9", extra);
        assertThat(r.leader()).isTrue();
        assertThat(r.fetch()).isSameAs(extra);
        assertThat(collapser.inFlight()).as("not registered").isEqualTo(3);
        assertThat(collapser.register("k9", new Fetch()).leader()).as("so nobody can follow it").isTrue();
    }

    @Test
    void hitForMissIsRememberedAndClearedWhenTheKeyBecomesCacheable() {
        assertThat(collapser.isHitForMiss("k")).isFalse();
        collapser.markHitForMiss("k");
        assertThat(collapser.isHitForMiss("k")).isTrue();
        collapser.clearHitForMiss("k");
        assertThat(collapser.isHitForMiss("k")).isFalse();
    }
}
