package io.blueorigin.cdn.admin.console;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.blueorigin.cdn.admin.Scope;
import io.blueorigin.cdn.admin.api.ApiException;
import io.blueorigin.cdn.admin.api.Operations;
import io.blueorigin.cdn.admin.db.ApiToken;
import io.blueorigin.cdn.admin.db.ConsoleAudit;
import io.blueorigin.cdn.admin.db.ConsoleUser;
import io.blueorigin.cdn.admin.db.ConsoleUsers;
import io.blueorigin.cdn.admin.db.Database;
import io.blueorigin.cdn.admin.db.NewToken;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** Nodes (drain, undrain), sites, tokens (create, revoke), console users (add, role, disable) and the audit. */
final class AdminPages {
    static final int AUDIT_PAGE = 100;

    private final Database database;
    private final Operations operations;

    AdminPages(Database database, Operations operations) {
        this.database = requireNonNull(database, "database is null");
        this.operations = requireNonNull(operations, "operations is null");
    }

    // --- nodes ---

    void nodes(Exchange exchange) throws IOException, SQLException {
        boolean admin = exchange.session().role().grants(Scope.ADMIN);
        List<List<Cell>> rows = new ArrayList<>();
        for (Map<String, ?> node : operations.nodes()) {
            String name = String.valueOf(node.get("name"));
            boolean draining = Boolean.TRUE.equals(node.get("draining"));
            rows.add(List.of(Cell.text(name), Cell.text(node.get("role")), Cell.text(node.get("pop")),
                    Cell.text(node.get("state")), Cell.text(node.get("health")), Cell.text(node.get("lastApplied")),
                    Cell.text(node.get("lag")), new Cell.Code(String.valueOf(node.get("managementUrl"))),
                    admin ? new Cell.Action(draining ? "Undrain " + name : "Drain " + name,
                            "/console/nodes/" + name + (draining ? "/undrain" : "/drain"), "") : Cell.text("")));
        }
        Page page = new Page("Nodes", "nodes").notice(exchange.notice());
        page.add(Block.Text.of("A drained node stays up but routing sends it no clients (and shields leave the edges'"
                + " rings) until it is undrained."));
        page.add(Block.Table.of("Registered nodes", List.of("Node", "Role", "POP", "State", "Health", "Version", "Lag",
                "Management", ""), rows, "No node has registered yet."));
        exchange.render(page);
    }

    void drain(Exchange exchange) throws IOException, SQLException, ApiException {
        setDraining(exchange, true);
    }

    void undrain(Exchange exchange) throws IOException, SQLException, ApiException {
        setDraining(exchange, false);
    }

    private void setDraining(Exchange exchange, boolean draining) throws SQLException, ApiException {
        String name = exchange.path("name");
        Map<String, Object> result = operations.setDraining(exchange.actor(), name, draining);
        audit(exchange, draining ? "node_drain" : "node_undrain", name);
        exchange.redirect("nodes", "Node " + name + " is " + result.get("state")
                + (Boolean.TRUE.equals(result.get("changed")) ? "." : " (it already was)."));
    }

    // --- sites ---

    void sites(Exchange exchange) throws IOException, SQLException {
        exchange.render(sitesPage(exchange, Map.of(), Map.of()));
    }

    private Page sitesPage(Exchange exchange, Map<String, String> errors, Map<String, String> values) throws SQLException {
        boolean admin = exchange.session().role().grants(Scope.ADMIN);
        Map<String, ?> sites = operations.sites();
        List<List<Cell>> rows = new ArrayList<>();
        for (Object o : (List<?>) sites.get("sites")) {
            JsonNode site = (JsonNode) o;
            String name = site.path("name").asText();
            rows.add(List.of(admin ? new Cell.Link(name, "/console/sites/" + name) : Cell.text(name),
                    new Cell.Code(site.path("hosts").toString()), new Cell.Code(site.path("origins").toString())));
        }
        Page page = new Page("Sites", "sites").notice(exchange.notice());
        page.add(Block.Text.of("Every change is an entry of the log (site_put, site_remove) that every node applies;"
                + " definitions are checked as PUT /api/v1/sites/{name} checks them (docs/sites.md). Table version "
                + sites.get("version") + "."));
        page.add(Block.Table.of("Sites", List.of("Name", "Hosts", "Origins"), rows,
                "No site is defined: every request goes to the default origin."));
        if (admin) {
            page.add(new Block.Form("site", "Add a site", "post", "/console/sites", List.of(
                    Field.text("name", "Name", values.getOrDefault("name", ""), "1-63 of a-z 0-9 . _ -", errors.get("name")),
                    Field.textarea("definition", "Definition (JSON, as PUT /api/v1/sites/{name} takes it)",
                            values.getOrDefault("definition", "{\"hosts\": [\"www.example.com\"], \"origins\":"
                                    + " [{\"url\": \"http://origin.example.com:8080\"}]}"),
                            "docs/sites.md lists every field", errors.get("definition"))), "Add the site", errors.get("")));
        }
        return page;
    }

