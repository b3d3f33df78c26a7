package io.blueorigin.cdn.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import org.eclipse.jetty.http.HttpFields;
import org.junit.jupiter.api.Test;

class JettyFieldsTest {

    @Test
    void knownFieldsAreFoundThroughThePresenceScanAndOthersThroughJetty() {
        HttpFields fields = HttpFields.build()
                .add("Host", "example")
                .add("cache-control", "no-cache")
                .add("If-None-Match", "\"a\"")
                .add("If-None-Match", "\"b\"")
                .add("x-request-id", "abc")
                .add("Accept-Language", "en");
        JettyFields lookup = new JettyFields(fields);
        assertThat(lookup.values("Cache-Control")).containsExactly("no-cache");
        assertThat(lookup.values("If-None-Match")).containsExactly("\"a\"", "\"b\"");
        assertThat(lookup.values("If-Match")).isEmpty();
        assertThat(lookup.has("Authorization")).isFalse();
        assertThat(lookup.values("accept-language")).containsExactly("en");
        assertThat(lookup.values("X-Missing")).isEmpty();
        assertThat(lookup.requestId()).isEqualTo("abc");
    }
}
