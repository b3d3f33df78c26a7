package io.blueorigin.cdn.it.shield;

import io.blueorigin.cdn.testkit.TestClient;
import java.net.URI;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.client.CompletableResponseListener;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.Request;

/** Many requests at once from one asynchronous client: all are sent before any is waited for. */
final class Concurrent {
    private Concurrent() {}

    /** Sends a GET to every URI at once and waits (bounded) for every whole response. */
    static List<ContentResponse> getAll(TestClient client, List<URI> uris) {
        List<CompletableFuture<ContentResponse>> pending = new ArrayList<>();
        for (URI uri : uris) {
            pending.add(new CompletableResponseListener(client.request(uri), TestClient.MAX_BODY).send());
        }
        List<ContentResponse> out = new ArrayList<>();
        for (CompletableFuture<ContentResponse> f : pending) {
            out.add(f.orTimeout(60, TimeUnit.SECONDS).join());
        }
        return out;
    }

    /** A GET whose body is hashed as it arrives, never held in memory: for bodies of any size. */
    static final class StreamedGet {
        final CompletableFuture<Integer> status = new CompletableFuture<>();
        final CompletableFuture<String> sha256 = new CompletableFuture<>();
        final AtomicLong received = new AtomicLong();
        final Request request;

        StreamedGet(TestClient client, URI uri) {
            MessageDigest digest = sha256();
            request = client.jetty().newRequest(uri).timeout(120, TimeUnit.SECONDS)
                    .onResponseHeaders(r -> status.complete(r.getStatus()))
                    .onResponseContent((r, buffer) -> {
                        received.addAndGet(buffer.remaining());
                        digest.update(buffer);
                    });
            request.send(result -> {
                if (result.isFailed()) {
                    status.completeExceptionally(result.getFailure());
                    sha256.completeExceptionally(result.getFailure());
                } else {
                    sha256.complete(HexFormat.of().formatHex(digest.digest()));
                }
            });
        }

        /** Gives up on this request: the client closes its connection mid-response. */
        void disconnect() {
            request.abort(new java.io.IOException("test client went away"));
        }
    }

    static String sha256(byte[] bytes) {
        MessageDigest d = sha256();
        d.update(ByteBuffer.wrap(bytes));
        return HexFormat.of().formatHex(d.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
