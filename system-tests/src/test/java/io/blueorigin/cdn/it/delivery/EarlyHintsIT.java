package io.blueorigin.cdn.it.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.blueorigin.cdn.testkit.Reply;
import io.blueorigin.cdn.testkit.TestStack;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.EarlyHintsProtocolHandler;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.http.HttpFields;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** RFC 9110 §15.2: 1xx interim responses (here 103 Early Hints, RFC 8297) reach the client through both tiers. */
class EarlyHintsIT {
    private static TestStack stack;
    private static HttpClient client;
    private static final List<String> HINTS = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        stack = TestStack.start(c -> c.edges("nyc"));
        client = new HttpClient();
        client.start();
        client.getProtocolHandlers().put(new EarlyHintsProtocolHandler() {
            @Override
            protected void onEarlyHints(Request request, HttpFields fields) {
                HINTS.add(fields.get("Link"));
            }
        });
    }

    @AfterAll
    static void stop() throws Exception {
        client.stop();
        stack.close();
    }

    @Test
    void aMissRelaysTheOriginsEarlyHintsBeforeTheResponse() throws Exception {
        stack.origin.on("/eh/page", Reply.ok("page").withHeader("Cache-Control", "max-age=60")
                .withEarlyHint("Link", "</style.css>; rel=preload; as=style"));
        ContentResponse r = client.newRequest(stack.edge("nyc", "/eh/page")).timeout(20, TimeUnit.SECONDS).send();
        assertThat(r.getStatus()).isEqualTo(200);
        assertThat(r.getContentAsString()).isEqualTo("page");
        assertThat(HINTS).containsExactly("</style.css>; rel=preload; as=style");
        assertThat(r.getHeaders().get("Via")).as("through the shield too").isEqualTo("1.1 shield-iad, 1.1 edge-nyc");
    }
}
