package io.blueorigin.cdn.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.blueorigin.cdn.httpcache.encoding.Coding;
import io.blueorigin.cdn.httpcache.encoding.CompressionPolicy;
import io.blueorigin.cdn.proxy.ProxyConfigs;
import io.blueorigin.cdn.runtime.Role;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The {@code compression.*} keys become the edge's {@link CompressionPolicy}; bad values name their key. */
class CompressionSettingsTest {

    private static CompressionPolicy load(Map<String, String> flags) {
        Map<String, String> names = new HashMap<>();
        flags.keySet().forEach(k -> names.put(k, "--" + k));
        return ProxyConfigs.compression(ConfigValues.load(Role.EDGE, Optional.empty(), flags, names, Map.of()));
    }

    @Test
    void defaultsAreTheEdgePolicysDefaults() {
        assertThat(load(Map.of())).isEqualTo(CompressionPolicy.defaults());
    }

    @Test
    void everyKeyIsRead() {
        CompressionPolicy p = load(Map.of("compression.codings", "gzip", "compression.types", "text/html, application/json",
                "compression.min-size", "2KB", "compression.max-size", "1MB", "compression.gzip-level", "9",
                "compression.brotli-quality", "11"));
        assertThat(p).isEqualTo(new CompressionPolicy(java.util.Set.of(Coding.GZIP),
                java.util.List.of("text/html", "application/json"), 2048, 1L << 20, 9, 11));
    }

    @Test
    void disabledMeansNoCoding() {
        assertThat(load(Map.of("compression.enabled", "false")).enabled()).isFalse();
        assertThat(load(Map.of("compression.codings", "")).enabled()).isFalse();
    }

    @Test
    void badValuesNameTheKey() {
        assertThatThrownBy(() -> load(Map.of("compression.codings", "br,zstd")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("compression.codings : 'zstd'");
        assertThatThrownBy(() -> load(Map.of("compression.brotli-quality", "12")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("compression.brotli-quality : 12");
        assertThatThrownBy(() -> load(Map.of("compression.types", "html")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("compression.types : 'html'");
        assertThatThrownBy(() -> load(Map.of("compression.min-size", "2MB", "compression.max-size", "1MB")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("compression.max-size");
    }
}
