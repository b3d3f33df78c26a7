package io.blueorigin.cdn.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HTTP/1.1 over a plain socket, for what an HTTP client would refuse or normalize: raw bytes in targets,
 * smuggling attempts (conflicting framing), obs-fold, bare LF, oversized heads. Sends the bytes as given
 * and reads until the server closes the connection (or {@code timeout} passes without a byte).
 */
public final class RawHttp {
    private static final Pattern STATUS_LINE = Pattern.compile("HTTP/1\\.[01] (\\d{3})[^\r\n]*\r?\n");

    private RawHttp() {}

    /** What came back on one connection: every response's status, in order, and the raw text. */
    public record Exchange(List<Integer> statuses, String raw, boolean closedByServer) {
        /** The first response's status, or -1 when the server closed without answering. */
        public int status() {
            return statuses.isEmpty() ? -1 : statuses.get(0);
        }

        /** The first response's body (after its head). */
        public String body() {
            int head = raw.indexOf("\r\n\r\n");
            return head < 0 ? "" : raw.substring(head + 4);
        }
    }

    /** Sends {@code request} (ISO-8859-1, so any byte value can be written as a char) to {@code server}. */
    public static Exchange send(URI server, String request) {
        return send(server, request.getBytes(StandardCharsets.ISO_8859_1), 10_000);
    }

    public static Exchange send(URI server, byte[] request, int timeoutMillis) {
        try (Socket socket = new Socket(server.getHost(), server.getPort())) {
            socket.setSoTimeout(timeoutMillis);
            OutputStream out = socket.getOutputStream();
            out.write(request);
            out.flush();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[8192];
            boolean closed = false;
            try {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    received.write(buffer, 0, n);
                }
                closed = true;
            } catch (SocketTimeoutException e) {
                // the server kept the connection open: take what arrived
            } catch (IOException e) {
                closed = true; // reset
            }
            String raw = received.toString(StandardCharsets.ISO_8859_1);
            List<Integer> statuses = new ArrayList<>();
            Matcher m = STATUS_LINE.matcher(raw);
            while (m.find()) {
                if (m.start() == 0 || raw.startsWith("\n", m.start() - 1)) {
                    statuses.add(Integer.parseInt(m.group(1)));
                }
            }
            return new Exchange(List.copyOf(statuses), raw, closed);
        } catch (IOException e) {
            throw new IllegalStateException("raw exchange with " + server + " failed", e);
        }
    }
}