    /** {@code POST /console/sites}: a new site (its name from the form). */
    void addSite(Exchange exchange) throws IOException, SQLException, Exchange.BadInput {
        String name = exchange.parameterOrEmpty("name");
        String definition = exchange.parameterOrEmpty("definition");
        try {
            if (operations.site(name).isPresent()) {
                exchange.render(409, sitesPage(exchange, Map.of("name", "name: site " + name + " exists already: edit"
                        + " it from the table"), Map.of("name", name, "definition", definition)));
                return;
            }
            operations.putSite(exchange.actor(), name, definition, requestId());
        } catch (ApiException e) {
            exchange.render(e.status(), sitesPage(exchange, Map.of(e.fieldName().map(f -> f.equals("name") ? "name"
                    : "definition").orElse("definition"), e.getMessage()), Map.of("name", name, "definition", definition)));
            return;
        }
        audit(exchange, "site_put", name + " created");
        exchange.redirect("sites", "Site " + name + " added; nodes apply it as they read the log.");
    }

    /** {@code GET /console/sites/{name}}: its definition in an editor, and deleting it. */
    void site(Exchange exchange) throws IOException, SQLException, Exchange.BadInput {
        String name = exchange.path("name");
        JsonNode definition = operations.site(name).orElseThrow(() -> new Exchange.BadInput(404, "no site '"
                + Format.cut(name, 63) + "' (the Sites page lists them)"));
        exchange.render(sitePage(exchange, name, definition.toPrettyString(), null));
    }

    /** {@code POST /console/sites/{name}}: replaces the definition. */
    void saveSite(Exchange exchange) throws IOException, SQLException, Exchange.BadInput {
        String name = exchange.path("name");
        String definition = exchange.parameterOrEmpty("definition");
        try {
            operations.putSite(exchange.actor(), name, definition, requestId());
        } catch (ApiException e) {
            exchange.render(e.status(), sitePage(exchange, name, definition, e.getMessage()));
            return;
        }
        audit(exchange, "site_put", name + " replaced");
        exchange.redirect("sites/" + name, "Site " + name + " saved; nodes apply it as they read the log.");
    }

    /** {@code POST /console/sites/{name}/delete}: only with the site's name typed. */
    void deleteSite(Exchange exchange) throws IOException, SQLException, ApiException, Exchange.BadInput {
        String name = exchange.path("name");
        if (!exchange.parameterOrEmpty("confirm").equals(name)) {
            throw new Exchange.BadInput("confirm: type the site's name (" + Format.cut(name, 63) + ") to delete it");
        }
        long id = operations.deleteSite(exchange.actor(), name, requestId());
        audit(exchange, "site_remove", name + " (entry " + id + ")");
        exchange.redirect("sites", "Site " + name + " deleted by entry " + id + ".");
    }

    private Page sitePage(Exchange exchange, String name, String definition, @Nullable String error) {
        Page page = new Page("Site " + name, "sites").notice(exchange.notice());
        page.add(new Block.Form("site", "Definition", "post", "/console/sites/" + name, List.of(
                Field.textarea("definition", "Definition (JSON)", definition, "docs/sites.md lists every field", error)),
                "Save", null));
        page.add(Block.Table.of("Delete", List.of("Site", ""), List.of(List.of(Cell.text(name),
                new Cell.Action("Delete site " + name, "/console/sites/" + name + "/delete", name))), ""));
        return page;
    }

    /** The request id a site change records (the site history's request_id), as the API's are unique. */
    private static String requestId() {
        return "console-" + java.util.UUID.randomUUID();
    }

    // --- tokens ---

    void tokens(Exchange exchange) throws IOException, SQLException {
        exchange.render(tokensPage(exchange, null, Map.of(), Map.of()));
    }

    void createToken(Exchange exchange) throws IOException, SQLException, Exchange.BadInput {
        String name = exchange.parameterOrEmpty("name");
        String scopes = exchange.parameterOrEmpty("scopes");
        String node = exchange.parameterOrEmpty("node");
        Map<String, String> values = Map.of("name", name, "scopes", scopes, "node", node);
        NewToken token;
        try {
            token = operations.createToken(exchange.actor(), name.isEmpty() ? null : name,
                    Arrays.stream(scopes.split("[\\s,]+")).filter(s -> !s.isEmpty()).toList(), node.isEmpty() ? null : node);
        } catch (ApiException e) {
            String field = e.fieldName().filter(values::containsKey).orElse("");
            exchange.render(e.status(), tokensPage(exchange, null, Map.of(field, e.getMessage()), values));
            return;
        }
        audit(exchange, "token_create", token.id() + " " + token.name() + " " + token.scopes());
        exchange.render(201, tokensPage(exchange, token, Map.of(), Map.of()));
    }

