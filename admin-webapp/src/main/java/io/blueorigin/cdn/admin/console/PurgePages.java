package io.blueorigin.cdn.admin.console;

import static java.util.Objects.requireNonNull;

import io.blueorigin.cdn.admin.api.ApiException;
import io.blueorigin.cdn.admin.api.Operations;
import io.blueorigin.cdn.admin.db.ConsoleAudit;
import io.blueorigin.cdn.admin.db.Database;
import io.blueorigin.cdn.admin.db.Invalidation;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Purge forms (URL, tag, ban, purge-all), an entry's live propagation page, and the bans page. Every form goes
 * through {@link Operations}: the API's own validation and code, on behalf of the user's token; a refusal is
 * shown next to the field it names, with the values kept.
 */
final class PurgePages {
    /** What a purge-all asks the user to type. */
    static final String PURGE_ALL_CONFIRMATION = "purge everything";

    private final Database database;
    private final Operations operations;

    PurgePages(Database database, Operations operations) {
        this.database = requireNonNull(database, "database is null");
        this.operations = requireNonNull(operations, "operations is null");
    }

    /** {@code GET /console/purge}. */
    void page(Exchange exchange) throws IOException {
        exchange.render(purgePage(exchange.notice(), Map.of(), null, Map.of()));
    }

    /** {@code POST /console/purge/urls}: one URL or path per line. */
    void purgeUrls(Exchange exchange) throws IOException, SQLException, Exchange.BadInput {
        List<String> urls = lines(exchange.parameterOrEmpty("urls"));
        boolean soft = exchange.checkbox("soft");
        String site = exchange.parameterOrEmpty("site");
        submit(exchange, "urls", Map.of("urls", String.join("\n", urls), "site", site),
                () -> operations.purge(exchange.actor(), urls, soft, blankToNull(site)),
                soft ? "purge soft" : "purge", String.join(" ", urls));
    }

    /** {@code POST /console/purge/tags}: one tag per line or separated by spaces. */
    void purgeTags(Exchange exchange) throws IOException, SQLException, Exchange.BadInput {
        List<String> tags = Arrays.stream(exchange.parameterOrEmpty("tags").split("\\s+")).filter(t -> !t.isEmpty()).toList();
        boolean soft = exchange.checkbox("soft");
        String site = exchange.parameterOrEmpty("site");
        submit(exchange, "tags", Map.of("tags", String.join(" ", tags), "site", site),
                () -> operations.purgeTags(exchange.actor(), tags, soft, blankToNull(site)), "purge_tags", String.join(" ", tags));
    }

    /** {@code POST /console/purge/ban}. */
    void ban(Exchange exchange) throws IOException, SQLException, Exchange.BadInput {
        String kind = exchange.parameterOrEmpty("kind");
        String pattern = exchange.parameterOrEmpty("pattern");
        String ttl = exchange.parameterOrEmpty("ttlSeconds");
        String site = exchange.parameterOrEmpty("site");
        Map<String, String> values = Map.of("kind", kind, "pattern", pattern, "ttlSeconds", ttl, "site", site);
        Long ttlSeconds;
        try {
            ttlSeconds = ttl.isEmpty() ? null : Long.valueOf(ttl);
        } catch (NumberFormatException e) {
            exchange.render(400, purgePage(null, Map.of("ttlSeconds", "ttlSeconds: '" + ttl + "' is not a whole number"
                    + " of seconds"), "ban", values));
            return;
        }
        submit(exchange, "ban", values, () -> operations.ban(exchange.actor(), blankToNull(kind), blankToNull(pattern),
                ttlSeconds, blankToNull(site)), "ban", kind + " " + pattern + " for " + ttl + "s");
    }

