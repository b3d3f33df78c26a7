package io.blueorigin.cdn.admin.report;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.blueorigin.cdn.admin.db.Node;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.client.CompletableResponseListener;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;

/**
 * Asks every node its cache inspector ({@code GET /cache/inspect} on its management URL, docs/cache-inspector.md) at
 * once: what each one holds for a URL, or what a purge of a tag would hit on each. The requests go out concurrently
 * on the caller's Jetty {@link HttpClient}; the whole lookup ends within {@code timeout} (a node that has not answered
 * by then is reported as such), and a node's answer is read up to {@code maxResponseBytes} (a larger one is an error
 * for that node, never a heap spike). Answers are parsed as JSON and returned as they are, one per node, in the order
 * of the nodes given; a node's failure never fails the lookup.
 *
 * <p>The nodes are the registered ones ({@code database.inSnapshot(nodes::list)}). Thread-safe; holds no state but its
 * settings (the client is the caller's, started and stopped by it).
 */
public final class NodeLookup {
    /** Longest {@code url} and {@code tag} the inspector accepts (CacheInspector's limits). */
    public static final int MAX_URL_LENGTH = 4 * 1024;
    public static final int MAX_TAG_LENGTH = 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client;
    private final Duration timeout;
    private final int maxResponseBytes;

    /**
     * @param client a started client (the admin's outbound one)
     * @param timeout the longest a whole lookup takes, every node included
     * @param maxResponseBytes the most bytes read of one node's answer (an inspector answer is at most a few hundred
     *     KiB: 32 variants or 100 tagged keys)
     */
    public NodeLookup(HttpClient client, Duration timeout, int maxResponseBytes) {
        this.client = requireNonNull(client, "client is null");
        this.timeout = requireNonNull(timeout, "timeout is null");
        if (timeout.toMillis() < 1) {
            throw new IllegalArgumentException("timeout < 1 ms: " + timeout);
        }
        if (maxResponseBytes < 1) {
            throw new IllegalArgumentException("maxResponseBytes < 1: " + maxResponseBytes);
        }
        this.maxResponseBytes = maxResponseBytes;
    }

    /**
     * One node's answer.
     *
     * @param node, role, pop which node
     * @param status the HTTP status it answered (empty: no answer)
     * @param json its answer's body (the inspector's JSON, or its {@code {"error", "usage"}} for a 400)
     * @param error why there is no usable answer: unreachable, timed out, too large, not JSON, or the node's own
     *     {@code error} for a non-200 status; empty when {@code status} is 200 and {@code json} is present
     */
    public record Answer(String node, String role, String pop, OptionalInt status, Optional<JsonNode> json,
            Optional<String> error) {
        public Answer {
            requireNonNull(node, "node is null");
            requireNonNull(role, "role is null");
            requireNonNull(pop, "pop is null");
            requireNonNull(status, "status is null");
            requireNonNull(json, "json is null");
            requireNonNull(error, "error is null");
        }

        /** Whether the node answered at all (any status). */
        public boolean reachable() {
            return status.isPresent();
        }
    }

    /**
     * Every node's view of {@code url} ({@code ?url=&host=}).
     *
     * @param url an absolute http(s) URL or a {@code /}-rooted path with its query
     * @param host the {@code Host} a request would carry (empty: the URL's)
     * @throws ReportException naming {@code url} or {@code host} when missing or too long (the nodes judge the rest,
     *     each answering a 400 that says why)
     */
    public List<Answer> url(List<Node> nodes, String url, Optional<String> host) throws ReportException {
        String u = url == null ? "" : url.strip();
        if (u.isEmpty()) {
            throw new ReportException("url", "url: required, an absolute URL (https://www.example.com/item/1) or a path"
                    + " (/item/1?v=2)");
        }
        if (u.length() > MAX_URL_LENGTH) {
            throw new ReportException("url", "url: longer than " + MAX_URL_LENGTH + " characters");
        }
        StringBuilder query = new StringBuilder("url=").append(encode(u));
        if (host.isPresent() && !host.get().isBlank()) {
            String h = host.get().strip();
            if (h.length() > 255 || !h.matches("[A-Za-z0-9.:\\[\\]_-]+")) {
                throw new ReportException("host", "host: '" + (h.length() > 40 ? h.substring(0, 40) + "..." : h)
                        + "' is not a host name (letters, digits, '.', '-', ':')");
            }
            query.append("&host=").append(encode(h));
        }
        return ask(nodes, query.toString());
    }

