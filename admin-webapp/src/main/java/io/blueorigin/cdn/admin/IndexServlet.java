package io.blueorigin.cdn.admin;

import io.blueorigin.cdn.runtime.Json;
import io.blueorigin.cdn.runtime.NodeIdentity;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /}: what this admin is and where its API lives; {@code GET /healthz}: alive (also on the
 * management port), for load balancers that only see the traffic port. Anything else: a JSON 404.
 */
final class IndexServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private final transient NodeIdentity identity;

    IndexServlet(NodeIdentity identity) {
        this.identity = identity;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getRequestURI();
        Map<String, Object> body = new LinkedHashMap<>();
        int status = HttpServletResponse.SC_OK;
        switch (path) {
            case "/" -> {
                body.put("service", "Blue Origin CDN admin");
                body.put("node", identity.name());
                body.put("api", "/api/v1");
            }
            case "/healthz" -> {
                body.put("status", "up");
                body.put("node", identity.name());
            }
            default -> {
                status = HttpServletResponse.SC_NOT_FOUND;
                body.put("error", "no such resource: " + path);
            }
        }
        response.setStatus(status);
        response.setContentType("application/json; charset=utf-8");
        response.setHeader("Cache-Control", "no-store");
        response.getWriter().write(Json.write(body));
    }
}
