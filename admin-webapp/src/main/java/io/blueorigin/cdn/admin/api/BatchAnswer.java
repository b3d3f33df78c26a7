package io.blueorigin.cdn.admin.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonGenerator;
import io.blueorigin.cdn.admin.db.Invalidation;
import io.blueorigin.cdn.admin.db.LogBounds;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.util.function.BooleanSupplier;

/**
 * Streams one long-poll answer, {@code {"latest": L, "oldestRetained": O, "sitesVersion": S, "entries": [<entry>,
 * ...]}}, to the
 * response as the log's cursor delivers entries, within a byte budget.
 *
 * <p>Invariants:
 * <ul>
 *   <li>The answer never exceeds {@code maxBytes} (the poll's {@code maxBytes}, at least
 *       {@link LongPollApi#MIN_ANSWER_BYTES}): before an entry is written its encoded size is computed, and
 *       an entry that would not fit (with the closing {@code ]}}) is not written; the node asks for the rest
 *       next ({@code latest} tells it more follow). The first entry always fits: an entry made through the API
 *       is at most about 1.1 MiB (a 1 MiB request plus field names), well under the minimum budget. One that
 *       does not fit alone (a row written by hand) fails the poll (500, logged) rather than break the bound.
 *   <li>Memory holds one entry at a time, never the answer.
 *   <li>Nothing is written until {@code claim} returned true, once: the poll's owner decides there who answers
 *       (see {@link LongPoll}); a declined claim writes nothing.
 * </ul>
 * Confined to the thread answering the poll.
 */
final class BatchAnswer {
    /** What closes the answer: {@code ]}}. */
    private static final int CLOSING_BYTES = 2;
    /**
     * At most what precedes the first entry: {@code {"latest":<19 digits>,"oldestRetained":<19 digits>,
     * "sitesVersion":<19 digits>,"entries":[}.
     */
    private static final int OPENING_BYTES = 128;

    /** Where the answer goes once claimed: a response (status and headers set), or a buffer. */
    @FunctionalInterface
    interface Target {
        OutputStream open() throws IOException;
    }

    private final Target target;
    private final LogBounds bounds;
    private final long sitesVersion;
    private final long maxBytes;
    private final BooleanSupplier claim;
    private CountingOutputStream counter;
    private JsonGenerator generator;
    private boolean declined;
    private int entries;

    BatchAnswer(HttpServletResponse response, LogBounds bounds, long sitesVersion, long maxBytes, BooleanSupplier claim) {
        this(toResponse(response), bounds, sitesVersion, maxBytes, claim);
    }

    /** An answer written to {@code target} (a buffer, for an answer several polls share). */
    BatchAnswer(Target target, LogBounds bounds, long sitesVersion, long maxBytes, BooleanSupplier claim) {
        this.target = requireNonNull(target, "target is null");
        this.bounds = requireNonNull(bounds, "bounds is null");
        this.sitesVersion = sitesVersion;
        this.maxBytes = maxBytes;
        this.claim = requireNonNull(claim, "claim is null");
    }

    /** Writes {@code entry} if it fits; false when it does not (or the claim was declined): stop reading. */
    boolean add(Invalidation entry) throws IOException {
        var json = Views.entry(entry);
        long size = ApiJson.size(json);
        if (entries == 0 && OPENING_BYTES + size + CLOSING_BYTES > maxBytes) {
            throw new IllegalStateException("invalidation " + entry.id() + " is " + size + " bytes as JSON, more than"
                    + " a long-poll answer may hold (" + maxBytes + "): it was not written through the API");
        }
        if (!start()) {
            return false;
        }
        long position = counter.count() + generator.getOutputBuffered();
        if (position + (entries > 0 ? 1 : 0) + size + CLOSING_BYTES > maxBytes) {
            return false;
        }
        ApiJson.write(generator, json);
        entries++;
        return true;
    }

    /** Whether the answer has started (its status and first bytes are committed to the response). */
    boolean started() {
        return generator != null;
    }

    /** Whether someone else answers this poll: nothing was, and nothing will be, written. */
    boolean declined() {
        return declined;
    }

    /** Completes the answer (starting it if no entry came). */
    void finish() throws IOException {
        if (!start()) {
            return;
        }
        generator.writeEndArray();
        generator.writeEndObject();
        generator.flush();
    }

    private boolean start() throws IOException {
        if (generator != null) {
            return true;
        }
        if (declined || !claim.getAsBoolean()) {
            declined = true;
            return false;
        }
        counter = new CountingOutputStream(target.open());
        generator = ApiJson.generator(counter);
        generator.writeStartObject();
        generator.writeNumberField("latest", bounds.latest());
        generator.writeNumberField("oldestRetained", bounds.oldestRetained());
        generator.writeNumberField("sitesVersion", sitesVersion);
        generator.writeArrayFieldStart("entries");
        return true;
    }

    /** The 200 JSON answer of {@code response}. */
    private static Target toResponse(HttpServletResponse response) {
        requireNonNull(response, "response is null");
        return () -> {
            ApiResponses.startJson(response, 200);
            return response.getOutputStream();
        };
    }
}
