package io.blueorigin.cdn.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

/**
 * A port free now, for a test that must name its port before something else binds it (a process started with
 * {@code --port}, a server restarted on the same port). Another process may take it in between: use port 0
 * wherever the code under test can report what it bound.
 */
public final class FreePort {
    private FreePort() {}

    public static int take() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
