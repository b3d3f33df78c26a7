package io.blueorigin.cdn.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.blueorigin.cdn.runtime.Node;
import io.blueorigin.cdn.runtime.StartupException;
import io.blueorigin.cdn.testkit.FreePort;
import io.blueorigin.cdn.testkit.Reply;
import io.blueorigin.cdn.testkit.TestClient;
import io.blueorigin.cdn.testkit.TestOrigin;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code blue-origin nodes edge ... + shield ...}: several nodes in one JVM (bench/fleet.sh's FLEET_PACKS), each with
 * its own ports, settings and store; a part that fails stops the nodes already started.
 */
class NodesCommandIT {

    @Test
    void runsAShieldAndAnEdgeBehindItInOneProcess(@TempDir Path dir) throws Exception {
        try (TestOrigin origin = TestOrigin.start(); TestClient client = new TestClient()) {
            origin.on("/one", Reply.ok("one").withHeader("Cache-Control", "max-age=60"));
            int shield = FreePort.take();
            java.nio.file.Files.createDirectories(dir.resolve("s"));
            java.nio.file.Files.createDirectories(dir.resolve("e"));
            List<Node> nodes = Main.NodesCommand.startAll(List.of(
                    "shield", "--host", "127.0.0.1", "--port", Integer.toString(shield), "--management-port", "0", "--name",
                    "shield-a", "--pop", "a", "--upstream", origin.uri().toString(), "--set", "store.disk.path=" + dir.resolve("s"),
                    "+",
                    "edge", "--host", "127.0.0.1", "--port", "0", "--management-port", "0", "--name", "edge-a", "--pop", "a",
                    "--upstream", "http://127.0.0.1:" + shield, "--set", "store.disk.path=" + dir.resolve("e")));
            try {
                assertThat(nodes).extracting(n -> n.identity().name()).containsExactly("shield-a", "edge-a");
                URI edge = nodes.get(1).uri();
                assertThat(client.get(URI.create(edge + "/one")).getContentAsString()).isEqualTo("one");
                assertThat(client.get(URI.create(edge + "/one")).getHeaders().get("X-Cache")).isEqualTo("HIT");
                assertThat(origin.count("/one")).isEqualTo(1);
            } finally {
                NodeRunner.closeAll(nodes);
            }
        }
    }

    @Test
    void aPartThatCannotStartStopsTheNodesStartedBeforeIt() throws Exception {
        int first = FreePort.take();
        List<String> args = new ArrayList<>(List.of("edge", "--host", "127.0.0.1", "--port", Integer.toString(first),
                "--management-port", "0", "--name", "edge-first", "--upstream", "http://127.0.0.1:9"));
        args.addAll(List.of("+", "edge", "--host", "127.0.0.1", "--port", Integer.toString(first), "--management-port", "0",
                "--name", "edge-same-port", "--upstream", "http://127.0.0.1:9"));
        assertThatThrownBy(() -> Main.NodesCommand.startAll(args)).isInstanceOf(RuntimeException.class);
        try (ServerSocket again = new ServerSocket(first, 50, java.net.InetAddress.getByName("127.0.0.1"))) {
            assertThat(again.getLocalPort()).as("the first edge was stopped: its port is free").isEqualTo(first);
        }
    }

    @Test
    void anEmptyPartOrAnotherRoleIsAStartupError() {
        assertThatThrownBy(() -> Main.NodesCommand.startAll(List.of("edge", "--port", "0", "+", "+", "edge")))
                .isInstanceOf(StartupException.class).hasMessageContaining("an empty part");
        assertThatThrownBy(() -> Main.NodesCommand.startAll(List.of("router", "--port", "0")))
                .isInstanceOf(StartupException.class).hasMessageContaining("'router' is not a node this command runs");
    }
}