    /** {@code POST /console/purge/all}: only with the typed confirmation. */
    void purgeAll(Exchange exchange) throws IOException, SQLException, Exchange.BadInput {
        String site = exchange.parameterOrEmpty("site");
        String confirm = exchange.parameterOrEmpty("confirm");
        boolean soft = exchange.checkbox("soft");
        if (!confirm.equals(PURGE_ALL_CONFIRMATION)) {
            exchange.render(400, purgePage(null, Map.of("confirm", "confirm: type exactly '" + PURGE_ALL_CONFIRMATION
                    + "' to purge every object" + (site.isEmpty() ? " of every site" : " of site " + site)), "all",
                    Map.of("site", site)));
            return;
        }
        submit(exchange, "all", Map.of("site", site), () -> operations.purgeAll(exchange.actor(), soft, blankToNull(site)),
                "purge_all", site.isEmpty() ? "every site" : "site " + site);
    }

    /** Something that appends to the log through the API's code. */
    @FunctionalInterface
    private interface Submission {
        long submit() throws ApiException, SQLException;
    }

    private void submit(Exchange exchange, String form, Map<String, String> values, Submission submission, String action,
            String detail) throws IOException, SQLException {
        long id;
        try {
            id = submission.submit();
        } catch (ApiException e) {
            Optional<String> field = e.fieldName();
            exchange.render(e.status(), field.isPresent() && values.containsKey(field.get())
                    ? purgePage(null, Map.of(field.get(), e.getMessage()), form, values)
                    : purgePage(null, Map.of("", e.getMessage()), form, values));
            return;
        }
        audit(exchange, action, "entry " + id + ": " + detail);
        exchange.redirect("invalidations/" + id, "Accepted: entry " + id + ". Nodes apply it as they read the log.");
    }

    private void audit(Exchange exchange, String action, String detail) throws SQLException {
        database.inTransaction(c -> {
            ConsoleAudit.record(c, exchange.session().username(), action, detail, exchange.client());
            return null;
        });
    }

    private static Page purgePage(@Nullable String notice, Map<String, String> errors, @Nullable String form,
            Map<String, String> values) {
        Page page = new Page("Purge", "purge").notice(notice);
        page.add(Block.Text.of("Each purge is an entry of the invalidation log; after submitting you see every node"
                + " apply it, live. Leave the site empty for every site."));
        page.add(new Block.Form("urls", "Purge URLs", "post", "/console/purge/urls", List.of(
                Field.textarea("urls", "URLs or paths, one per line", value(form, "urls", values),
                        "Such as /item/1 or https://www.example.com/item/1 (at most 1000)", error(form, "urls", errors)),
                Field.checkbox("soft", "Soft purge (mark stale: served while revalidating)", false, ""),
                Field.text("site", "Site", value(form, "urls", "site", values), "", error(form, "urls", "site", errors))),
                "Purge URLs", formError(form, "urls", errors)));
        page.add(new Block.Form("tags", "Purge by surrogate key", "post", "/console/purge/tags", List.of(
                Field.textarea("tags", "Surrogate keys (tags)", value(form, "tags", values),
                        "Separated by spaces or lines, such as product-42 category-7", error(form, "tags", errors)),
                Field.checkbox("soft", "Soft purge", false, ""),
                Field.text("site", "Site", value(form, "tags", "site", values), "", error(form, "tags", "site", errors))),
                "Purge tags", formError(form, "tags", errors)));
        page.add(new Block.Form("ban", "Ban (prefix, host or regex)", "post", "/console/purge/ban", List.of(
                Field.select("kind", "Kind", value(form, "ban", "kind", values), List.of("prefix", "host", "regex"),
                        "prefix: path prefix; host: every object of a host; regex: RE2 on the path and query",
                        error(form, "ban", "kind", errors)),
                Field.text("pattern", "Pattern", value(form, "ban", "pattern", values), "Such as /static/ or www.example.com",
                        error(form, "ban", "pattern", errors)),
                Field.text("ttlSeconds", "Applies for (seconds)", valueOr(form, "ban", "ttlSeconds", values, "86400"),
                        "1 to 2592000 (30 days); objects stored before the ban are refused while it applies",
                        error(form, "ban", "ttlSeconds", errors)),
                Field.text("site", "Site", value(form, "ban", "site", values), "", error(form, "ban", "site", errors))),
                "Create the ban", formError(form, "ban", errors)));
        page.add(new Block.Form("all", "Purge everything", "post", "/console/purge/all", List.of(
                Field.text("site", "Site", value(form, "all", "site", values), "Empty: every object of every site",
                        error(form, "all", "site", errors)),
                Field.checkbox("soft", "Soft purge", false, ""),
                Field.text("confirm", "Type '" + PURGE_ALL_CONFIRMATION + "' to confirm", "", "The whole cache is refetched"
                        + " from the origins: expect a burst of origin traffic", error(form, "all", "confirm", errors))),
                "Purge everything", formError(form, "all", errors)));
        return page;
    }

