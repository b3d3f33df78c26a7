package io.blueorigin.cdn.it.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ops/install.sh --root DIR --jar PATH}, run twice into a scratch root (never the live system: the user
 * and group go to DIR/etc/passwd and DIR/etc/group, systemctl is not called): the tree, owners and modes, the
 * generated secret, a second run that changes no byte, owner or mode and keeps an edited config, and the
 * installed units pass {@code systemd-analyze verify} inside that root.
 */
class InstallScriptTest {
    private static final Path ROOT = OpsPaths.repositoryRoot();

    @Test
    void installsIntoAScratchRootAndASecondRunChangesNothing(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
                "ops/install.sh creates a system user and root-owned files: it runs as root (CI does)");
        Path root = dir.resolve("root");
        Path jar = Files.write(dir.resolve("blue-origin.jar"), "not really a jar".getBytes(StandardCharsets.UTF_8));

        String first = install(root, jar);
        assertThat(first).contains("changed: user blue-origin").contains("changed: " + root.resolve("etc/blue-origin/admin.env"));
        String passwd = Files.readString(root.resolve("etc/passwd"));
        assertThat(passwd).containsPattern("(?m)^blue-origin:[^:]*:\\d+:\\d+:[^:]*:/nonexistent:/usr/sbin/nologin$");
        int gid = Integer.parseInt(Files.readString(root.resolve("etc/group")).lines()
                .filter(l -> l.startsWith("blue-origin:")).findFirst().orElseThrow().split(":")[2]);
        assertThat(gid).as("a system group").isLessThan(1000);

        assertFile(root, "opt/blue-origin/blue-origin.jar", "rw-r--r--", 0);
        assertThat(Files.readString(root.resolve("opt/blue-origin/blue-origin.jar"))).isEqualTo("not really a jar");
        assertFile(root, "etc/blue-origin", "rwxr-x---", gid);
        for (String role : SystemdUnitsTest.ROLES) {
            assertFile(root, "etc/blue-origin/" + role + ".yaml", "rw-r-----", gid);
            assertFile(root, "etc/blue-origin/" + role + ".env", "rw-r-----", gid);
            assertFile(root, "etc/systemd/system/cdn-" + role + ".service", "rw-r--r--", 0);
            assertThat(root.resolve("etc/blue-origin/" + role + ".yaml")).hasSameTextualContentAs(
                    ROOT.resolve("ops/examples/" + role + ".yaml"));
            assertThat(root.resolve("etc/systemd/system/cdn-" + role + ".service")).hasSameTextualContentAs(
                    ROOT.resolve("ops/systemd/cdn-" + role + ".service"));
        }
        Map<String, String> admin = SystemdUnitsTest.envFile(root.resolve("etc/blue-origin/admin.env"));
        assertThat(admin.get("CDN_DB_PASSWORD")).as("a generated password").matches("[A-Za-z0-9]{32}");
        assertThat(admin.get("JAVA_OPTS")).contains("-Xmx");

        // an operator's edit survives, and nothing else moves
        Path edge = root.resolve("etc/blue-origin/edge.yaml");
        Files.writeString(edge, Files.readString(edge).replace("pop: nyc", "pop: ams"));
        Map<String, String> before = snapshot(root);
        String second = install(root, jar);
        assertThat(second).as("the second run's report").doesNotContain("changed:");
        assertThat(snapshot(root)).isEqualTo(before);
        assertThat(SystemdUnitsTest.envFile(root.resolve("etc/blue-origin/admin.env"))).isEqualTo(admin);

        if (Files.isExecutable(Path.of("/usr/bin/systemd-analyze"))) {
            List<String> units = SystemdUnitsTest.ROLES.stream().map(r -> "/etc/systemd/system/cdn-" + r + ".service").toList();
            SystemdAnalyze.verify(root, units);
        }
    }

    @Test
    void refusesAMissingJarAndAnUnknownFlagWithALineSayingWhatToDo(@TempDir Path dir) throws Exception {
        Result missing = run(List.of("--root", dir.resolve("root").toString(), "--jar", dir.resolve("none.jar").toString()));
        assertThat(missing.status).isEqualTo(2);
        assertThat(missing.err).contains("install.sh: ").containsAnyOf("no jar at", "run as root");
        Result unknown = run(List.of("--rot", dir.toString()));
        assertThat(unknown.status).isEqualTo(2);
        assertThat(unknown.err).contains("unknown argument '--rot'");
        assertThat(dir.resolve("root")).doesNotExist();
    }

    private static String install(Path root, Path jar) throws IOException, InterruptedException {
        Result result = run(List.of("--root", root.toString(), "--jar", jar.toString()));
        assertThat(result.status).as("install.sh: %s%s", result.out, result.err).isZero();
        return result.out;
    }

    private record Result(int status, String out, String err) {}

    private static Result run(List<String> args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", ROOT.resolve("ops/install.sh").toString()));
        command.addAll(args);
        Process p = new ProcessBuilder(command).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("install.sh finished").isTrue();
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    private static void assertFile(Path root, String path, String mode, int gid) throws IOException {
        Path file = root.resolve(path);
        PosixFileAttributes attributes = Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        assertThat(PosixFilePermissions.toString(attributes.permissions())).as("mode of /%s", path).isEqualTo(mode);
        assertThat(Files.getAttribute(file, "unix:uid", LinkOption.NOFOLLOW_LINKS)).as("owner of /%s", path).isEqualTo(0);
        assertThat(Files.getAttribute(file, "unix:gid", LinkOption.NOFOLLOW_LINKS)).as("group of /%s", path).isEqualTo(gid);
    }

    /** Every path under {@code root}: its SHA-256 (files), mode, owner and group. */
    private static Map<String, String> snapshot(Path root) throws Exception {
        Map<String, String> snapshot = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.toList()) {
                String facts = PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS))
                        + " " + Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS)
                        + ":" + Files.getAttribute(path, "unix:gid", LinkOption.NOFOLLOW_LINKS);
                if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
                    facts += " " + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(path)));
                }
                snapshot.put(root.relativize(path).toString(), facts);
            }
        }
        return snapshot;
    }
}
