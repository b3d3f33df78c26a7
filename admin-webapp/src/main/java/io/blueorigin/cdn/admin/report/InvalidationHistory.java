package io.blueorigin.cdn.admin.report;

import static java.util.Objects.requireNonNull;

import io.blueorigin.cdn.admin.api.NodeStatus;
import io.blueorigin.cdn.admin.db.Database;
import io.blueorigin.cdn.admin.db.InvalidationKind;
import io.blueorigin.cdn.admin.db.Node;
import io.blueorigin.cdn.admin.db.Nodes;
import io.blueorigin.cdn.httpcache.site.Site;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The invalidation log as the console's history page shows it: filtered, newest first, a page at a time (keyset
 * paging by id, so a page is as cheap at the end of the log as at its start, and entries appended meanwhile do not
 * shift the next page), each entry with its per-node status counts; one entry with every node's status and lag; the
 * whole filtered history streamed as CSV.
 *
 * <p>Entries are read from the {@code reporting.invalidations} view (V0014/V0015), whose one-line {@code target}
 * never holds a secret (a {@code keys_put} names its site only), so the text filter cannot probe signing keys. Status
 * is counted as {@code GET /api/v1/invalidations/recent} counts it ({@link NodeStatus}, the database's clock). Each
 * read is one snapshot. Stateless and thread-safe.
 */
public final class InvalidationHistory {
    /** Default and largest page size. */
    public static final int DEFAULT_PAGE = 50;
    public static final int MAX_PAGE = 500;
    /** Longest {@code who}, {@code text} accepted. */
    public static final int MAX_TEXT = 200;
    /** Rows a cursor fetches at a time: an export holds this many entries, whatever its length. */
    static final int FETCH_SIZE = 100;
    /** The columns of {@link #export}, in order. */
    public static final List<String> CSV_COLUMNS = List.of("id", "kind", "soft", "created_at", "created_by", "site",
            "target", "targets", "expires_at", "applied", "pending", "down");

    private static final String SELECT = "SELECT r.id, r.kind, r.soft, r.created_by, r.created_at, r.site, r.target,"
            + " r.targets, r.expires_at, ARRAY(SELECT a.node_id FROM invalidation_acks a WHERE a.invalidation_id = r.id)"
            + " FROM reporting.invalidations r";

    private final Database database;
    private final Nodes nodes;
    private final Duration nodeDownAfter;

    /** @param nodeDownAfter how long without a heartbeat makes a node down (three heartbeat intervals, as the API) */
    public InvalidationHistory(Database database, Nodes nodes, Duration nodeDownAfter) {
        this.database = requireNonNull(database, "database is null");
        this.nodes = requireNonNull(nodes, "nodes is null");
        this.nodeDownAfter = requireNonNull(nodeDownAfter, "nodeDownAfter is null");
    }

    /**
     * Which entries to list; every part optional (empty: no condition). Build it with {@link #parse} from a form.
     *
     * @param kinds entries of these kinds (empty: every kind)
     * @param who the token's name: exact, or a prefix when {@code whoPrefix}
     * @param from created at or after (inclusive)
     * @param to created before (exclusive)
     * @param site entries naming this site (an entry for every site has none)
     * @param text case-insensitive substring of the target: a URL, a tag, a ban's kind and pattern
     */
    public record Filter(Set<InvalidationKind> kinds, Optional<String> who, boolean whoPrefix, Optional<Instant> from,
            Optional<Instant> to, Optional<String> site, Optional<String> text) {
        /** Every entry. */
        public static final Filter ALL = new Filter(Set.of(), Optional.empty(), false, Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty());

        public Filter {
            kinds = kinds.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(kinds));
            requireNonNull(who, "who is null");
            requireNonNull(from, "from is null");
            requireNonNull(to, "to is null");
            requireNonNull(site, "site is null");
            requireNonNull(text, "text is null");
        }

        /**
         * A filter from a form's fields, each optional and blank meaning no condition:
         * <ul>
         *   <li>{@code kind}: kind labels separated by commas or spaces ({@code purge, purge_tags, ban, ban_lift,
         *       purge_all, site_put, site_remove, keys_put});
         *   <li>{@code who}: a token name; ending in {@code *}, a prefix ({@code ops-*});
         *   <li>{@code from}, {@code to}: an instant ({@code 2026-12-04T07:00:00Z}), a date and time as an HTML
         *       {@code datetime-local} field sends it ({@code 2026-12-04T07:00}, UTC) or a date (its UTC midnight);
         *   <li>{@code site}: a site name;
         *   <li>{@code text}: any text (wildcards are literal).
         * </ul>
         *
         * @throws ReportException naming the field that is not valid; unknown fields are refused too
         */
        public static Filter parse(Map<String, String> fields) throws ReportException {
            for (String name : fields.keySet()) {
                if (!Set.of("kind", "who", "from", "to", "site", "text").contains(name)) {
                    throw new ReportException(name, name + ": not a filter of the history (kind, who, from, to, site,"
                            + " text)");
                }
            }
            Set<InvalidationKind> kinds = EnumSet.noneOf(InvalidationKind.class);
            for (String label : value(fields, "kind").map(v -> v.split("[,\\s]+")).orElse(new String[0])) {
                if (!label.isEmpty()) {
                    kinds.add(kind(label));
                }
            }
            Optional<String> who = value(fields, "who");
            boolean prefix = who.isPresent() && who.get().endsWith("*");
            if (prefix) {
                who = Optional.of(who.get().substring(0, who.get().length() - 1)).filter(w -> !w.isEmpty());
            }
            if (who.isPresent()) {
                text("who", who.get());
            }
            Optional<Instant> from = time(fields, "from");
            Optional<Instant> to = time(fields, "to");
            if (from.isPresent() && to.isPresent() && !to.get().isAfter(from.get())) {
                throw new ReportException("to", "to: " + to.get() + " is not after from (" + from.get() + ")");
            }
            Optional<String> site = value(fields, "site");
            if (site.isPresent() && !Site.isValidName(site.get())) {
                throw new ReportException("site", "site: '" + site.get() + "' is not a site name (1-63 lower-case"
                        + " letters, digits, '.', '_' or '-')");
            }
            Optional<String> text = value(fields, "text");
            if (text.isPresent()) {
                text("text", text.get());
            }
            return new Filter(kinds, who, prefix, from, to, site, text);
        }

        private static Optional<String> value(Map<String, String> fields, String name) {
            String value = fields.get(name);
            return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
        }

        private static InvalidationKind kind(String label) throws ReportException {
            try {
                InvalidationKind kind = InvalidationKind.valueOf(label.toUpperCase(Locale.ROOT));
                if (kind.label().equals(label)) {
                    return kind;
                }
            } catch (IllegalArgumentException e) {
                // below
            }
            List<String> labels = EnumSet.allOf(InvalidationKind.class).stream().map(InvalidationKind::label).toList();
            throw new ReportException("kind", "kind: '" + label + "' is not a kind of entry (" + String.join(", ", labels)
                    + ")");
        }

        private static void text(String field, String value) throws ReportException {
            if (value.length() > MAX_TEXT) {
                throw new ReportException(field, field + ": longer than " + MAX_TEXT + " characters");
            }
            if (value.chars().anyMatch(Character::isISOControl)) {
                throw new ReportException(field, field + ": holds a control character");
            }
        }

        private static Optional<Instant> time(Map<String, String> fields, String name) throws ReportException {
            Optional<String> value = value(fields, name);
            if (value.isEmpty()) {
                return Optional.empty();
            }
            String v = value.get();
            try {
                if (v.length() == 10) {
                    return Optional.of(LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant());
                }
                if (v.endsWith("Z") || v.matches(".*[+-]\\d\\d:\\d\\d$")) {
                    return Optional.of(OffsetDateTime.parse(v).toInstant());
                }
                return Optional.of(LocalDateTime.parse(v).toInstant(ZoneOffset.UTC));
            } catch (DateTimeParseException e) {
                throw new ReportException(name, name + ": '" + (v.length() > 40 ? v.substring(0, 40) + "..." : v)
                        + "' is not a time (2026-12-04T07:00:00Z, 2026-12-04T07:00 in UTC, or 2026-12-04)");
            }
        }
    }

    /**
     * One entry as listed.
     *
     * @param target what it applies to, as one line (URLs or tags separated by spaces, "prefix /static/",
     *     "everything", "lift of ban 12", "site img", "signing keys of site img")
     * @param targets how many URLs or tags (1 for other kinds)
     * @param expiresAt a ban's expiry
     * @param applied nodes that applied it
     * @param pending nodes alive that have not yet
     * @param down nodes that have not and sent no heartbeat for the down delay
     */
    public record Entry(long id, InvalidationKind kind, boolean soft, String createdBy, Instant createdAt,
            Optional<String> site, String target, int targets, Optional<Instant> expiresAt, long applied, long pending,
            long down) {
        public Entry {
            requireNonNull(kind, "kind is null");
            requireNonNull(createdBy, "createdBy is null");
            requireNonNull(createdAt, "createdAt is null");
            requireNonNull(site, "site is null");
            requireNonNull(target, "target is null");
            requireNonNull(expiresAt, "expiresAt is null");
        }

        /** The entry as a CSV record ({@link #CSV_COLUMNS}). */
        public List<String> csv() {
            return List.of(Long.toString(id), kind.label(), Boolean.toString(soft), createdAt.toString(), createdBy,
                    site.orElse(""), target, Integer.toString(targets), expiresAt.map(Instant::toString).orElse(""),
                    Long.toString(applied), Long.toString(pending), Long.toString(down));
        }
    }

    /**
     * One page, newest first.
     *
     * @param next pass it as {@code before} for the next (older) page; empty on the last page
     */
    public record Page(List<Entry> entries, OptionalLong next) {
        public Page {
            entries = List.copyOf(entries);
            requireNonNull(next, "next is null");
        }
    }

    /**
     * The page of entries matching {@code filter} with an id below {@code before} (empty: the newest).
     *
     * @param size 1..{@link #MAX_PAGE}
     * @throws ReportException naming {@code size} or {@code before} when out of range
     */
    public Page page(Filter filter, OptionalLong before, int size) throws ReportException, SQLException {
        requireNonNull(filter, "filter is null");
        requireNonNull(before, "before is null");
        if (size < 1 || size > MAX_PAGE) {
            throw new ReportException("size", "size: " + size + " is not 1.." + MAX_PAGE);
        }
        if (before.isPresent() && before.getAsLong() < 1) {
            throw new ReportException("before", "before: " + before.getAsLong() + " is not a log id (>= 1)");
        }
        return database.inSnapshot(connection -> {
            List<Entry> entries = new ArrayList<>(size + 1);
            read(connection, filter, before, size + 1, entries::add);
            boolean more = entries.size() > size;
            List<Entry> page = more ? entries.subList(0, size) : entries;
            return new Page(page, more ? OptionalLong.of(page.get(size - 1).id()) : OptionalLong.empty());
        });
    }

    /**
     * Writes every entry matching {@code filter} as CSV ({@link #CSV_COLUMNS} first) to {@code out}, newest first,
     * from a cursor: memory holds {@link #FETCH_SIZE} entries whatever the history's length. One snapshot, so a long
     * export is consistent (and holds one pooled connection while it runs).
     */
    public void export(Filter filter, Writer out) throws SQLException, IOException {
        requireNonNull(filter, "filter is null");
        Csv csv = new Csv(out);
        csv.record(CSV_COLUMNS);
        try {
            database.inSnapshot(connection -> {
                read(connection, filter, OptionalLong.empty(), Integer.MAX_VALUE, entry -> {
                    try {
                        csv.record(entry.csv());
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
                return null;
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        csv.flush();
    }

    /** Feeds {@code sink} the matching entries with an id below {@code before}, newest first, at most {@code limit}. */
    private void read(Connection connection, Filter filter, OptionalLong before, int limit,
            java.util.function.Consumer<Entry> sink) throws SQLException {
        List<String> where = new ArrayList<>();
        List<Object> values = new ArrayList<>();
        if (before.isPresent()) {
            where.add("r.id < ?");
            values.add(before.getAsLong());
        }
        if (!filter.kinds().isEmpty()) {
            where.add("r.kind = ANY(?)");
            values.add(connection.createArrayOf("text", filter.kinds().stream().map(InvalidationKind::label).toArray()));
        }
        if (filter.who().isPresent()) {
            if (filter.whoPrefix()) {
                where.add("r.created_by LIKE ? ESCAPE '\\'");
                values.add(likeEscape(filter.who().get()) + "%");
            } else {
                where.add("r.created_by = ?");
                values.add(filter.who().get());
            }
        }
        if (filter.from().isPresent()) {
            where.add("r.created_at >= ?");
            values.add(OffsetDateTime.ofInstant(filter.from().get(), ZoneOffset.UTC));
        }
        if (filter.to().isPresent()) {
            where.add("r.created_at < ?");
            values.add(OffsetDateTime.ofInstant(filter.to().get(), ZoneOffset.UTC));
        }
        if (filter.site().isPresent()) {
            where.add("r.site = ?");
            values.add(filter.site().get());
        }
        if (filter.text().isPresent()) {
            where.add("r.target ILIKE ? ESCAPE '\\'");
            values.add("%" + likeEscape(filter.text().get()) + "%");
        }
        String sql = SELECT + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where)) + " ORDER BY r.id DESC"
                + (limit == Integer.MAX_VALUE ? "" : " LIMIT " + limit);
        List<Node> all = nodes.list(connection);
        Instant now = Nodes.now(connection);
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            select.setFetchSize(FETCH_SIZE);
            for (int i = 0; i < values.size(); i++) {
                select.setObject(i + 1, values.get(i));
            }
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    sink.accept(entry(rs, all, now));
                }
            }
        }
    }

    /** {@code value} matching itself only in a LIKE pattern with {@code ESCAPE '\'}. */
    static String likeEscape(String value) {
        return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    private Entry entry(ResultSet rs, List<Node> all, Instant now) throws SQLException {
        long id = rs.getLong(1);
        Set<Long> acked = new HashSet<>();
        for (Object node : (Object[]) rs.getArray(10).getArray()) {
            acked.add(((Number) node).longValue());
        }
        long applied = 0;
        long pending = 0;
        long down = 0;
        for (Node node : all) {
            switch (NodeStatus.of(node, acked.contains(node.id()), id, now, nodeDownAfter)) {
                case APPLIED -> applied++;
                case PENDING -> pending++;
                case DOWN -> down++;
            }
        }
        OffsetDateTime expires = rs.getObject(9, OffsetDateTime.class);
        String target = rs.getString(7);
        return new Entry(id, InvalidationKind.valueOf(rs.getString(2).toUpperCase(Locale.ROOT)), rs.getBoolean(3),
                rs.getString(4), rs.getObject(5, OffsetDateTime.class).toInstant(), Optional.ofNullable(rs.getString(6)),
                target == null ? "" : target, rs.getInt(8), Optional.ofNullable(expires).map(OffsetDateTime::toInstant),
                applied, pending, down);
    }
}
