package io.blueorigin.cdn.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.blueorigin.cdn.router.EdgeCandidate.State;
import io.blueorigin.cdn.router.RouteDecision.Reason;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The invariants of {@link EdgeCandidate} and {@link RouteDecision}, checked where they are built. */
class EdgeCandidateTest {
    private static final Coordinates LHR = new Coordinates(51.47, -0.45);
    private static final URI URL = URI.create("http://lhr-1.cdn.test");

    @Test
    void rejectsWhatCouldNotBeRoutedTo() {
        assertThatThrownBy(() -> new EdgeCandidate("lhr-1", "lhr", LHR, URL, 0, State.HEALTHY))
                .hasMessage("edge lhr-1 weight : 0 (expected: >= 1)");
        assertThatThrownBy(() -> new EdgeCandidate("lhr-1", "lhr", LHR, URI.create("/relative"), 1, State.HEALTHY))
                .hasMessageContaining("expected: an absolute URL");
        assertThatThrownBy(() -> new EdgeCandidate(" ", "lhr", LHR, URL, 1, State.HEALTHY))
                .hasMessageContaining("edge name");
        assertThatThrownBy(() -> new EdgeCandidate("lhr-1", "", LHR, URL, 1, State.HEALTHY))
                .hasMessageContaining("pop");
    }

    @Test
    void withStateChangesOnlyTheState() {
        EdgeCandidate healthy = new EdgeCandidate("lhr-1", "lhr", LHR, URL, 3, State.HEALTHY);

        assertThat(healthy.withState(State.DRAINING))
                .isEqualTo(new EdgeCandidate("lhr-1", "lhr", LHR, URL, 3, State.DRAINING));
    }

    @Test
    void aDecisionHasAChoiceExactlyWhenSomethingIsAvailable() {
        EdgeCandidate edge = new EdgeCandidate("lhr-1", "lhr", LHR, URL, 1, State.HEALTHY);

        assertThat(RouteDecision.noneAvailable().chosen()).isEmpty();
        assertThatThrownBy(() -> new RouteDecision(null, 0, List.of(), Reason.NEAREST))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RouteDecision(edge, 0, List.of(), Reason.NONE_AVAILABLE))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RouteDecision(edge, 0, List.of(edge), Reason.NEAREST))
                .hasMessageContaining("without the choice");
    }
}
