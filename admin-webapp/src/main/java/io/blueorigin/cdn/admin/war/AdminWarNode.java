package io.blueorigin.cdn.admin.war;

import io.blueorigin.cdn.admin.AdminConfig;
import io.blueorigin.cdn.admin.AdminConfigs;
import io.blueorigin.cdn.admin.AdminCore;
import io.blueorigin.cdn.config.ConfigValues;
import io.blueorigin.cdn.runtime.NodeServer;
import io.blueorigin.cdn.runtime.Role;
import io.blueorigin.cdn.runtime.war.WebAppNode;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Handler;

/**
 * The admin node of admin.war: {@code WEB-INF/jetty-ee10-web.xml} inserts it in front of the web application's
 * servlets; it opens the same {@link AdminCore} as the launcher's {@code AdminNode} (database, migrations,
 * bootstrap, API, console) and mounts its servlets on the web application (see {@link WebAppNode}). The
 * bootstrap token and console password go to the log line and to {@code admin.bootstrap-token-file}, as with the
 * launcher.
 */
public final class AdminWarNode extends WebAppNode {
    public AdminWarNode() {
        super(Role.ADMIN);
    }

    @Override
    protected Opened open(ServletContextHandler context, Path file, Handler pass) {
        AdminConfig config = AdminConfigs.admin(ConfigValues.load(Role.ADMIN, Optional.of(file), Map.of(), Map.of(),
                System.getenv()));
        AdminCore core = AdminCore.open(config);
        try {
            core.mount(context);
        } catch (RuntimeException e) {
            core.close();
            throw e;
        }
        Handler traffic = core.traffic(pass);
        return new Opened() {
            @Override
            public String name() {
                return config.identity().name();
            }

            @Override
            public Handler traffic() {
                return traffic;
            }

            @Override
            public NodeServer.Builder management() {
                return core.managementRoutes(NodeServer.builder(core.health(), config.server()));
            }

            @Override
            public void stopping() {
                core.answerWaiting();
            }

            @Override
            public void close() {
                core.close();
            }
        };
    }
}