    void revokeToken(Exchange exchange) throws IOException, SQLException, ApiException, Exchange.BadInput {
        long id = PurgePages.id(exchange.path("id"));
        operations.revokeToken(exchange.actor(), id);
        audit(exchange, "token_revoke", String.valueOf(id));
        exchange.redirect("tokens", "Token " + id + " is revoked.");
    }

    private Page tokensPage(Exchange exchange, @Nullable NewToken created, Map<String, String> errors,
            Map<String, String> values) throws SQLException {
        Page page = new Page("Tokens", "tokens").notice(exchange.notice());
        if (created != null) {
            page.add(new Block.Secret("Token " + created.id() + " '" + created.name() + "' created", created.secret(),
                    "Copy it now: it is shown this once and stored only as a hash. Use it as 'Authorization: Bearer <token>'."));
        }
        List<List<Cell>> rows = new ArrayList<>();
        for (ApiToken token : operations.tokens()) {
            rows.add(List.of(Cell.text(token.id()), Cell.text(token.name()), new Cell.Code(token.prefix() + "…"),
                    Cell.text(String.join(" ", token.scopes().stream().map(Scope::label).toList())),
                    Cell.text(token.node().orElse("")), Cell.text(Format.time(token.createdAt())),
                    Cell.text(token.lastUsedAt().map(Format::time).orElse("never")),
                    token.revokedAt().isPresent() ? Cell.text("revoked " + Format.time(token.revokedAt().get()))
                            : new Cell.Action("Revoke token " + token.id(), "/console/tokens/" + token.id() + "/revoke", "")));
        }
        page.add(new Block.Form("token", "Create a token", "post", "/console/tokens", List.of(
                Field.text("name", "Name", values.getOrDefault("name", ""), "What it is for, such as ci-purger",
                        errors.get("name")),
                Field.text("scopes", "Scopes", values.getOrDefault("scopes", "purge"), "read, purge, admin (admin implies"
                        + " purge implies read), or node for a node's own token", errors.get("scopes")),
                Field.text("node", "Node", values.getOrDefault("node", ""), "Only with scope node: the node.name it acts as",
                        errors.get("node"))), "Create the token", errors.get("")));
        page.add(Block.Table.of("Tokens (console users act through the console:<name> ones)", List.of("Id", "Name",
                "Secret starts", "Scopes", "Node", "Created", "Last used", ""), rows, "No token."));
        return page;
    }

    // --- users ---

    void users(Exchange exchange) throws IOException, SQLException {
        exchange.render(usersPage(exchange, Map.of(), Map.of()));
    }

    void addUser(Exchange exchange) throws IOException, SQLException, Exchange.BadInput {
        String username = exchange.parameterOrEmpty("username");
        String role = exchange.parameterOrEmpty("role");
        String password = exchange.request().getParameter("password") == null ? "" : exchange.request().getParameter("password");
        try {
            Users.add(database, username, role, password, exchange.session().username(), exchange.client());
        } catch (Users.Refused e) {
            exchange.render(400, usersPage(exchange, Map.of(e.field(), e.getMessage()), Map.of("username", username,
                    "role", role)));
            return;
        }
        exchange.redirect("users", "User " + username + " added with role " + role + ".");
    }

    void setRole(Exchange exchange) throws IOException, SQLException, Exchange.BadInput {
        long id = PurgePages.id(exchange.path("id"));
        String label = exchange.parameterOrEmpty("role");
        Optional<Scope> role = Scope.fromLabel(label).filter(s -> s != Scope.NODE);
        if (role.isEmpty()) {
            throw new Exchange.BadInput("role: '" + Format.cut(label, 20) + "' is not a role (expected read, purge or admin)");
        }
        ConsoleUsers.Change change = database.inTransaction(c -> {
            ConsoleUsers.Change result = ConsoleUsers.setRole(c, id, role.get());
            if (result == ConsoleUsers.Change.CHANGED) {
                ConsoleAudit.record(c, exchange.session().username(), "user_role", id + " -> " + label, exchange.client());
            }
            return result;
        });
        exchange.redirect("users", switch (change) {
            case CHANGED -> "User " + id + " now has role " + label + ".";
            case UNCHANGED -> "User " + id + " already had role " + label + ".";
            case NOT_FOUND -> "There is no user " + id + ".";
            case LAST_ADMIN -> "User " + id + " is the last admin: make another user admin first.";
        });
    }

