package io.blueorigin.cdn.config;

import io.blueorigin.cdn.httpcache.DataSize;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The kinds of value a setting holds, each with its parser and the expectation shown when parsing fails. */
public enum ValueType {
    STRING("a string"),
    TOKEN("1-63 letters, digits, '.', '_' or '-'"),
    HOST("a host name or IP address, e.g. 0.0.0.0 or 127.0.0.1"),
    PORT("a port number 0..65535"),
    INT("a whole number"),
    DECIMAL("a decimal number such as 51.47 or -0.4543"),
    BOOLEAN("true or false"),
    DURATION("a duration such as 500ms, 30s, 5m, 1h or 1d"),
    SIZE("a size such as 4096, 256KB, 512MB or 2GB (powers of 1024)"),
    URL("an http:// or https:// URL"),
    URL_LIST("one or more http:// or https:// URLs, separated by commas"),
    LIST("values separated by commas (empty for none)"),
    JDBC_URL("a JDBC URL, jdbc:postgresql://host:5432/database"),
    PATH("a file system path"),
    /** A list of site definitions (docs/sites.md): a YAML list in the file, or a flow list with --set. */
    SITES("a list of site definitions (docs/sites.md)");

    private static final Pattern DURATION_SYNTAX = Pattern.compile("(\\d{1,12})\\s*(ms|s|m|h|d)", Pattern.CASE_INSENSITIVE);
    private static final Pattern TOKEN_SYNTAX = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
    private static final Pattern HOST_SYNTAX = Pattern.compile("[A-Za-z0-9.:\\[\\]_-]{1,253}");

    private final String expectation;

    ValueType(String expectation) {
        this.expectation = expectation;
    }

    /** What a valid value looks like, for error messages and the settings table. */
    public String expectation() {
        return expectation;
    }

    /**
     * Parses {@code text} into this type's Java value.
     *
     * @throws IllegalArgumentException when the text is not a valid value of this type ({@link #SITES}: a
     *     {@link io.blueorigin.cdn.httpcache.site.SiteException} naming the field, e.g. {@code sites[1].origins[0].url})
     */
    public Object parse(String text) {
        String s = text.trim();
        Object value = switch (this) {
            case STRING -> s;
            case TOKEN -> TOKEN_SYNTAX.matcher(s).matches() ? s : null;
            case HOST -> HOST_SYNTAX.matcher(s).matches() ? s : null;
            case PORT -> {
                Integer port = parseInt(s);
                yield port != null && port >= 0 && port <= 65_535 ? port : null;
            }
            case INT -> parseInt(s);
            case DECIMAL -> parseDecimal(s);
            case BOOLEAN -> switch (s.toLowerCase(Locale.ROOT)) {
                case "true", "yes", "on" -> Boolean.TRUE;
                case "false", "no", "off" -> Boolean.FALSE;
                default -> null;
            };
            case DURATION -> parseDuration(s);
            case SIZE -> DataSize.parse(s).orElse(null);
            case URL -> parseUrl(s);
            case URL_LIST -> parseUrls(s);
            case LIST -> parseList(s);
            case JDBC_URL -> s.startsWith("jdbc:postgresql:") ? s : null;
            case PATH -> s.isEmpty() || s.indexOf('\0') >= 0 ? null : Path.of(s);
            case SITES -> SiteDefinitions.parse(s);
        };
        if (value == null) {
            throw new IllegalArgumentException("expected: " + expectation);
        }
        return value;
    }

    private static Integer parseInt(String s) {
        try {
            return Integer.valueOf(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** A plain decimal (no exponent, no NaN or infinity: what a coordinate looks like). */
    private static Double parseDecimal(String s) {
        return s.matches("-?\\d{1,3}(\\.\\d{1,12})?") ? Double.valueOf(s) : null;
    }

    private static Duration parseDuration(String s) {
        Matcher m = DURATION_SYNTAX.matcher(s);
        if (!m.matches()) {
            return null;
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    /** Comma-separated values, trimmed; empty ones (and an empty string) give none. */
    private static java.util.List<String> parseList(String s) {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (String part : s.split(",")) {
            if (!part.isBlank()) {
                out.add(part.trim());
            }
        }
        return java.util.List.copyOf(out);
    }

    private static java.util.List<URI> parseUrls(String s) {
        java.util.List<URI> out = new java.util.ArrayList<>();
        for (String part : s.split(",")) {
            URI uri = parseUrl(part.trim());
            if (uri == null) {
                return null;
            }
            out.add(uri);
        }
        return out.isEmpty() ? null : java.util.List.copyOf(out);
    }

    private static URI parseUrl(String s) {
        try {
            URI uri = new URI(s);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            boolean ok = (scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null;
            return ok ? uri : null;
        } catch (URISyntaxException e) {
            return null;
        }
    }
}
