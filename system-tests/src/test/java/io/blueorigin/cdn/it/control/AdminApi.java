package io.blueorigin.cdn.it.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Calls to admin's JSON API (docs/control-plane.md) as an operator's script would make them. */
final class AdminApi {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI admin;

    AdminApi(URI admin) {
        this.admin = admin;
    }

    /** An answer: status and parsed body (an empty object when there is none). */
    record Answer(int status, JsonNode body) {}

    Answer post(String path, String json, String token) {
        return send(HttpRequest.newBuilder(admin.resolve("/api/v1" + path)).POST(HttpRequest.BodyPublishers.ofString(json))
                .header("Content-Type", "application/json"), token);
    }

    Answer put(String path, String json, String token) {
        return send(HttpRequest.newBuilder(admin.resolve("/api/v1" + path)).PUT(HttpRequest.BodyPublishers.ofString(json))
                .header("Content-Type", "application/json"), token);
    }

    Answer delete(String path, String token) {
        return send(HttpRequest.newBuilder(admin.resolve("/api/v1" + path)).DELETE(), token);
    }

    Answer get(String path, String token) {
        return send(HttpRequest.newBuilder(admin.resolve("/api/v1" + path)).GET(), token);
    }

    /** Creates a token with {@code scope} through the API; returns its secret. */
    String token(String name, String scope, String adminToken) {
        Answer a = post("/tokens", "{\"name\": \"" + name + "\", \"scopes\": [\"" + scope + "\"]}", adminToken);
        if (a.status() != 201) {
            throw new AssertionError("token creation answered " + a);
        }
        return a.body().path("secret").asText();
    }

    /** Posts an invalidation and returns its id, failing unless admin accepted it. */
    long invalidate(String path, String json, String token) {
        Answer a = post(path, json, token);
        if (a.status() != 202) {
            throw new AssertionError("POST " + path + " " + json + " answered " + a);
        }
        return a.body().path("id").asLong();
    }

    private Answer send(HttpRequest.Builder request, String token) {
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<String> r = http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(r.body()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