    void disableUser(Exchange exchange) throws IOException, SQLException, Exchange.BadInput {
        long id = PurgePages.id(exchange.path("id"));
        ConsoleUsers.Change change = database.inTransaction(c -> {
            ConsoleUsers.Change result = ConsoleUsers.disable(c, id);
            if (result == ConsoleUsers.Change.CHANGED) {
                ConsoleAudit.record(c, exchange.session().username(), "user_disable", String.valueOf(id), exchange.client());
            }
            return result;
        });
        exchange.redirect("users", switch (change) {
            case CHANGED -> "User " + id + " is disabled: its sessions ended and its token is revoked.";
            case UNCHANGED -> "User " + id + " was disabled already.";
            case NOT_FOUND -> "There is no user " + id + ".";
            case LAST_ADMIN -> "User " + id + " holds the last admin token: create another admin first.";
        });
    }

    private Page usersPage(Exchange exchange, Map<String, String> errors, Map<String, String> values)
            throws SQLException {
        boolean admin = exchange.session().role().grants(Scope.ADMIN);
        List<ConsoleUser> users = database.inSnapshot(ConsoleUsers::list);
        List<List<Cell>> rows = new ArrayList<>();
        for (ConsoleUser user : users) {
            List<Cell.Action> actions = new ArrayList<>();
            if (admin && !user.isDisabled()) {
                for (Scope role : List.of(Scope.READ, Scope.PURGE, Scope.ADMIN)) {
                    if (role != user.role()) {
                        actions.add(new Cell.Action("Make " + user.username() + " " + role.label(),
                                "/console/users/" + user.id() + "/role?role=" + role.label(), ""));
                    }
                }
                actions.add(new Cell.Action("Disable " + user.username(), "/console/users/" + user.id() + "/disable", ""));
            }
            rows.add(List.of(Cell.text(user.username()), Cell.text(user.role().label()),
                    Cell.text(user.isDisabled() ? "disabled " + Format.time(user.disabledAt().get())
                            : user.lockedUntil().filter(t -> t.isAfter(Instant.now())).map(t -> "locked until " + Format.time(t))
                                    .orElse("active")),
                    Cell.text(user.lastLoginAt().map(Format::time).orElse("never")), Cell.text(user.createdBy()),
                    new Cell.Actions(actions)));
        }
        Page page = new Page("Users", "users").notice(exchange.notice());
        if (admin) {
            page.add(new Block.Form("user", "Add a user", "post", "/console/users", List.of(
                    Field.text("username", "User name", values.getOrDefault("username", ""), "1-63 of a-z 0-9 . _ -",
                            errors.get("username")),
                    Field.select("role", "Role", values.getOrDefault("role", "read"), List.of("read", "purge", "admin"),
                            "read: look; purge: also purge and ban; admin: also tokens, users, nodes", errors.get("role")),
                    new Field("password", "Password", "password", "", List.of(), "At least " + Passwords.MIN_LENGTH
                            + " characters", errors.get("password"), true)), "Add the user", null));
        }
        page.add(Block.Table.of("Console users", List.of("User", "Role", "State", "Last login", "Created by", ""), rows,
                "No user."));
        return page;
    }

    // --- audit ---

    void audit(Exchange exchange) throws IOException, SQLException, Exchange.BadInput {
        long before = exchange.parameter("before").map(b -> {
            try {
                return Long.parseLong(b);
            } catch (NumberFormatException e) {
                return -1L;
            }
        }).orElse(0L);
        if (before < 0) {
            throw new Exchange.BadInput("before: an audit row id (a positive whole number)");
        }
        List<ConsoleAudit.Entry> entries = database.inSnapshot(c -> ConsoleAudit.page(c, before, AUDIT_PAGE));
        List<List<Cell>> rows = new ArrayList<>();
        for (ConsoleAudit.Entry entry : entries) {
            rows.add(List.of(Cell.text(Format.time(entry.at())), Cell.text(entry.username()), Cell.text(entry.action()),
                    new Cell.Code(entry.detail()), Cell.text(entry.client())));
        }
        Page page = new Page("Audit", "audit");
        page.add(Block.Text.of("Who did what in the console. What purges and bans did is also in the History, under"
                + " the user's console:<name> token."));
        page.add(Block.Table.of("Console audit, newest first", List.of("When", "User", "Action", "Detail", "From"), rows,
                "Nothing yet."));
        if (entries.size() == AUDIT_PAGE) {
            page.add(new Block.Links(List.of(new Cell.Link("Older", "/console/audit?before=" + entries.get(entries.size() - 1).id()))));
        }
        exchange.render(page);
    }

    private void audit(Exchange exchange, String action, String detail) throws SQLException {
        database.inTransaction(c -> {
            ConsoleAudit.record(c, exchange.session().username(), action, detail, exchange.client());
            return null;
        });
    }
}