    /** {@code GET /console/invalidations/{id}}: the entry and every node's status, updated live by console.js. */
    void entry(Exchange exchange) throws IOException, SQLException, Exchange.BadInput {
        long id = id(exchange.path("id"));
        Map<String, ?> view = operations.invalidation(id).orElseThrow(() -> new Exchange.BadInput(404, "no invalidation "
                + id + " (never created, or deleted by retention)"));
        Page page = new Page("Entry " + id, "invalidations").notice(exchange.notice());
        page.add(Block.Text.of(describe(view)));
        page.add(new Block.Table("nodes", "Every node's status", List.of("Node", "Role", "POP", "Status", "Applied at",
                "Lag (ms)", "Objects"), rows(view), keys(view), "No node is registered."));
        page.add(new Block.Live("/console/invalidations/" + id + "/status.json", "nodes", progress(view)));
        page.add(new Block.Links(List.of(new Cell.Link("JSON", "/console/invalidations/" + id + "/status.json"),
                new Cell.Link("History", "/console/invalidations"))));
        exchange.render(page);
    }

    /** {@code GET /console/invalidations/{id}/status.json}: what {@code GET /api/v1/invalidations/{id}} answers. */
    void entryJson(Exchange exchange) throws IOException, SQLException, Exchange.BadInput {
        long id = id(exchange.path("id"));
        Map<String, ?> view = operations.invalidation(id).orElseThrow(() -> new Exchange.BadInput(404, "no invalidation " + id));
        exchange.response().setContentType("application/json");
        exchange.response().getWriter().write(Json.write(view));
    }

    /** {@code GET /console/bans}: the bans that apply now, with age and expiry, and a lift button each. */
    void bans(Exchange exchange) throws IOException, SQLException {
        Instant now = Instant.now();
        List<List<Cell>> rows = new ArrayList<>();
        for (Invalidation ban : operations.activeBans()) {
            var rule = ban.ban().orElseThrow();
            rows.add(List.of(new Cell.Link(String.valueOf(ban.id()), "/console/invalidations/" + ban.id()),
                    Cell.text(rule.kind().label()), new Cell.Code(rule.pattern()), Cell.text(ban.site().orElse("every site")),
                    Cell.text(ban.createdBy()), Cell.text(Format.age(Duration.between(ban.createdAt(), now))),
                    Cell.text(Format.time(rule.expiresAt()) + " (in " + Format.age(Duration.between(now, rule.expiresAt())) + ")"),
                    exchange.session().role().grants(io.blueorigin.cdn.admin.Scope.PURGE)
                            ? new Cell.Action("Lift ban " + ban.id(), "/console/bans/" + ban.id() + "/lift", "")
                            : Cell.text("")));
        }
        Page page = new Page("Bans", "bans").notice(exchange.notice());
        page.add(Block.Text.of("Bans that apply now. Lifting one appends a ban_lift entry that every node applies"
                + " through the log; it does not bring back what the ban already removed."));
        page.add(Block.Table.of("Active bans", List.of("Entry", "Kind", "Pattern", "Site", "By", "Age", "Expires", ""),
                rows, "No ban applies now."));
        exchange.render(page);
    }

