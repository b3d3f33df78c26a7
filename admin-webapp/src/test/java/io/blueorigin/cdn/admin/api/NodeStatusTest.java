package io.blueorigin.cdn.admin.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.blueorigin.cdn.admin.db.Ack;
import io.blueorigin.cdn.admin.db.Node;
import io.blueorigin.cdn.runtime.Role;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NodeStatusTest {
    private static final Instant NOW = Instant.parse("2026-11-25T03:20:00Z");
    private static final Duration DOWN_AFTER = Duration.ofSeconds(30);

    /** row | seconds since the last heartbeat | node's lastApplied | acked entry 10? | status of entry 10. */
    @ParameterizedTest(name = "row {0}: heartbeat {1}s ago, lastApplied {2}, acked {3} -> {4}")
    @CsvSource({
        "1,  0,  9, false, PENDING",
        "2, 30,  9, false, PENDING",
        "3, 31,  9, false, DOWN",
        "4,  0,  9, true,  APPLIED",
        "5, 99,  9, true,  APPLIED",
        "6,  0, 10, false, APPLIED",
        "7, 99, 11, false, APPLIED",
    })
    void classifies(int row, long heartbeatSecondsAgo, long lastApplied, boolean acked, NodeStatus.State expected) {
        Node node = new Node(1, "edge-nyc", Role.EDGE, "nyc", "http://127.0.0.1:8080", "http://127.0.0.1:18080",
                NOW.minusSeconds(3600), NOW.minusSeconds(heartbeatSecondsAgo), lastApplied);
        Optional<Ack> ack = acked ? Optional.of(new Ack(10, NOW, 1)) : Optional.empty();
        assertThat(NodeStatus.of(node, ack, 10, NOW, DOWN_AFTER)).isEqualTo(expected);
        assertThat(NodeStatus.alive(node, NOW, DOWN_AFTER)).isEqualTo(heartbeatSecondsAgo <= 30);
    }
}
