package io.blueorigin.cdn.httpcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.blueorigin.cdn.httpcache.CachePolicyConfig.RequestNoCache;
import io.blueorigin.cdn.httpcache.CachePolicyConfig.SetCookie;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** STYLE §6: defaults and validation of the policy's settings. */
class CachePolicyConfigTest {

    @Test
    void edgeDefaults() {
        CachePolicyConfig c = CachePolicyConfig.edgeDefaults();
        assertThat(c.ttlCapMillis()).isEqualTo(30_000);
        assertThat(c.heuristicFraction()).isEqualTo(0.1);
        assertThat(c.heuristicMaxMillis()).isEqualTo(86_400_000L);
        assertThat(c.negativeTtlMillis()).isEqualTo(10_000);
        assertThat(c.errorTtlMillis()).as("RFC 9110 §15.1: errors are not stored without freshness by default").isZero();
        assertThat(c.maxStaleOnErrorMillis()).isEqualTo(86_400_000L);
        assertThat(c.requestNoCache()).isEqualTo(RequestNoCache.REVALIDATE);
        assertThat(c.setCookie()).isEqualTo(SetCookie.PASS);
        assertThat(c.targetedFields()).containsExactly("CDN-Cache-Control");
    }

    @Test
    void shieldDefaultsDifferOnlyInTheCap() {
        assertThat(CachePolicyConfig.shieldDefaults()).isEqualTo(CachePolicyConfig.edgeDefaults().withTtlCap(300_000));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        # setting                     | cap | fraction | heuristic max | negative | error | max stale | message
        negative cap                  | -1  | 0.1      | 0             | 0        | 0     | 0         | cache.ttl-cap : -1ms (expected: >= 0)
        fraction below 0              | 0   | -0.1     | 0             | 0        | 0     | 0         | cache.heuristic-fraction : -0.1 (expected: 0..1)
        fraction above 1              | 0   | 1.5      | 0             | 0        | 0     | 0         | cache.heuristic-fraction : 1.5 (expected: 0..1)
        fraction NaN                  | 0   | NaN      | 0             | 0        | 0     | 0         | cache.heuristic-fraction : NaN (expected: 0..1)
        negative heuristic max        | 0   | 0.1      | -1            | 0        | 0     | 0         | cache durations must be >= 0
        negative negative TTL         | 0   | 0.1      | 0             | -1       | 0     | 0         | cache durations must be >= 0
        negative error TTL            | 0   | 0.1      | 0             | 0        | -1    | 0         | cache durations must be >= 0
        negative max stale on error   | 0   | 0.1      | 0             | 0        | 0     | -1        | cache durations must be >= 0
        """)
    void rejectsBadValues(String section, long cap, double fraction, long heuristicMax, long negative, long error, long maxStale,
            String message) {
        assertThatThrownBy(() -> new CachePolicyConfig(cap, fraction, heuristicMax, negative, error, maxStale,
                RequestNoCache.REVALIDATE, SetCookie.PASS, List.of())).as(section)
                .isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }

    @Test
    void copiesTheTargetList() {
        List<String> targets = new ArrayList<>(List.of("CDN-Cache-Control"));
        CachePolicyConfig c = new CachePolicyConfig(0, 0, 0, 0, 0, 0, RequestNoCache.IGNORE, SetCookie.STRIP, targets);
        targets.clear();
        assertThat(c.targetedFields()).containsExactly("CDN-Cache-Control");
        assertThatThrownBy(() -> new CachePolicyConfig(0, 0, 0, 0, 0, 0, null, SetCookie.STRIP, targets))
                .isInstanceOf(NullPointerException.class).hasMessage("requestNoCache is null");
    }
}
