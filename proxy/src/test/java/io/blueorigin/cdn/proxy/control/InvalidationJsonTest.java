package io.blueorigin.cdn.proxy.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Entries as admin sends them (docs/control-plane.md); unknown fields are ignored, broken ones refused. */
class InvalidationJsonTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Invalidation parse(String json) throws Exception {
        return Invalidation.fromJson(JSON.readTree(json));
    }

    @Test
    void readsEveryKind() throws Exception {
        Invalidation purge = parse("""
                {"id": 42, "kind": "purge", "soft": true, "urls": [{"site": null, "path": "/item/1", "query": "a=b"},
                 {"site": "www.example.com", "path": "/x", "query": null}], "tags": [], "ban": null,
                 "createdAt": "2026-11-25T03:20:01.123Z", "somethingNew": 1}""");
        assertThat(purge.id()).isEqualTo(42);
        assertThat(purge.kind()).isEqualTo(Invalidation.Kind.PURGE);
        assertThat(purge.soft()).isTrue();
        assertThat(purge.urls()).containsExactly(new Invalidation.Url(null, "/item/1", "a=b"),
                new Invalidation.Url("www.example.com", "/x", null));

        Invalidation tags = parse("{\"id\": 43, \"kind\": \"purge_tags\", \"soft\": false, \"urls\": [], \"tags\": [\"item-3\"]}");
        assertThat(tags.tags()).containsExactly("item-3");

        Invalidation ban = parse("""
                {"id": 44, "kind": "ban", "soft": false, "urls": [], "tags": [],
                 "ban": {"kind": "prefix", "pattern": "/static/", "expiresAt": "2026-11-26T03:20:01Z"}}""");
        assertThat(ban.ban()).contains(new Invalidation.BanSpec("prefix", "/static/", Instant.parse("2026-11-26T03:20:01Z")));

        assertThat(parse("{\"id\": 45, \"kind\": \"purge_all\"}").kind()).isEqualTo(Invalidation.Kind.PURGE_ALL);
    }

    @Test
    void readsABanLiftAsTheIdOfTheBanItLifts() throws Exception {
        Invalidation lift = parse("{\"id\": 46, \"kind\": \"ban_lift\", \"ban\": 44, \"createdAt\": \"2026-11-25T03:20:01.123Z\"}");
        assertThat(lift.kind()).isEqualTo(Invalidation.Kind.BAN_LIFT);
        assertThat(lift.liftedBan()).isEqualTo(44);
        assertThat(lift.ban()).isEmpty();
        assertThat(lift.site()).isNull();
        assertThat(lift.isSiteChange()).isFalse();
    }

    @Test
    void refusesABanLiftWithoutTheIdOfABan() {
        for (String ban : new String[] {"", ", \"ban\": null", ", \"ban\": 0", ", \"ban\": -3", ", \"ban\": \"44\"",
                ", \"ban\": 4.5", ", \"ban\": {\"kind\": \"prefix\", \"pattern\": \"/b/\"}"}) {
            assertThatThrownBy(() -> parse("{\"id\": 46, \"kind\": \"ban_lift\"" + ban + "}"))
                    .as(ban).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("entry 46: ban_lift without the positive id of a ban");
        }
    }

    @Test
    void refusesEntriesItCannotApplySaying() {
        assertThatThrownBy(() -> parse("{\"kind\": \"purge\"}")).hasMessageContaining("without a positive id");
        assertThatThrownBy(() -> parse("{\"id\": 1, \"kind\": \"nuke\"}")).hasMessageContaining("unknown kind 'nuke'");
        assertThatThrownBy(() -> parse("{\"id\": 1, \"kind\": \"purge\", \"urls\": [{\"path\": \"item\"}]}"))
                .hasMessageContaining("/-rooted path");
        assertThatThrownBy(() -> parse("{\"id\": 1, \"kind\": \"ban\"}")).hasMessageContaining("a ban without its pattern");
    }
}
