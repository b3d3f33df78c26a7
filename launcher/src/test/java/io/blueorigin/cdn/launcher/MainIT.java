package io.blueorigin.cdn.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Start-up errors: one line naming what to change, exit status 2, nothing left listening. */
class MainIT {
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final PrintStream originalErr = System.err;

    @BeforeEach
    void captureStderr() {
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreStderr() {
        System.setErr(originalErr);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void anUnknownKeyInTheConfigFileExitsWith2NamingKeyAndFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("edge.yaml");
        Files.writeString(file, "upstream.url: http://127.0.0.1:9\nupstream.conect-timeout: 1s\n");
        assertThat(Main.run("edge", "--config", file.toString())).isEqualTo(2);
        assertThat(stderr()).contains("blue-origin: " + file + ": unknown key 'upstream.conect-timeout'")
                .contains("did you mean 'upstream.connect-timeout'?");
    }

    @Test
    void aPortInUseExitsWith2NamingThePortAndKey() throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int port = busy.getLocalPort();
            int code = Main.run("origin", "--host", "127.0.0.1", "--port", Integer.toString(port), "--management-port", "0");
            assertThat(code).isEqualTo(2);
            assertThat(stderr()).contains("127.0.0.1:" + port).contains("server.port");
        }
    }

    @Test
    void aMissingUpstreamExitsWith2() {
        assertThat(Main.run("shield", "--port", "0")).isEqualTo(2);
        assertThat(stderr()).contains("upstream.url is required for a shield node");
    }

    @Test
    void unknownFlagsAreUsageErrors() {
        assertThat(Main.run("edge", "--prot", "8080")).isEqualTo(2);
        assertThat(stderr()).contains("--prot");
    }

    @Test
    void settingsPrintsTheCatalogue() {
        PrintStream originalOut = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            assertThat(Main.run("settings")).isZero();
        } finally {
            System.setOut(originalOut);
        }
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("| `upstream.url` | edge, shield | url-list | required |");
    }
}
