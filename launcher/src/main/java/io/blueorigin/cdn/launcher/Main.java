package io.blueorigin.cdn.launcher;

import io.blueorigin.cdn.admin.AdminConfig;
import io.blueorigin.cdn.admin.AdminConfigs;
import io.blueorigin.cdn.admin.AdminNode;
import io.blueorigin.cdn.admin.db.Database;
import io.blueorigin.cdn.config.ConfigValues;
import io.blueorigin.cdn.config.ConfigurationReference;
import io.blueorigin.cdn.config.Settings;
import io.blueorigin.cdn.edge.EdgeNode;
import io.blueorigin.cdn.origin.DemoOrigin;
import io.blueorigin.cdn.proxy.ProxyConfigs;
import io.blueorigin.cdn.router.RouterNode;
import io.blueorigin.cdn.runtime.Node;
import io.blueorigin.cdn.runtime.Role;
import io.blueorigin.cdn.runtime.StartupException;
import io.blueorigin.cdn.shield.ShieldNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine;

/**
 * {@code blue-origin <command>}: the launcher's entry point.
 *
 * <pre>
 *   demo      the whole topology on one machine (embedded PostgreSQL, admin, origin, shield, edges nyc and lhr)
 *   edge      an edge node          (edge --port 8080 --upstream http://shield:8082)
 *   shield    a shield node         (shield --port 8082 --upstream http://origin:9001)
 *   admin     the control plane     (admin --db-url jdbc:postgresql://db:5432/cdn); admin migrate
 *   origin    the demo origin       (origin --port 9001)
 *   router    geo routing           (router --admin-url http://admin:9000 --geoip-db GeoLite2-City.mmdb; token in CDN_ROUTING_TOKEN)
 *   settings  every configuration key, its default and meaning (--reference: docs/configuration.md)
 *   sign      a signed URL from admin (sign --admin-url URL --token-file F --site www --path /private/a --expires-in 1h)
 *   postgres  a local PostgreSQL for trials and bench/fleet.sh (postgres --data-dir DIR --port 5433); not for production
 *   nodes     several edges and shields in one JVM (nodes edge --port 8080 ... + shield --port 8082 ...)
 * </pre>
 *
 * Exit status: 0 after a clean stop, 2 for a configuration or start-up error (one line on stderr naming
 * the key or port to change), 1 for anything unexpected.
 */
