package io.blueorigin.cdn.testkit;

import io.blueorigin.cdn.proxy.ProxyNode;
import io.blueorigin.cdn.proxy.upstream.CircuitBreaker;
import io.blueorigin.cdn.proxy.upstream.Upstream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The resources a request takes on a proxy node, all back at rest: every upstream's gate (no permit held,
 * none queued), breaker (closed, no probe out) and the collapser (no fetch in flight, no follower waiting).
 * A hostile request that leaked any of them would show here.
 */
public final class AtRest {
    private AtRest() {}

    /** Waits (bounded) until every edge and shield of {@code cdn} is at rest, failing with what is not. */
    public static void await(TestCluster cdn) {
        List<ProxyNode> nodes = new ArrayList<>(cdn.edges());
        nodes.addAll(cdn.shields());
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20)).untilAsserted(() -> {
            List<String> busy = new ArrayList<>();
            for (ProxyNode node : nodes) {
                busy.addAll(whatIsBusy(node));
            }
            if (!busy.isEmpty()) {
                throw new AssertionError("not at rest: " + busy);
            }
        });
    }

    /** What is held on {@code node} now (empty at rest). */
    public static List<String> whatIsBusy(ProxyNode node) {
        List<String> busy = new ArrayList<>();
        String name = node.identity().name();
        for (Upstream u : node.cache().upstreams().all()) {
            if (u.gate().inFlight() != 0 || u.gate().queued() != 0) {
                busy.add(name + " -> " + u + ": gate inFlight " + u.gate().inFlight() + ", queued " + u.gate().queued());
            }
            if (u.breaker().state() != CircuitBreaker.State.CLOSED || u.breaker().isProbing()) {
                busy.add(name + " -> " + u + ": breaker " + u.breaker().state() + (u.breaker().isProbing() ? " probing" : ""));
            }
        }
        ProxyNode.CollapsingStats c = node.collapsing();
        if (c.inFlight() != 0 || c.waiting() != 0) {
            busy.add(name + ": collapsing inFlight " + c.inFlight() + ", waiting " + c.waiting());
        }
        return busy;
    }
}
