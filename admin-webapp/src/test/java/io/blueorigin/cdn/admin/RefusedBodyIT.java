package io.blueorigin.cdn.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A request refused before its body was read (a token without the scope, a bad path) must leave the connection
 * able to carry the client's next request, or say {@code Connection: close}. Seen in CI (SitesApiIT, once): a PUT
 * refused 403 whose body arrived after the answer, then the client's next request on the same connection found
 * it closed ("header parser received no bytes"): admin closed it at the end of the exchange without saying so.
 */
class RefusedBodyIT {
    private TestAdmin admin;

    @BeforeEach
    void start() {
        admin = TestAdmin.start();
    }

    @AfterEach
    void stop() {
        admin.close();
    }

    @Test
    void aRefusalBeforeTheBodyArrivedKeepsTheConnectionForTheNextRequest() throws Exception {
        String reader = admin.token("dashboard", Scope.READ);
        URI uri = admin.node.uri();
        String body = "{\"hostnames\": [\"img.example.com\"], \"origins\": [{\"url\": \"http://10.0.0.8\"}]}";
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
            out.write(("PUT /api/v1/sites/img HTTP/1.1\r\nHost: admin\r\nAuthorization: Bearer " + reader
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            List<String> first = head(in);
            assertThat(first.get(0)).isEqualTo("HTTP/1.1 403 Forbidden"); // answered before the body was sent
            skipBody(in, first);

            out.write(body.getBytes(StandardCharsets.ISO_8859_1)); // the body arrives after the answer
            out.write(("GET /api/v1/sites HTTP/1.1\r\nHost: admin\r\nAuthorization: Bearer " + reader + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            if (first.stream().noneMatch(h -> h.equalsIgnoreCase("Connection: close"))) {
                String next = in.readLine();
                assertThat(next).as("the connection kept without Connection: close must carry the next request")
                        .isEqualTo("HTTP/1.1 200 OK");
            }
        }
    }

    private static List<String> head(BufferedReader in) throws Exception {
        List<String> lines = new ArrayList<>();
        for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
            lines.add(line);
        }
        return lines;
    }

    private static void skipBody(BufferedReader in, List<String> head) throws Exception {
        int length = head.stream().filter(h -> h.toLowerCase().startsWith("content-length:"))
                .mapToInt(h -> Integer.parseInt(h.substring(15).trim())).findFirst().orElseThrow();
        char[] skipped = new char[length];
        int read = 0;
        while (read < length) {
            read += in.read(skipped, read, length - read);
        }
    }
}
