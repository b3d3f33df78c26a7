package io.blueorigin.cdn.it.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import io.blueorigin.cdn.testkit.AtRest;
import io.blueorigin.cdn.testkit.Reply;
import io.blueorigin.cdn.testkit.TestStack;
import org.eclipse.jetty.client.ContentResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An origin's header section is bounded by what the node can write (server.response-header-size, 16 KB by
 * default): one the node could store but not serve with its own fields is passed through unstored, one it
 * could not write at all is a clean 502; neither is ever stored to fail on every hit.
 */
class ResponseHeaderSizeIT {
    private static TestStack stack;

    @BeforeAll
    static void start() {
        stack = TestStack.start(c -> c.edges("nyc").shields("iad"));
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    /** A cacheable reply whose header section is about {@code kib} KiB. */
    private static Reply withHeaders(String body, int kib) {
        Reply reply = Reply.ok(body).withHeader("Cache-Control", "max-age=60");
        for (int i = 0; i < kib; i++) {
            reply = reply.withHeader("X-Filler-" + i, "f".repeat(1000));
        }
        return reply;
    }

    @Test
    void smallHeadersAreStoredAsAlways() {
        stack.origin.on("/head/small", withHeaders("small", 4));
        assertThat(stack.client.get(stack.edge("nyc", "/head/small")).getStatus()).isEqualTo(200);
        ContentResponse hit = stack.client.get(stack.edge("nyc", "/head/small"));
        assertThat(hit.getHeaders().get("X-Cache")).isEqualTo("HIT");
        assertThat(hit.getHeaders().get("X-Filler-3")).hasSize(1000);
    }

    @Test
    void aHeaderSectionTooLargeToServeWithTheNodesOwnFieldsIsPassedThroughNotStored() {
        stack.origin.on("/head/large", withHeaders("large", 15));
        for (int i = 0; i < 3; i++) {
            ContentResponse response = stack.client.get(stack.edge("nyc", "/head/large"));
            assertThat(response.getStatus()).as("request %d", i).isEqualTo(200);
            assertThat(response.getContentAsString()).isEqualTo("large");
            assertThat(response.getHeaders().get("X-Filler-14")).hasSize(1000);
            assertThat(response.getHeaders().get("X-Cache")).isNotEqualTo("HIT");
        }
        assertThat(stack.origin.count("/head/large")).as("never stored, so every request reaches the origin").isEqualTo(3);
        AtRest.await(stack.cdn);
    }

    @Test
    void aHeaderSectionLargerThanTheNodeWritesIsACleanBadGatewayNotAStoredObject() {
        stack.origin.on("/head/huge", withHeaders("huge", 20));
        for (int i = 0; i < 2; i++) {
            ContentResponse response = stack.client.get(stack.edge("nyc", "/head/huge"));
            assertThat(response.getStatus()).isEqualTo(502);
            assertThat(response.getHeaders().get("Blue-Origin-Error")).isEqualTo("upstream-headers-too-large");
            assertThat(response.getContentAsString()).contains("request id").doesNotContain("Exception");
        }
        assertThat(stack.origin.count("/head/huge")).as("refused at once, not retried").isEqualTo(2);
        // far beyond: the client refuses to read it at all; still a clean 502
        stack.origin.on("/head/enormous", withHeaders("enormous", 40));
        ContentResponse enormous = stack.client.get(stack.edge("nyc", "/head/enormous"));
        assertThat(enormous.getStatus()).isEqualTo(502);
        assertThat(enormous.getContentAsString()).contains("request id").doesNotContain("Exception");
        AtRest.await(stack.cdn);
        // the node is fine for everything else
        stack.origin.on("/head/after", withHeaders("after", 1));
        assertThat(stack.client.get(stack.edge("nyc", "/head/after")).getStatus()).isEqualTo(200);
    }
}