@Command(name = "blue-origin", mixinStandardHelpOptions = true, version = "Blue Origin CDN 0.1.0",
        description = "Blue Origin CDN: edge caches, origin shields and an admin control plane.",
        subcommands = {Main.DemoCommand.class, Main.EdgeCommand.class, Main.ShieldCommand.class,
                Main.AdminCommand.class, Main.OriginCommand.class, Main.RouterCommand.class, Main.SettingsCommand.class, SignCommand.class, Main.PostgresCommand.class,
                Main.NodesCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Callable<Integer> {
    /** Exit status for configuration and start-up errors. */
    static final int EXIT_CONFIG = 2;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit status (tests call this directly). */
    static int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof StartupException) {
                commandLine.getErr().println("blue-origin: " + e.getMessage());
                return EXIT_CONFIG;
            }
            throw e;
        });
        cli.setExitCodeExceptionMapper(e -> e instanceof StartupException || e instanceof CommandLine.ParameterException
                ? EXIT_CONFIG : 1);
        return cli.execute(args);
    }

    @Override
    public Integer call() {
        new CommandLine(this).usage(System.out);
        return 0;
    }

    /** Loads a node's settings from its file, its flags and the environment. */
    static ConfigValues load(Role role, NodeOptions options, Map<String, String> roleFlags, Map<String, String> roleFlagNames) {
        NodeOptions.Flags flags = options.flags(roleFlags, roleFlagNames);
        return ConfigValues.load(role, Optional.ofNullable(options.config), flags.values(), flags.names(), System.getenv());
    }

    static Map<String, String> flag(String key, @Nullable String value) {
        Map<String, String> map = new LinkedHashMap<>();
        if (value != null) {
            map.put(key, value);
        }
        return map;
    }

    static int serve(Node node) throws InterruptedException {
        return serve(List.of(node));
    }

    /** Says where each of {@code nodes} serves, then runs them until the process is asked to stop. */
    static int serve(List<Node> nodes) throws InterruptedException {
        for (Node node : nodes) {
            System.out.println(node.identity().name() + " serving on " + node.uri() + " (management " + node.managementUri()
                    + "/healthz); Ctrl-C stops it");
        }
        NodeRunner.runUntilStopped(nodes);
        return 0;
    }

    @Command(name = "edge", mixinStandardHelpOptions = true,
            description = "Run an edge: a caching reverse proxy near users. With --upstream pointing at an origin and "
                    + "no admin it is a standalone cache (like Varnish in front of one origin).")
    static final class EdgeCommand implements Callable<Integer> {
        @Mixin
        NodeOptions options = new NodeOptions();

        @Option(names = "--upstream", paramLabel = "URL", description = "upstream.url: the shield or origin to fetch from.")
        @Nullable String upstream;

        @Override
        public Integer call() throws Exception {
            return serve(start());
        }

        Node start() {
            ConfigValues values = load(Role.EDGE, options, flag("upstream.url", upstream), Map.of("upstream.url", "--upstream"));
            return EdgeNode.start(ProxyConfigs.proxy(values));
        }
    }

    @Command(name = "shield", mixinStandardHelpOptions = true,
            description = "Run a shield: the mid-tier cache between edges and the origin.")
    static final class ShieldCommand implements Callable<Integer> {
        @Mixin
        NodeOptions options = new NodeOptions();

        @Option(names = "--upstream", paramLabel = "URL", description = "upstream.url: the origin to fetch from.")
        @Nullable String upstream;

        @Override
        public Integer call() throws Exception {
            return serve(start());
        }

        Node start() {
            ConfigValues values = load(Role.SHIELD, options, flag("upstream.url", upstream), Map.of("upstream.url", "--upstream"));
            return ShieldNode.start(ProxyConfigs.proxy(values));
        }
    }

    @Command(name = "admin", mixinStandardHelpOptions = true, subcommands = {AdminCommand.MigrateCommand.class,
            AdminCommand.UserCommand.class},
            description = "Run the admin control plane over PostgreSQL (migrations are applied at start unless "
                    + "db.migrate-on-start=false).")
    static final class AdminCommand implements Callable<Integer> {
        @Mixin
        NodeOptions options = new NodeOptions();

        @Option(names = "--db-url", scope = ScopeType.INHERIT, paramLabel = "JDBC_URL", description = "db.url: jdbc:postgresql://host:5432/database")
        @Nullable String dbUrl;

        @Option(names = "--db-user", scope = ScopeType.INHERIT, paramLabel = "USER", description = "db.user (password: CDN_DB_PASSWORD).")
        @Nullable String dbUser;

        @Option(names = "--bootstrap-token-file", scope = ScopeType.INHERIT, paramLabel = "FILE",
                description = "admin.bootstrap-token-file: where to write the first admin token.")
        @Nullable String tokenFile;

        ConfigValues values() {
            Map<String, String> flags = flag("db.url", dbUrl);
            flags.putAll(flag("db.user", dbUser));
            flags.putAll(flag("admin.bootstrap-token-file", tokenFile));
            return load(Role.ADMIN, options, flags, Map.of("db.url", "--db-url", "db.user", "--db-user",
                    "admin.bootstrap-token-file", "--bootstrap-token-file"));
        }

        @Override
        public Integer call() throws Exception {
            AdminNode admin = AdminNode.start(AdminConfigs.admin(values()));
            admin.bootstrapToken().ifPresent(token -> System.out.println("Bootstrap admin token (shown once): " + token));
            admin.bootstrapPassword().ifPresent(password -> System.out.println("Console user 'admin' created; its password"
                    + " (shown once): " + password + "  (log in at " + admin.uri() + "/console/)"));
            return serve(admin);
        }

        @Command(name = "migrate", mixinStandardHelpOptions = true,
                description = "Apply pending database migrations and exit.")
        static final class MigrateCommand implements Callable<Integer> {
            @CommandLine.ParentCommand
            @Nullable AdminCommand parent;

            @Override
            public Integer call() {
                AdminConfig config = AdminConfigs.admin(java.util.Objects.requireNonNull(parent).values());
                var forced = new io.blueorigin.cdn.admin.db.DatabaseConfig(config.database().url(), config.database().user(),
                        config.database().password(), 2, config.database().connectTimeout(), true);
                try (Database ignored = Database.open(forced, "migrate")) {
                    System.out.println("database schema is up to date");
                }
                return 0;
            }
        }

        @Command(name = "user", mixinStandardHelpOptions = true, subcommands = UserCommand.AddCommand.class,
                description = "Manage console users (the Users page of /console/ does the same).")
        static final class UserCommand {
            @CommandLine.ParentCommand
            @Nullable AdminCommand parent;

            @Command(name = "add", mixinStandardHelpOptions = true,
                    description = "Add a console user; the password is read from the first line of standard input.")
            static final class AddCommand implements Callable<Integer> {
                @CommandLine.ParentCommand
                @Nullable UserCommand parent;

                @CommandLine.Parameters(index = "0", paramLabel = "NAME", description = "user name: 1-63 of a-z 0-9 . _ -")
                String username = "";

                @CommandLine.Parameters(index = "1", paramLabel = "ROLE", description = "read, purge or admin")
                String role = "";

                @Override
                public Integer call() throws Exception {
                    AdminConfig config = AdminConfigs.admin(java.util.Objects.requireNonNull(
                            java.util.Objects.requireNonNull(parent).parent).values());
                    String password = new java.io.BufferedReader(new java.io.InputStreamReader(System.in,
                            java.nio.charset.StandardCharsets.UTF_8)).readLine();
                    try (Database database = Database.open(config.database(), "user-add")) {
                        io.blueorigin.cdn.admin.console.Users.add(database, username, role, password == null ? "" : password,
                                "command line", "localhost");
                    } catch (io.blueorigin.cdn.admin.console.Users.Refused e) {
                        System.err.println("blue-origin admin user add: " + e.getMessage());
                        return EXIT_CONFIG;
                    }
                    System.out.println("console user " + username + " added with role " + role);
                    return 0;
                }
            }
        }
    }

    @Command(name = "origin", mixinStandardHelpOptions = true,
            description = "Run the demo origin (/item/{n}, /article/{n}, /static/{size}, /echo, /_origin/stats).")
    static final class OriginCommand implements Callable<Integer> {
        @Mixin
        NodeOptions options = new NodeOptions();

        @Option(names = "--delay", paramLabel = "DURATION", description = "origin.delay: processing delay (default 50ms).")
        @Nullable String delay;

        @Override
        public Integer call() throws Exception {
            ConfigValues values = load(Role.ORIGIN, options, flag("origin.delay", delay), Map.of("origin.delay", "--delay"));
            return serve(DemoOrigin.start(RoleConfigs.origin(values)));
        }
    }

    @Command(name = "router", mixinStandardHelpOptions = true,
            description = "Run a router: sends each client to the nearest healthy edge (GET /route/<path> 302, "
                    + "GET /api/v1/route?ip=, DNS with routing.dns-port), following admin's health view.")
    static final class RouterCommand implements Callable<Integer> {
        @Mixin
        NodeOptions options = new NodeOptions();

        @Option(names = "--admin-url", paramLabel = "URL", description = "routing.admin-url: the admin to follow (several replicas: comma-separated).")
        @Nullable String adminUrl;

        @Option(names = "--geoip-db", paramLabel = "FILE", description = "routing.geoip-db: a GeoIP2/GeoLite2 City .mmdb.")
        @Nullable String geoipDb;

        @Override
        public Integer call() throws Exception {
            Map<String, String> flags = flag("routing.admin-url", adminUrl);
            flags.putAll(flag("routing.geoip-db", geoipDb));
            ConfigValues values = load(Role.ROUTER, options, flags,
                    Map.of("routing.admin-url", "--admin-url", "routing.geoip-db", "--geoip-db"));
            return serve(RouterNode.start(RoleConfigs.router(values)));
        }
    }

    @Command(name = "nodes", mixinStandardHelpOptions = true,
            description = "Run several edges and shields in one JVM, each with its own settings, store and ports: "
                    + "nodes edge --port 8080 --name edge-a ... + shield --port 8082 --name shield-a ... (each part "
                    + "takes what the edge or shield command takes; parts are separated by a lone +). The nodes share the "
                    + "process's heap and CPU; a failed start stops those already started. The environment's "
                    + "CDN_CONTROL_TOKEN would give every node the same token: give each its own with "
                    + "--set control.token=... or in its --config file.")
    static final class NodesCommand implements Callable<Integer> {
        @CommandLine.Unmatched
        List<String> parts = new java.util.ArrayList<>();

        @Override
        public Integer call() throws Exception {
            return serve(startAll(parts));
        }

        /** Starts the node of each part, in order; if one fails, stops those started (last first) and throws. */
        static List<Node> startAll(List<String> args) {
            List<Node> started = new java.util.ArrayList<>();
            try {
                for (List<String> part : split(args)) {
                    started.add(start(part));
                }
                return started;
            } catch (RuntimeException e) {
                java.util.Collections.reverse(started);
                NodeRunner.closeAll(started); // last started first, as a stop would
                throw e;
            }
        }

        /** The node command lines between lone {@code +} arguments. */
        static List<List<String>> split(List<String> args) {
            List<List<String>> parts = new java.util.ArrayList<>();
            List<String> part = new java.util.ArrayList<>();
            for (String arg : args) {
                if (arg.equals("+")) {
                    parts.add(part);
                    part = new java.util.ArrayList<>();
                } else {
                    part.add(arg);
                }
            }
            parts.add(part);
            if (parts.stream().anyMatch(List::isEmpty)) {
                throw new StartupException("nodes: an empty part (expected: edge ARGS... + shield ARGS... + ...)");
            }
            return parts;
        }

        private static Node start(List<String> part) {
            String role = part.get(0);
            String[] args = part.subList(1, part.size()).toArray(String[]::new);
            return switch (role) {
                case "edge" -> {
                    EdgeCommand edge = new EdgeCommand();
                    new CommandLine(edge).parseArgs(args);
                    yield edge.start();
                }
                case "shield" -> {
                    ShieldCommand shield = new ShieldCommand();
                    new CommandLine(shield).parseArgs(args);
                    yield shield.start();
                }
                default -> throw new StartupException("nodes: '" + role + "' is not a node this command runs (expected:"
                        + " edge or shield)");
            };
        }
    }

    @Command(name = "demo", mixinStandardHelpOptions = true,
            description = "Run the whole topology on this machine: embedded PostgreSQL, admin :9000, origin :9001, "
                    + "shields iad :8082 and ord :8083, edges nyc :8080 and lhr :8081 (management ports +10000).")
    static final class DemoCommand implements Callable<Integer> {
        @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "./var/demo",
                description = "Where the demo keeps PostgreSQL, the admin token and logs (default: ${DEFAULT-VALUE}).")
        Path dataDir = Path.of("./var/demo");

        @Option(names = "--host", paramLabel = "ADDR", defaultValue = "127.0.0.1",
                description = "Address every node binds (default: ${DEFAULT-VALUE}).")
        String host = "127.0.0.1";

        @Override
        public Integer call() throws Exception {
            Demo demo = Demo.start(new Demo.Spec(dataDir, host, Demo.Ports.STANDARD));
            System.out.println(demo.describe());
            NodeRunner.runUntilStopped(List.of(demo));
            return 0;
        }
    }

    @Command(name = "postgres", mixinStandardHelpOptions = true,
            description = "Run a local PostgreSQL for trials and benchmarks (bench/fleet.sh): the demo's embedded server, its "
                    + "data kept in --data-dir across restarts, user postgres, no password. Not for production: there admin "
                    + "uses your own PostgreSQL (db.url).")
    static final class PostgresCommand implements Callable<Integer> {
        @Option(names = "--data-dir", required = true, paramLabel = "DIR", description = "Where the database's files live.")
        Path dataDir = Path.of(".");

        @Option(names = "--port", required = true, paramLabel = "PORT", description = "Port to listen on (127.0.0.1).")
        int port;

        @Override
        public Integer call() throws Exception {
            if (port < 1 || port > 65535) {
                throw new StartupException("--port : " + port + " (expected: 1..65535)");
            }
            DemoPostgres postgres = DemoPostgres.start(dataDir, port);
            System.out.println("postgres serving on " + postgres.jdbcUrl() + " (user postgres, data in " + dataDir
                    + "); Ctrl-C stops it");
            NodeRunner.runUntilStopped(List.of(postgres));
            return 0;
        }
    }

    @Command(name = "settings", mixinStandardHelpOptions = true,
            description = "Print every configuration key with its roles, type, default and meaning (Markdown).")
    static final class SettingsCommand implements Callable<Integer> {
        @Option(names = "--reference", description = "Print the whole configuration reference instead "
                + "(docs/configuration.md: sections, bounds, environment variables, reload behaviour).")
        boolean reference;

        @Override
        public Integer call() {
            PrintWriter out = new PrintWriter(System.out, true);
            out.print(reference ? ConfigurationReference.markdown() : Settings.markdownTable());
            out.flush();
            return 0;
        }
    }
}
