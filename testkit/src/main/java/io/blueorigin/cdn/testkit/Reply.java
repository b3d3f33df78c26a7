package io.blueorigin.cdn.testkit;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * What the test origin answers to one request: status, headers, body, a delay before answering, or a
 * failure. Immutable; built with the {@code with*} methods.
 */
public final class Reply {
    /** How the origin misbehaves instead of answering normally. */
    public enum Failure {
        /** Answer normally. */
        NONE,
        /** Close the connection without a response. */
        CLOSE,
        /** Send the headers and half the body, then abort the connection. */
        ABORT_MID_BODY,
        /** Never answer (until the origin stops). */
        HANG
    }

    private final int status;
    private final List<Map.Entry<String, String>> headers;
    private final byte[] body;
    private final Duration delay;
    private final Failure failure;
    private final CompletionStage<?> hold;
    private final @Nullable CompletionStage<?> midBodyPause;
    /** Fields of a {@code 103 Early Hints} sent before the reply (none: no 103). */
    private final List<Map.Entry<String, String>> earlyHints;
    /** Whether a 200 answers a single {@code Range: bytes=a-b} (or {@code a-}) with a 206 ({@link #withRanges()}). */
    private final boolean ranges;

    private Reply(int status, List<Map.Entry<String, String>> headers, byte[] body, Duration delay, Failure failure,
            CompletionStage<?> hold, @Nullable CompletionStage<?> midBodyPause, List<Map.Entry<String, String>> earlyHints,
            boolean ranges) {
        this.status = status;
        this.headers = List.copyOf(headers);
        this.body = body;
        this.delay = requireNonNull(delay, "delay is null");
        this.failure = requireNonNull(failure, "failure is null");
        this.hold = requireNonNull(hold, "hold is null");
        this.midBodyPause = midBodyPause;
        this.earlyHints = List.copyOf(earlyHints);
        this.ranges = ranges;
    }

    private Reply(int status, List<Map.Entry<String, String>> headers, byte[] body, Duration delay, Failure failure) {
        this(status, headers, body, delay, failure, CompletableFuture.completedFuture(null), null, List.of(), false);
    }

    /** A {@code status} reply with no headers and an empty body. */
    public static Reply status(int status) {
        return new Reply(status, List.of(), new byte[0], Duration.ZERO, Failure.NONE);
    }

    /** A 200 with {@code body} as UTF-8 text. */
    public static Reply ok(String body) {
        return status(200).withBody(body);
    }

    public static Reply failure(Failure failure) {
        return new Reply(200, List.of(), new byte[0], Duration.ZERO, failure);
    }

    public Reply withHeader(String name, String value) {
        List<Map.Entry<String, String>> more = new ArrayList<>(headers);
        more.add(Map.entry(name, value));
        return new Reply(status, more, body, delay, failure, hold, midBodyPause, earlyHints, ranges);
    }

    public Reply withBody(String text) {
        return withBody(text.getBytes(StandardCharsets.UTF_8));
    }

    public Reply withBody(byte[] bytes) {
        return new Reply(status, headers, bytes.clone(), delay, failure, hold, midBodyPause, earlyHints, ranges);
    }

    public Reply withDelay(Duration newDelay) {
        return new Reply(status, headers, body, newDelay, failure, hold, midBodyPause, earlyHints, ranges);
    }

    public Reply withFailure(Failure newFailure) {
        return new Reply(status, headers, body, delay, newFailure, hold, midBodyPause, earlyHints, ranges);
    }

    /** Answers only once {@code release} completes (and after the delay): a test decides when the origin replies. */
    public Reply heldUntil(CompletionStage<?> release) {
        return new Reply(status, headers, body, delay, failure, release, midBodyPause, earlyHints, ranges);
    }

    /**
     * Sends the headers (with {@code Content-Length}) and the first half of the body, then waits for
     * {@code resume} before sending the rest: a test can act while a response is half-way through.
     */
    public Reply pausedMidBodyUntil(CompletionStage<?> resume) {
        return new Reply(status, headers, body, delay, failure, hold, resume, earlyHints, ranges);
    }

    /** Sends {@code 103 Early Hints} with this field before the reply (RFC 8297); call again for more fields. */
    public Reply withEarlyHint(String name, String value) {
        List<Map.Entry<String, String>> more = new java.util.ArrayList<>(earlyHints);
        more.add(Map.entry(name, value));
        return new Reply(status, headers, body, delay, failure, hold, midBodyPause, more, ranges);
    }

    /**
     * A 200 that answers a request with one {@code Range: bytes=first-last} or {@code bytes=first-} as an origin
     * supporting ranges would (RFC 9110 §14): a 206 with {@code Content-Range} and those bytes, or a 416
     * {@code bytes *}{@code /length} when it starts past the end. Other {@code Range} fields (suffixes, several ranges)
     * get the whole 200. Off by default: the test origin ignores {@code Range}.
     */
    public Reply withRanges() {
        return new Reply(status, headers, body, delay, failure, hold, midBodyPause, earlyHints, true);
    }

    /** This reply as the answer to a request whose {@code Range} field is {@code range} (null: none). */
    Reply forRange(@Nullable String range) {
        if (!ranges || status != 200 || range == null) {
            return this;
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("bytes=(\\d{1,18})-(\\d{0,18})").matcher(range.trim());
        if (!m.matches()) {
            return this;
        }
        long first = Long.parseLong(m.group(1));
        long last = m.group(2).isEmpty() ? body.length - 1 : Math.min(Long.parseLong(m.group(2)), body.length - 1L);
        if (first >= body.length || last < first) {
            Reply r = new Reply(416, headers, new byte[0], delay, failure, hold, null, earlyHints, ranges);
            return r.withHeader("Content-Range", "bytes */" + body.length);
        }
        byte[] part = java.util.Arrays.copyOfRange(body, (int) first, (int) last + 1);
        return new Reply(206, headers, part, delay, failure, hold, midBodyPause, earlyHints, ranges)
                .withHeader("Content-Range", "bytes " + first + "-" + last + "/" + body.length);
    }

    List<Map.Entry<String, String>> earlyHints() {
        return earlyHints;
    }

    CompletionStage<?> hold() {
        return hold;
    }

    @Nullable CompletionStage<?> midBodyPause() {
        return midBodyPause;
    }

    public int status() {
        return status;
    }

    public List<Map.Entry<String, String>> headers() {
        return headers;
    }

    byte[] body() {
        return body;
    }

    public Duration delay() {
        return delay;
    }

    public Failure failure() {
        return failure;
    }
}
