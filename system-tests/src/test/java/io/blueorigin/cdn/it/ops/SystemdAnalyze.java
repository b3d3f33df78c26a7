package io.blueorigin.cdn.it.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * {@code systemd-analyze verify --root=DIR} on units installed under a scratch root. verify resolves the units'
 * dependencies and checks that {@code ExecStart}'s binary is executable, both inside the root: {@link #verify}
 * gives the root stub targets (what the units name in {@code Wants=}/{@code WantedBy=} and what
 * systemd adds by default) and an executable {@code /usr/bin/java}, so the shipped units are checked unchanged.
 * Unknown keys and unparsable values are only warnings for systemd (exit status 0): any output fails too.
 */
final class SystemdAnalyze {
    private static final Path BINARY = Path.of("/usr/bin/systemd-analyze");
    /** The targets the units reference or systemd adds to every service (DefaultDependencies=yes). */
    private static final List<String> STUB_UNITS = List.of("sysinit.target", "basic.target", "shutdown.target",
            "multi-user.target", "network-online.target");

    private SystemdAnalyze() {}

    /** Skips the calling test, saying why, when systemd-analyze is not installed. */
    static void assumeInstalled() {
        Assumptions.assumeTrue(Files.isExecutable(BINARY),
                "systemd-analyze is not installed (apt-get install systemd): the units are not verified here");
    }

    /**
     * Verifies {@code units} (paths inside {@code root}, e.g. {@code /etc/systemd/system/cdn-edge.service})
     * and fails with systemd's own words when it finds anything to say.
     */
    static void verify(Path root, List<String> units) throws IOException, InterruptedException {
        Path lib = Files.createDirectories(root.resolve("usr/lib/systemd/system"));
        for (String unit : STUB_UNITS) {
            if (!Files.exists(lib.resolve(unit))) {
                Files.writeString(lib.resolve(unit), "[Unit]\nDescription=stub for systemd-analyze verify\n");
            }
        }
        Path java = root.resolve("usr/bin/java");
        if (!Files.exists(java)) {
            Files.createDirectories(java.getParent());
            Files.writeString(java, "#!/bin/sh\nexit 0\n");
            Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        List<String> command = new ArrayList<>(List.of(BINARY.toString(), "verify", "--man=no", "--root=" + root));
        command.addAll(units);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("systemd-analyze verify finished").isTrue();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(output).as("systemd-analyze verify %s says", units).isEmpty();
        assertThat(p.exitValue()).as("systemd-analyze verify exit status").isZero();
    }
}
