package io.blueorigin.cdn.admin;

import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * A node's management port reduced to {@code /readyz}, on an ephemeral loopback port: answers the status a
 * test sets, and records which admin probed (its {@code X-Cdn-Admin} header) in order.
 */
final class ReadyzStub implements AutoCloseable {
    private final Server server = new Server();
    private final AtomicInteger status = new AtomicInteger(200);
    private final List<String> probes = new CopyOnWriteArrayList<>();

    ReadyzStub() {
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                if (!"/readyz".equals(Request.getPathInContext(request))) {
                    Response.writeError(request, response, callback, 404);
                    return true;
                }
                String admin = request.getHeaders().get("X-Cdn-Admin");
                probes.add(admin == null ? "(none)" : admin);
                response.setStatus(status.get());
                response.write(true, null, callback);
                return true;
            }
        });
        try {
            server.start();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    URI uri() {
        return server.getURI();
    }

    /** The management URL to register: {@code http://127.0.0.1:<port>}. */
    String url() {
        return "http://127.0.0.1:" + ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }

    void answer(int code) {
        status.set(code);
    }

    /** The admins that probed, in order (one element per probe). */
    List<String> probes() {
        return List.copyOf(probes);
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
