package io.blueorigin.cdn.it.caching;

import static io.blueorigin.cdn.it.caching.CdnHarness.xCache;
import static org.assertj.core.api.Assertions.assertThat;

import io.blueorigin.cdn.testkit.Reply;
import io.blueorigin.cdn.testkit.TestClient;
import org.eclipse.jetty.client.StringRequestContent;
import org.junit.jupiter.api.Test;

/** RFC 9111 §4.4: unsafe methods invalidate the target URI and same-origin Location / Content-Location. */
class InvalidationIT extends HarnessPerClass {
    private static void cache(String path) {
        h.origin.on(path, request -> request.method().equals("GET")
                ? Reply.ok("v").withHeader("Cache-Control", "max-age=60") : Reply.status(204));
        h.get(path);
        assertThat(xCache(h.get(path))).isEqualTo("HIT");
    }

    @Test
    void aSuccessfulPostInvalidatesItsTargetAtEveryTier() {
        cache("/inv/target");
        TestClient.send(h.request("/inv/target").method("POST").body(new StringRequestContent("x")));
        assertThat(xCache(h.get("/inv/target"))).isEqualTo("MISS");
        assertThat(h.origin.requests("/inv/target").stream().filter(r -> r.method().equals("GET")).count()).isEqualTo(2);
    }

    @Test
    void locationAndContentLocationOfTheSameOriginAreInvalidatedToo() {
        cache("/inv/list");
        cache("/inv/item");
        h.origin.on("/inv/create", Reply.status(201).withHeader("Location", "/inv/list")
                .withHeader("Content-Location", "http://elsewhere.example/inv/item"));
        TestClient.send(h.request("/inv/create").method("PUT").body(new StringRequestContent("x")));
        assertThat(xCache(h.get("/inv/list"))).isEqualTo("MISS");
        assertThat(xCache(h.get("/inv/item"))).as("a cross-origin Content-Location is not trusted").isEqualTo("HIT");
    }

    @Test
    void anErrorResponseInvalidatesNothing() {
        cache("/inv/kept");
        h.origin.on("/inv/kept", request -> request.method().equals("GET")
                ? Reply.ok("v").withHeader("Cache-Control", "max-age=60") : Reply.status(500));
        TestClient.send(h.request("/inv/kept").method("DELETE"));
        assertThat(xCache(h.get("/inv/kept"))).isEqualTo("HIT");
    }
}
