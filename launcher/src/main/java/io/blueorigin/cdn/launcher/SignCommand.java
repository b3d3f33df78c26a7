package io.blueorigin.cdn.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code blue-origin sign}: a signed URL from admin ({@code POST /api/v1/sign}, docs/signed-urls.md), printed on
 * stdout. Signing happens in admin, with the site's current key and its {@code delivery.signing} policy, so
 * the secret never leaves it; there is no offline form (an operator who wants one signs with the secret shown
 * when the key was created, following the canonical string in docs/signed-urls.md).
 *
 * <p>Exit status: 0 with the URL; 2 for a bad option; 1 when admin refuses (its message on stderr) or cannot
 * be reached.
 */
@Command(name = "sign", mixinStandardHelpOptions = true,
        description = "Print a signed URL for a site's path, made by admin (POST /api/v1/sign; token scope purge or admin).")
final class SignCommand implements Callable<Integer> {
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})([smhd])");
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--admin-url", required = true, paramLabel = "URL", description = "Admin's URL, e.g. http://127.0.0.1:9000")
    URI adminUrl;

    @Option(names = "--token", paramLabel = "TOKEN", description = "An API token of scope purge or admin"
            + " (or --token-file; on a shared machine prefer the file: arguments are visible to other users).")
    @Nullable String token;

    @Option(names = "--token-file", paramLabel = "FILE", description = "A file holding the token.")
    @Nullable Path tokenFile;

    @Option(names = "--site", required = true, paramLabel = "NAME", description = "The site's name.")
    String site;

    @Option(names = "--path", required = true, paramLabel = "PATH", description = "The path and query to sign, e.g. /private/a.mp4?w=640")
    String path;

    @Option(names = "--expires-in", paramLabel = "DURATION", defaultValue = "1h",
            description = "How long the URL stays valid: 90s, 30m, 1h, 7d (default: ${DEFAULT-VALUE}).")
    String expiresIn = "1h";

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        long seconds = seconds(expiresIn);
        if (seconds <= 0) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--expires-in: expected a positive duration like 90s, 30m, 1h or 7d, not '" + expiresIn + "'");
        }
        String bearer = token(spec.commandLine());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("site", site);
        body.put("path", path);
        body.put("expiresIn", seconds);
        URI uri = adminUrl.resolve("/api/v1/sign");
        HttpResponse<String> response;
        try {
            response = HttpClient.newBuilder().connectTimeout(TIMEOUT).build().send(HttpRequest.newBuilder(uri)
                    .timeout(TIMEOUT).header("Authorization", "Bearer " + bearer).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            err.println("blue-origin sign: cannot reach admin at " + uri + ": " + e.getMessage());
            return 1;
        }
        JsonNode answer;
        try {
            answer = JSON.readTree(response.body());
        } catch (IOException e) {
            answer = JSON.missingNode();
        }
        if (response.statusCode() != 200 || !answer.path("url").isTextual()) {
            String message = answer.path("message").asText("");
            err.println("blue-origin sign: admin answered " + response.statusCode() + ": "
                    + (message.isEmpty() ? response.body().strip() : message));
            return 1;
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println(answer.path("url").asText());
        out.flush();
        return 0;
    }

    /** Seconds of {@code 90s}, {@code 30m}, {@code 1h}, {@code 7d}; -1 when it is not one. */
    static long seconds(String text) {
        Matcher m = DURATION.matcher(text);
        if (!m.matches()) {
            return -1;
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "s" -> n;
            case "m" -> n * 60;
            case "h" -> n * 3600;
            default -> n * 86_400;
        };
    }

    private String token(CommandLine cli) {
        if ((token == null) == (tokenFile == null)) {
            throw new CommandLine.ParameterException(cli, "give exactly one of --token and --token-file");
        }
        if (token != null) {
            return token.strip();
        }
        try {
            return Files.readString(tokenFile).strip();
        } catch (IOException e) {
            throw new CommandLine.ParameterException(cli, "--token-file: cannot read " + tokenFile + ": " + e.getMessage());
        }
    }
}
