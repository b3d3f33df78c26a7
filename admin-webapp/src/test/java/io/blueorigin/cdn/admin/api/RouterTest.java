package io.blueorigin.cdn.admin.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.blueorigin.cdn.admin.Scope;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RouterTest {
    private static final Route.Handler NOTHING = call -> { };
    private static final Route BY_ID = new Route("GET", "/api/v1/invalidations/{id}", Scope.READ, NOTHING);
    private static final Route RECENT = new Route("GET", "/api/v1/invalidations/recent", Scope.READ, NOTHING);
    private static final Route ACKS = new Route("POST", "/api/v1/nodes/{name}/acks", Scope.PURGE, NOTHING);
    private static final Route REVOKE = new Route("DELETE", "/api/v1/tokens/{id}", Scope.ADMIN, NOTHING);
    private static final Router ROUTER = new Router(List.of(BY_ID, RECENT, ACKS, REVOKE));

    @Test
    void bindsParametersAndPrefersLiteralSegments() {
        assertThat(ROUTER.match("GET", "/api/v1/invalidations/42")).isEqualTo(new Router.Found(BY_ID, Map.of("id", "42")));
        assertThat(ROUTER.match("GET", "/api/v1/invalidations/recent")).isEqualTo(new Router.Found(RECENT, Map.of()));
        assertThat(ROUTER.match("POST", "/api/v1/nodes/edge-nyc/acks"))
                .isEqualTo(new Router.Found(ACKS, Map.of("name", "edge-nyc")));
    }

    @Test
    void tellsAWrongMethodFromAnUnknownPath() {
        assertThat(ROUTER.match("POST", "/api/v1/invalidations/42")).isEqualTo(new Router.MethodNotAllowed(Set.of("GET")));
        assertThat(ROUTER.match("GET", "/api/v1/tokens/3")).isEqualTo(new Router.MethodNotAllowed(Set.of("DELETE")));
        assertThat(ROUTER.match("GET", "/api/v1/invalidations/42/x")).isEqualTo(new Router.NotFound());
        assertThat(ROUTER.match("GET", "/api/v1/invalidations/")).isEqualTo(new Router.NotFound());
        assertThat(ROUTER.match("POST", "/api/v1/nodes//acks")).isEqualTo(new Router.NotFound());
        assertThat(ROUTER.match("GET", "/api/v2/invalidations/1")).isEqualTo(new Router.NotFound());
    }
}