    /** {@code POST /console/bans/{id}/lift}. */
    void lift(Exchange exchange) throws IOException, SQLException, ApiException, Exchange.BadInput {
        long banId = id(exchange.path("id"));
        long id = operations.liftBan(exchange.actor(), banId);
        audit(exchange, "ban_lift", "entry " + id + ": lifted ban " + banId);
        exchange.redirect("invalidations/" + id, "Ban " + banId + " lifted by entry " + id + ".");
    }

    static List<List<Cell>> rows(Map<String, ?> view) {
        List<List<Cell>> rows = new ArrayList<>();
        for (Object o : (List<?>) view.get("nodes")) {
            Map<?, ?> node = (Map<?, ?>) o;
            rows.add(List.of(Cell.text(node.get("name")), Cell.text(node.get("role")), Cell.text(node.get("pop")),
                    Cell.text(node.get("status")), Cell.text(node.get("appliedAt")), Cell.text(node.get("lagMs")),
                    Cell.text(node.get("objectsAffected"))));
        }
        return rows;
    }

    private static List<String> keys(Map<String, ?> view) {
        return ((List<?>) view.get("nodes")).stream().map(o -> String.valueOf(((Map<?, ?>) o).get("name"))).toList();
    }

    static String progress(Map<String, ?> view) {
        return view.get("applied") + " node(s) applied, " + view.get("pending") + " pending";
    }

    private static String describe(Map<String, ?> view) {
        StringBuilder text = new StringBuilder();
        text.append(view.get("kind"));
        if (Boolean.TRUE.equals(view.get("soft"))) {
            text.append(" (soft)");
        }
        List<?> urls = (List<?>) view.get("urls");
        List<?> tags = (List<?>) view.get("tags");
        if (!urls.isEmpty()) {
            text.append(" of ").append(Format.joinCut(urls, 10));
        }
        if (!tags.isEmpty()) {
            text.append(" of tags ").append(Format.joinCut(tags, 10));
        }
        if (view.get("ban") instanceof Map<?, ?> ban) {
            text.append(": ").append(ban.get("kind")).append(" ").append(ban.get("pattern"));
        }
        if (view.get("liftedBan") != null) {
            text.append(" of ban ").append(view.get("liftedBan"));
        }
        text.append(view.get("site") == null ? ", every site" : ", site " + view.get("site"));
        text.append("; by ").append(view.get("createdBy")).append(" at ").append(view.get("createdAt"));
        return text.toString();
    }

    static long id(String text) throws Exchange.BadInput {
        try {
            long id = Long.parseLong(text);
            if (id > 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new Exchange.BadInput("'" + Format.cut(text, 40) + "' is not an entry id (a positive whole number)");
    }

    private static List<String> lines(String text) {
        return text.lines().map(String::strip).filter(line -> !line.isEmpty()).toList();
    }

    private static @Nullable String blankToNull(String value) {
        return value.isEmpty() ? null : value;
    }

    private static String value(@Nullable String form, String name, Map<String, String> values) {
        return value(form, name, name, values);
    }

    private static String value(@Nullable String form, String which, String name, Map<String, String> values) {
        return which.equals(form) ? values.getOrDefault(name, "") : "";
    }

    private static String valueOr(@Nullable String form, String which, String name, Map<String, String> values,
            String fallback) {
        return which.equals(form) ? values.getOrDefault(name, fallback) : fallback;
    }

    private static @Nullable String error(@Nullable String form, String name, Map<String, String> errors) {
        return error(form, name, name, errors);
    }

    private static @Nullable String error(@Nullable String form, String which, String name, Map<String, String> errors) {
        return which.equals(form) ? errors.get(name) : null;
    }

    private static @Nullable String formError(@Nullable String form, String which, Map<String, String> errors) {
        return which.equals(form) ? errors.get("") : null;
    }
}
