package io.blueorigin.cdn.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code blue-origin sign}'s options: durations, and bad options as exit 2 with a message (no admin needed). */
class SignCommandTest {
    @Test
    void durations() {
        assertThat(SignCommand.seconds("90s")).isEqualTo(90);
        assertThat(SignCommand.seconds("30m")).isEqualTo(1800);
        assertThat(SignCommand.seconds("1h")).isEqualTo(3600);
        assertThat(SignCommand.seconds("7d")).isEqualTo(604_800);
        assertThat(SignCommand.seconds("1 h")).isEqualTo(-1);
        assertThat(SignCommand.seconds("1w")).isEqualTo(-1);
        assertThat(SignCommand.seconds("")).isEqualTo(-1);
    }

    private static String run(int expectedExit, String... args) {
        CommandLine cli = new CommandLine(new SignCommand());
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));
        cli.setOut(new PrintWriter(new StringWriter()));
        assertThat(cli.execute(args)).as(err.toString()).isEqualTo(expectedExit);
        return err.toString();
    }

    @Test
    void badOptionsSayWhich() {
        String base = "--admin-url=http://127.0.0.1:1 --site=www --path=/private/a";
        assertThat(run(2, (base + " --token=t --expires-in=soon").split(" "))).contains("--expires-in");
        assertThat(run(2, (base + " --token=t --expires-in=0s").split(" "))).contains("--expires-in");
        assertThat(run(2, base.split(" "))).contains("exactly one of --token and --token-file");
        assertThat(run(2, (base + " --token=t --token-file=/nonexistent").split(" "))).contains("exactly one");
        assertThat(run(2, (base + " --token-file=/nonexistent/token").split(" "))).contains("cannot read");
        assertThat(run(2, "--site=www --path=/a --token=t".split(" "))).contains("--admin-url");
    }

    @Test
    void anUnreachableAdminIsExit1WithAMessage() {
        // port 1 on loopback: nothing listens, the connection is refused at once
        String err = run(1, "--admin-url=http://127.0.0.1:1", "--site=www", "--path=/private/a", "--token=t");
        assertThat(err).contains("cannot reach admin at http://127.0.0.1:1/api/v1/sign");
    }
}
