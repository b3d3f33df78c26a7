package io.blueorigin.cdn.testkit;

import java.net.URI;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;

/**
 * An HTTP/1.1 client for tests that may send any header (unlike {@code java.net.http}, which refuses
 * {@code Connection}, {@code Via} or {@code Host} overrides): Jetty's client, with redirects off, no cookies
 * and content decoding off, so responses arrive exactly as the CDN sent them.
 */
public final class TestClient implements AutoCloseable {
    private final HttpClient client = new HttpClient();

    public TestClient() {
        client.setFollowRedirects(false);
        client.setHttpCookieStore(new org.eclipse.jetty.http.HttpCookieStore.Empty());
        client.setMaxConnectionsPerDestination(512);
        client.setName("test-client");
        try {
            client.start();
        } catch (Exception e) {
            throw new IllegalStateException("test client failed to start", e);
        }
        client.getContentDecoderFactories().clear();
    }

    /** A request to {@code uri} with a 30 s total timeout; add headers, method and body, then {@code send()}. */
    public Request request(URI uri) {
        return client.newRequest(uri).timeout(30, TimeUnit.SECONDS);
    }

    public ContentResponse get(URI uri) {
        return send(request(uri));
    }

    /** A GET of {@code uri} with request fields given as name, value, name, value... */
    public ContentResponse get(URI uri, String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("fields come as name, value pairs: " + namesAndValues.length + " strings");
        }
        Request request = request(uri);
        for (int i = 0; i < namesAndValues.length; i += 2) {
            String name = namesAndValues[i];
            String value = namesAndValues[i + 1];
            request.headers(h -> h.add(name, value));
        }
        return send(request);
    }

    /** Largest response body a test reads into memory. */
    public static final int MAX_BODY = 64 << 20;

    /** Sends and returns the whole response (up to {@link #MAX_BODY}); failures become unchecked, with the request. */
    public static ContentResponse send(Request request) {
        try {
            return new org.eclipse.jetty.client.CompletableResponseListener(request, MAX_BODY).send().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + request, e);
        } catch (Exception e) {
            throw new IllegalStateException(request.getMethod() + " " + request.getURI() + " failed: " + e, e);
        }
    }

    public HttpClient jetty() {
        return client;
    }

    @Override
    public void close() {
        try {
            client.stop();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