    /**
     * What a purge of {@code tag} would hit on every node ({@code ?tag=}).
     *
     * @throws ReportException naming {@code tag} when it is empty, too long or holds a space or control character
     */
    public List<Answer> tag(List<Node> nodes, String tag) throws ReportException {
        String t = tag == null ? "" : tag.strip();
        if (t.isEmpty()) {
            throw new ReportException("tag", "tag: required, a surrogate key (a Surrogate-Key tag such as item-1)");
        }
        if (t.length() > MAX_TAG_LENGTH) {
            throw new ReportException("tag", "tag: longer than " + MAX_TAG_LENGTH + " characters");
        }
        if (t.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
            throw new ReportException("tag", "tag: holds a space or control character (a Surrogate-Key field separates"
                    + " tags by spaces: give one tag)");
        }
        return ask(nodes, "tag=" + encode(t));
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** Sends {@code /cache/inspect?query} to every node at once, then collects until the deadline. */
    private List<Answer> ask(List<Node> nodes, String query) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<CompletableFuture<ContentResponse>> sent = new ArrayList<>(nodes.size());
        List<Optional<String>> refused = new ArrayList<>(nodes.size());
        for (Node node : nodes) {
            try {
                URI uri = URI.create(node.managementUrl().replaceAll("/+$", "") + "/cache/inspect?" + query);
                Request request = client.newRequest(uri).timeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
                sent.add(new CompletableResponseListener(request, maxResponseBytes).send());
                refused.add(Optional.empty());
            } catch (IllegalArgumentException e) {
                sent.add(null);
                refused.add(Optional.of("its management URL '" + node.managementUrl() + "' is not a URL: "
                        + e.getMessage()));
            }
        }
        List<Answer> answers = new ArrayList<>(nodes.size());
        for (int i = 0; i < nodes.size(); i++) {
            Node node = nodes.get(i);
            CompletableFuture<ContentResponse> future = sent.get(i);
            answers.add(future == null ? failed(node, refused.get(i).orElseThrow()) : collect(node, future, deadline));
        }
        return answers;
    }

    private Answer collect(Node node, CompletableFuture<ContentResponse> future, long deadline) {
        ContentResponse response;
        try {
            response = future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            return failed(node, "no answer within " + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.cancel(true);
            return failed(node, "interrupted");
        } catch (ExecutionException e) {
            return failed(node, reason(e.getCause()));
        }
        JsonNode json;
        try {
            json = JSON.readTree(response.getContent());
        } catch (java.io.IOException e) {
            return new Answer(node.name(), role(node), node.pop(), OptionalInt.of(response.getStatus()), Optional.empty(),
                    Optional.of("answered " + response.getStatus() + " with a body that is not JSON"));
        }
        if (json == null || !json.isObject()) {
            return new Answer(node.name(), role(node), node.pop(), OptionalInt.of(response.getStatus()), Optional.empty(),
                    Optional.of("answered " + response.getStatus() + " with a body that is not a JSON object"));
        }
        Optional<String> error = response.getStatus() == 200 ? Optional.empty()
                : Optional.of("answered " + response.getStatus() + (json.path("error").isTextual()
                        ? ": " + json.path("error").asText() : ""));
        return new Answer(node.name(), role(node), node.pop(), OptionalInt.of(response.getStatus()), Optional.of(json),
                error);
    }

    private String reason(Throwable cause) {
        String message = String.valueOf(cause.getMessage());
        if (cause instanceof TimeoutException || message.toLowerCase(Locale.ROOT).contains("timeout")) {
            return "no answer within " + timeout.toMillis() + " ms";
        }
        if (message.contains("Buffering capacity") || message.contains("exceeded")) {
            return "answer larger than " + maxResponseBytes + " bytes (not read)";
        }
        if (cause instanceof java.net.ConnectException) {
            return "unreachable: " + message;
        }
        return "failed: " + cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + message);
    }

    private static Answer failed(Node node, String error) {
        return new Answer(node.name(), role(node), node.pop(), OptionalInt.empty(), Optional.empty(), Optional.of(error));
    }

    private static String role(Node node) {
        return node.role().name().toLowerCase(Locale.ROOT);
    }
}
