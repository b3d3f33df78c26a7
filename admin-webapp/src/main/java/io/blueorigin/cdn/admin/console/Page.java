package io.blueorigin.cdn.admin.console;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One rendered console page: its title, which navigation entry it belongs to, its blocks, and who is looking
 * ({@code username} and {@code csrf} are empty on the login page). Built by a page handler, rendered by
 * {@code page.jte}.
 */
public final class Page {
    /** The navigation: path below /console/ and label. */
    public static final List<List<String>> NAVIGATION = List.of(
            List.of("", "Overview"), List.of("purge", "Purge"), List.of("invalidations", "History"),
            List.of("bans", "Bans"), List.of("lookup", "Look up a URL"), List.of("tags", "Surrogate keys"),
            List.of("reports", "Reports"), List.of("nodes", "Nodes"), List.of("sites", "Sites"),
            List.of("tokens", "Tokens"), List.of("users", "Users"), List.of("audit", "Audit"));

    private final String title;
    private final String section;
    private final List<Block> blocks = new ArrayList<>();
    private String username = "";
    private String role = "";
    private String csrf = "";
    private @Nullable String notice;

    public Page(String title, String section) {
        this.title = requireNonNull(title, "title is null");
        this.section = requireNonNull(section, "section is null");
    }

    public Page add(Block block) {
        blocks.add(requireNonNull(block, "block is null"));
        return this;
    }

    Page viewer(String username, String role, String csrf) {
        this.username = username;
        this.role = role;
        this.csrf = csrf;
        return this;
    }

    Page notice(@Nullable String notice) {
        this.notice = notice;
        return this;
    }

    public String title() {
        return title;
    }

    public String section() {
        return section;
    }

    public List<Block> blocks() {
        return List.copyOf(blocks);
    }

    public String username() {
        return username;
    }

    public String role() {
        return role;
    }

    public String csrf() {
        return csrf;
    }

    public boolean loggedIn() {
        return !username.isEmpty();
    }

    public @Nullable String notice() {
        return notice;
    }
}
