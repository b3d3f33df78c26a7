package io.blueorigin.cdn.admin.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.blueorigin.cdn.admin.Scope;
import io.blueorigin.cdn.admin.db.BanKind;
import io.blueorigin.cdn.admin.db.BanRule;
import io.blueorigin.cdn.admin.db.InvalidationKind;
import io.blueorigin.cdn.admin.db.InvalidationLog;
import io.blueorigin.cdn.admin.db.NewInvalidation;
import io.blueorigin.cdn.admin.db.Nodes;
import io.blueorigin.cdn.admin.db.PurgeUrl;
import io.blueorigin.cdn.runtime.Role;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The history page's reads against a real, migrated PostgreSQL holding a log with acks from live and dead nodes. */
class InvalidationHistoryIT {
    private static ReportDatabase db;
    private static InvalidationHistory history;
    private static final Map<String, Long> ids = new HashMap<>();
    private static final List<Long> all = new ArrayList<>();

    @BeforeAll
    static void fill() throws Exception {
        db = ReportDatabase.fresh();
        history = new InvalidationHistory(db.database, new Nodes(), Duration.ofSeconds(30));
        long alice = db.token("ops-alice", Scope.PURGE);
        long bob = db.token("ops-bob", Scope.PURGE);
        long devA = db.token("dev_a", Scope.PURGE);
        long devX = db.token("devxa", Scope.PURGE);
        long nyc = db.register("edge-nyc", Role.EDGE, "nyc", "http://127.0.0.1:1");
        db.register("shield-iad", Role.SHIELD, "iad", "http://127.0.0.1:1");
        db.register("edge-old", Role.EDGE, "old", "http://127.0.0.1:1");
        db.sql("UPDATE nodes SET last_heartbeat_at = now() - interval '1 hour' WHERE name = 'edge-old'");

        put("purge", db.append(purge("/item/1", Optional.empty()), alice));
        put("tags", db.append(NewInvalidation.purgeTags(List.of("item-3", "items"), false, Optional.empty()), alice));
        put("ban", db.append(NewInvalidation.ban(new BanRule(BanKind.PREFIX, "/static/", Duration.ofMinutes(10)),
                Optional.empty()), bob));
        put("wild", db.append(purge("/a%b_c", Optional.empty()), bob));
        put("all", db.append(NewInvalidation.purgeAll(false, Optional.empty()), devA));
        put("site", db.append(purge("/v/1", Optional.of("v")), devX));
        put("formula", db.append(NewInvalidation.purgeTags(List.of("=1+1"), false, Optional.empty()), devX));
        put("lift", db.database.inTransaction(c -> ((InvalidationLog.Lift.Lifted) new InvalidationLog(Duration.ofSeconds(5))
                .liftBan(c, ids.get("ban"), alice)).id()));
        for (int i = 0; i < 5; i++) {
            put("more" + i, db.append(purge("/more/" + i, Optional.empty()), alice));
        }
        db.ack(nyc, ids.get("purge"), 40);
        db.sql("UPDATE invalidations SET created_at = created_at - interval '1 day' WHERE id = " + ids.get("purge"));
    }

    private static void put(String name, long id) {
        ids.put(name, id);
        all.add(0, id);
    }

    private static NewInvalidation purge(String path, Optional<String> site) {
        return NewInvalidation.purge(List.of(new PurgeUrl(path, Optional.empty(), path, Optional.empty())), false, site);
    }

    @AfterAll
    static void close() {
        if (db != null) {
            db.close();
        }
    }

    private static List<Long> ids(Map<String, String> form) throws Exception {
        return history.page(InvalidationHistory.Filter.parse(form), OptionalLong.empty(), InvalidationHistory.MAX_PAGE)
                .entries().stream().map(InvalidationHistory.Entry::id).toList();
    }

    @Test
    void pagesWalkTheWholeLogNewestFirstByKeyset() throws Exception {
        List<Long> seen = new ArrayList<>();
        OptionalLong before = OptionalLong.empty();
        int pages = 0;
        do {
            InvalidationHistory.Page page = history.page(InvalidationHistory.Filter.ALL, before, 3);
            assertThat(page.entries()).hasSizeLessThanOrEqualTo(3);
            page.entries().forEach(e -> seen.add(e.id()));
            before = page.next();
            pages++;
        } while (before.isPresent());
        assertThat(seen).containsExactlyElementsOf(all);
        assertThat(pages).isEqualTo((all.size() + 2) / 3);
    }

