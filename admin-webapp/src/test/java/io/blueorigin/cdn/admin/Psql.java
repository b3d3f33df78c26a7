package io.blueorigin.cdn.admin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The {@code psql} binary, run on a file as an operator would ({@code psql -X -v ON_ERROR_STOP=1 --csv -d <url> -f
 * <file>}), with {@code PGTZ=UTC} so that times print the same everywhere. Stateless.
 */
public final class Psql {
    /** Longest one run may take: a bound for a hung psql, not a synchronisation. */
    private static final long TIMEOUT_SECONDS = 120;

    private Psql() {}

    /** What one run printed. */
    public record Result(int exitCode, String stdout, String stderr) {
        /** The CSV output: the header, then one list per row. */
        public List<List<String>> rows() {
            return Csv.parse(stdout);
        }
    }

    /** The installed psql's version line, empty when there is none (or only Debian's wrapper without a client). */
    public static Optional<String> version() {
        try {
            Process process = new ProcessBuilder("psql", "--version").redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            boolean done = process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return done && process.exitValue() == 0 ? Optional.of(out) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /**
     * A libpq connection URI for a JDBC URL of the embedded PostgreSQL ({@code jdbc:postgresql://host:port/db?user=u}):
     * libpq reads the same form without the {@code jdbc:} prefix.
     */
    public static String libpqUrl(String jdbcUrl) {
        if (!jdbcUrl.startsWith("jdbc:postgresql://")) {
            throw new IllegalArgumentException("not a PostgreSQL JDBC URL: " + jdbcUrl);
        }
        return jdbcUrl.substring("jdbc:".length());
    }

    /** Runs {@code file} against {@code url} with these psql variables ({@code -v name=value}). */
    public static Result run(String url, Path file, Map<String, String> variables) {
        List<String> command = new ArrayList<>(List.of("psql", "-X", "-v", "ON_ERROR_STOP=1", "--csv", "-d", url));
        variables.forEach((name, value) -> command.addAll(List.of("-v", name + "=" + value)));
        command.addAll(List.of("-f", file.toString()));
        try {
            Path err = Files.createTempFile("psql", ".err");
            try {
                ProcessBuilder builder = new ProcessBuilder(command).redirectError(err.toFile());
                builder.environment().put("PGTZ", "UTC");
                builder.environment().put("PGCONNECT_TIMEOUT", "10");
                Process process = builder.start();
                process.getOutputStream().close();
                String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new IllegalStateException("psql did not end within " + TIMEOUT_SECONDS + " s: " + command);
                }
                return new Result(process.exitValue(), out, Files.readString(err));
            } finally {
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * RFC 4180 CSV as psql's {@code --csv} writes it: fields separated by commas, a field with a comma, quote or
     * line break quoted, quotes doubled inside. (No CSV library is among the build's dependencies; this reads
     * only what psql writes.)
     */
    static final class Csv {
        private Csv() {}

        static List<List<String>> parse(String text) {
            List<List<String>> rows = new ArrayList<>();
            List<String> row = new ArrayList<>();
            StringBuilder field = new StringBuilder();
            boolean quoted = false;
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (quoted) {
                    if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else if (c == '"') {
                        quoted = false;
                    } else {
                        field.append(c);
                    }
                } else if (c == '"') {
                    quoted = true;
                } else if (c == ',') {
                    row.add(field.toString());
                    field.setLength(0);
                } else if (c == '\n') {
                    row.add(field.toString());
                    field.setLength(0);
                    rows.add(row);
                    row = new ArrayList<>();
                } else if (c != '\r') {
                    field.append(c);
                }
            }
            if (quoted) {
                throw new IllegalArgumentException("unterminated quoted field in: " + text);
            }
            if (field.length() > 0 || !row.isEmpty()) {
                row.add(field.toString());
                rows.add(row);
            }
            return rows;
        }
    }
}
