package io.blueorigin.cdn.launcher;

import io.blueorigin.cdn.httpcache.site.Site;
import io.blueorigin.cdn.runtime.Json;
import io.blueorigin.cdn.runtime.StartupException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Declares the demo's sites through admin's API, as an operator would: {@code PUT /api/v1/sites/{name}} with a
 * token of scope admin and the JSON definition (docs/sites.md). 201 (created) or 200 (replaced, a restarted
 * demo) are success; anything else stops the demo with admin's answer.
 */
final class DemoSites {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private DemoSites() {}

    /** A site claiming one host, fetching from one origin, with the node's caching settings. */
    static Map<String, Object> definition(String name, String host, URI origin) {
        Map<String, Object> site = new LinkedHashMap<>();
        site.put("name", name);
        site.put("hosts", List.of(host));
        site.put("origins", List.of(Map.of("url", origin.toString())));
        Site.fromMap(site); // the demo's own definitions are valid, or this is a programming error
        return site;
    }

    /** {@code site} with {@code delivery.signing} requiring signed URLs under {@code prefix}. */
    static Map<String, Object> withSigning(Map<String, Object> site, String prefix) {
        Map<String, Object> signed = new LinkedHashMap<>(site);
        signed.put("delivery", Map.of("signing", Map.of("rules", List.of(Map.of("prefix", prefix, "mode", "required")))));
        Site.fromMap(signed);
        return signed;
    }

    /**
     * Gives {@code site} a current signing key unless it has one (a restarted demo keeps its key, so URLs signed
     * in an earlier run stay valid and restarts never pile up keys).
     */
    static void ensureSigningKey(URI admin, String adminToken, String site) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
        URI uri = admin.resolve("/api/v1/sites/" + site + "/keys");
        HttpResponse<String> listed = send(client, HttpRequest.newBuilder(uri).timeout(TIMEOUT)
                .header("Authorization", "Bearer " + adminToken).GET().build(), "list the keys of site " + site);
        if (listed.statusCode() != 200) {
            throw new StartupException("admin refused to list the keys of the demo's site " + site + " (GET " + uri + "): "
                    + listed.statusCode() + " " + listed.body().strip());
        }
        try {
            for (com.fasterxml.jackson.databind.JsonNode key : Json.MAPPER.readTree(listed.body()).path("keys")) {
                if (key.path("state").asText().equals("current")) {
                    return;
                }
            }
        } catch (IOException e) {
            throw new StartupException("admin's list of the keys of site " + site + " is not JSON: " + e.getMessage(), e);
        }
        HttpResponse<String> created = send(client, HttpRequest.newBuilder(uri).timeout(TIMEOUT)
                .header("Authorization", "Bearer " + adminToken).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), "create a key for site " + site);
        if (created.statusCode() != 201) {
            throw new StartupException("admin refused a signing key for the demo's site " + site + " (POST " + uri + "): "
                    + created.statusCode() + " " + created.body().strip());
        }
    }

    private static HttpResponse<String> send(HttpClient client, HttpRequest request, String what) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new StartupException("cannot " + what + " (" + request.method() + " " + request.uri() + "): "
                    + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StartupException("interrupted while trying to " + what, e);
        }
    }

    /** PUTs each definition to admin, in order. */
    static void declare(URI admin, String adminToken, List<Map<String, Object>> sites) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
        for (Map<String, Object> site : sites) {
            String name = (String) site.get("name");
            URI uri = admin.resolve("/api/v1/sites/" + name);
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(TIMEOUT)
                    .header("Authorization", "Bearer " + adminToken)
                    .header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString(Json.write(site)))
                    .build();
            HttpResponse<String> response;
            try {
                response = client.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                throw new StartupException("cannot declare the demo's site " + name + " (PUT " + uri + "): " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StartupException("interrupted while declaring the demo's site " + name, e);
            }
            if (response.statusCode() != 201 && response.statusCode() != 200) {
                throw new StartupException("admin refused the demo's site " + name + " (PUT " + uri + "): "
                        + response.statusCode() + " " + response.body().strip());
            }
        }
    }

    /** PUTs each POP's coordinates ({@code name -> [latitude, longitude]}) to admin ({@code /api/v1/pops/{name}}). */
    static void declarePops(URI admin, String adminToken, Map<String, double[]> pops) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
        pops.forEach((name, at) -> {
            URI uri = admin.resolve("/api/v1/pops/" + name);
            HttpResponse<String> response = send(client, HttpRequest.newBuilder(uri).timeout(TIMEOUT)
                    .header("Authorization", "Bearer " + adminToken).header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString(Json.write(Map.of("latitude", at[0], "longitude", at[1]))))
                    .build(), "declare the demo's POP " + name);
            if (response.statusCode() != 200 && response.statusCode() != 201) {
                throw new StartupException("admin refused the demo's POP " + name + " (PUT " + uri + "): "
                        + response.statusCode() + " " + response.body().strip());
            }
        });
    }
}
