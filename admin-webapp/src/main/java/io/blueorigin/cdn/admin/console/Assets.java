package io.blueorigin.cdn.admin.console;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Optional;

/**
 * The console's static files, served by admin itself so the console works offline (no CDN links): its own CSS
 * and script from {@code console/static/}, uPlot from its webjar. A fixed table: nothing a request names is
 * looked up on the classpath.
 */
final class Assets {
    private static final String UPLOT = "META-INF/resources/webjars/uplot/" + uplotVersion() + "/dist/";
    private static final Map<String, Asset> FILES = Map.of(
            "console.css", new Asset("console/static/console.css", "text/css; charset=utf-8"),
            "console.js", new Asset("console/static/console.js", "text/javascript; charset=utf-8"),
            "uPlot.min.css", new Asset(UPLOT + "uPlot.min.css", "text/css; charset=utf-8"),
            "uPlot.iife.min.js", new Asset(UPLOT + "uPlot.iife.min.js", "text/javascript; charset=utf-8"));

    private record Asset(String resource, String type) {}

    private Assets() {}

    /** Serves {@code name} (below /console/static/); false when there is no such file. */
    static boolean serve(String name, HttpServletResponse response) throws IOException {
        Asset asset = FILES.get(name);
        if (asset == null) {
            return false;
        }
        try (InputStream in = Assets.class.getClassLoader().getResourceAsStream(asset.resource())) {
            if (in == null) {
                throw new IllegalStateException("console asset " + asset.resource() + " is missing from the build");
            }
            byte[] bytes = in.readAllBytes();
            response.setContentType(asset.type());
            response.setHeader("Cache-Control", "public, max-age=3600");
            response.setContentLength(bytes.length);
            response.getOutputStream().write(bytes);
        }
        return true;
    }

    /** The uPlot version the build packs (its webjar's pom.properties). */
    private static String uplotVersion() {
        try (InputStream in = Assets.class.getClassLoader()
                .getResourceAsStream("META-INF/maven/org.webjars.npm/uplot/pom.properties")) {
            java.util.Properties properties = new java.util.Properties();
            if (in != null) {
                properties.load(in);
            }
            return Optional.ofNullable(properties.getProperty("version")).orElse("1.6.30");
        } catch (IOException e) {
            return "1.6.30";
        }
    }
}