    @Test
    void filtersByKindWhoSiteTextAndTime() throws Exception {
        assertThat(ids(Map.of("kind", "ban_lift, ban"))).containsExactly(ids.get("lift"), ids.get("ban"));
        assertThat(ids(Map.of("who", "ops-bob"))).containsExactly(ids.get("wild"), ids.get("ban"));
        assertThat(ids(Map.of("who", "ops-"))).isEmpty();
        assertThat(ids(Map.of("who", "ops-*"))).hasSize(all.size() - 3);
        // '_' in a prefix is a character, not LIKE's any-character: devxa is not dev_*
        assertThat(ids(Map.of("who", "dev_*"))).containsExactly(ids.get("all"));
        assertThat(ids(Map.of("site", "v"))).containsExactly(ids.get("site"));
        assertThat(ids(Map.of("text", "ITEM-3"))).containsExactly(ids.get("tags"));
        assertThat(ids(Map.of("text", "%b_"))).containsExactly(ids.get("wild"));
        assertThat(ids(Map.of("text", "static"))).containsExactly(ids.get("ban"));
        assertThat(ids(Map.of("text", "lift of ban " + ids.get("ban")))).containsExactly(ids.get("lift"));
        String hourAgo = db.text("SELECT to_char((now() - interval '1 hour') AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI')");
        assertThat(ids(Map.of("to", hourAgo))).containsExactly(ids.get("purge"));
        assertThat(ids(Map.of("from", hourAgo, "kind", "purge", "who", "ops-alice")))
                .containsExactly(ids.get("more4"), ids.get("more3"), ids.get("more2"), ids.get("more1"), ids.get("more0"));
    }

    @Test
    void eachEntryCountsAppliedPendingAndDownNodes() throws Exception {
        InvalidationHistory.Entry purge = history.page(InvalidationHistory.Filter.parse(Map.of("to", "2999-01-01")),
                OptionalLong.of(ids.get("purge") + 1), 1).entries().get(0);
        assertThat(purge.id()).isEqualTo(ids.get("purge"));
        assertThat(List.of(purge.applied(), purge.pending(), purge.down())).containsExactly(1L, 1L, 1L);
        assertThat(purge.target()).isEqualTo("/item/1");
        assertThat(purge.createdBy()).isEqualTo("ops-alice");

    }

    @Test
    void theWholeFilteredHistoryExportsAsCsvWithFormulasNeutralised() throws Exception {
        StringWriter out = new StringWriter();
        history.export(InvalidationHistory.Filter.parse(Map.of("who", "devxa")), out);
        String[] lines = out.toString().split("\r\n");
        assertThat(lines).hasSize(3);
        assertThat(lines[0]).isEqualTo(String.join(",", InvalidationHistory.CSV_COLUMNS));
        assertThat(lines[1]).startsWith(ids.get("formula") + ",purge_tags,false,").contains(",devxa,,'=1+1,1,,0,2,1");
        assertThat(lines[2]).startsWith(ids.get("site") + ",purge,false,").contains(",devxa,v,/v/1,1,,0,2,1");

        StringWriter everything = new StringWriter();
        history.export(InvalidationHistory.Filter.ALL, everything);
        assertThat(everything.toString().split("\r\n")).hasSize(all.size() + 1);
    }

    @Test
    void badFiltersAreRefusedNamingTheField() {
        assertField(Map.of("kind", "purges"), "kind", "not a kind of entry (purge, purge_tags");
        assertField(Map.of("kind", "PURGE"), "kind", "'PURGE' is not a kind");
        assertField(Map.of("from", "yesterday"), "from", "is not a time");
        assertField(Map.of("from", "2026-12-04", "to", "2026-12-03"), "to", "is not after from");
        assertField(Map.of("site", "Bad Site"), "site", "is not a site name");
        assertField(Map.of("text", "x".repeat(201)), "text", "longer than 200");
        assertField(Map.of("who", "a\u0000b"), "who", "control character");
        assertField(Map.of("limit", "5"), "limit", "not a filter");
        assertThatThrownBy(() -> history.page(InvalidationHistory.Filter.ALL, OptionalLong.empty(), 0))
                .isInstanceOfSatisfying(ReportException.class, e -> assertThat(e.field()).contains("size"));
        assertThatThrownBy(() -> history.page(InvalidationHistory.Filter.ALL, OptionalLong.of(0), 10))
                .isInstanceOfSatisfying(ReportException.class, e -> assertThat(e.field()).contains("before"));
    }

    private static void assertField(Map<String, String> form, String field, String message) {
        assertThatThrownBy(() -> InvalidationHistory.Filter.parse(form))
                .isInstanceOfSatisfying(ReportException.class, e -> assertThat(e.field()).contains(field))
                .hasMessageContaining(message);
    }

    @Test
    void blankFieldsAreNoCondition() throws Exception {
        assertThat(InvalidationHistory.Filter.parse(Map.of("kind", " ", "who", "", "text", "  ")))
                .isEqualTo(InvalidationHistory.Filter.ALL);
        assertThat(InvalidationHistory.Filter.parse(Map.of("kind", "purge")).kinds()).containsExactly(InvalidationKind.PURGE);
    }
}
