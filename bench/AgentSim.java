import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Many light simulated node agents against a running fleet's admin (issue 17), to measure what admin and
 * PostgreSQL spend per node rather than guess it. Each simulated agent does what a node's agent does on the wire
 * (docs/control-plane.md, "Node agents"): registers with its own node token, long-polls the invalidation log, acks
 * every entry at once, sends a heartbeat every --heartbeat-seconds, and answers admin's health probes
 * ({@code <managementUrl>/readyz}, from one small server for all of them). Nothing is cached or applied: the cost
 * measured is admin's and the database's, not the nodes'.
 *
 * <pre>java -cp launcher/target/blue-origin.jar bench/AgentSim.java --admin http://127.0.0.3:29001
 *     --token-file /tmp/cdn-fleet/admin.token --agents 100 --seconds 30 [--heartbeat-seconds 5] [--purge-every-ms 1000]
 *     [--admin-pids 123,456] [--jdbc jdbc:postgresql://127.0.0.1:25432/postgres]</pre>
 *
 * After a 10 s settle it measures over --seconds: the admin processes' CPU (from /proc), every postgres process's
 * CPU, transactions and rows read per second (pg_stat_database), connections established to admin's port and the
 * database's client backends, and for each purge the time from its 202 until the last simulated agent's poll
 * brought it. Bounded: at most 2,000 agents and 600 s. Loopback only.
 */
public final class AgentSim {
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*(\\d+)");
    private static final Pattern LATEST = Pattern.compile("\"latest\"\\s*:\\s*(\\d+)");
    private static final Pattern SECRET = Pattern.compile("\"secret\"\\s*:\\s*\"([^\"]+)\"");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .executor(Executors.newFixedThreadPool(4)).build();
    private final String admin;
    private final String adminToken;
    private final AtomicLong polls = new AtomicLong();
    private final AtomicLong acks = new AtomicLong();
    private final AtomicLong beats = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    /** What failed, by call and status or exception: the first lines of the report when anything did. */
    private final Map<String, java.util.concurrent.atomic.LongAdder> errorKinds = new ConcurrentHashMap<>();
    private final AtomicLong probes = new AtomicLong();
    /** Purge id -> when its 202 arrived (nanoTime), and -> the latest any agent's poll brought it. */
    private final Map<Long, Long> purgedAt = new ConcurrentHashMap<>();
    private final Map<Long, Long> lastDelivery = new ConcurrentHashMap<>();
    private volatile boolean stopping;

    private AgentSim(String admin, String adminToken) {
        this.admin = admin;
        this.adminToken = adminToken;
    }

    public static void main(String[] args) throws Exception {
        String admin = null;
        String tokenFile = null;
        String jdbc = "jdbc:postgresql://127.0.0.1:25432/postgres";
        int agents = 100;
        int seconds = 30;
        int heartbeat = 5;
        int purgeEveryMs = 1000;
        List<Long> adminPids = new ArrayList<>();
        for (int i = 0; i < args.length; i += 2) {
            String v = args[i + 1];
            switch (args[i]) {
                case "--admin" -> admin = v;
                case "--token-file" -> tokenFile = v;
                case "--jdbc" -> jdbc = v;
                case "--agents" -> agents = Integer.parseInt(v);
                case "--seconds" -> seconds = Integer.parseInt(v);
                case "--heartbeat-seconds" -> heartbeat = Integer.parseInt(v);
                case "--purge-every-ms" -> purgeEveryMs = Integer.parseInt(v);
                case "--admin-pids" -> {
                    for (String p : v.split(",")) {
                        adminPids.add(Long.parseLong(p.trim()));
                    }
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (admin == null || tokenFile == null || !URI.create(admin).getHost().startsWith("127.")) {
            throw new IllegalArgumentException("--admin http://127.x.x.x:PORT and --token-file are required (loopback only)");
        }
        if (agents < 0 || agents > 2000 || seconds < 5 || seconds > 600 || heartbeat < 1 || purgeEveryMs < 100) {
            throw new IllegalArgumentException("bounded: --agents 0..2000, --seconds 5..600, --heartbeat-seconds >= 1, "
                    + "--purge-every-ms >= 100");
        }
        new AgentSim(admin, Files.readString(Path.of(tokenFile)).trim()).run(agents, seconds, heartbeat, purgeEveryMs,
                adminPids, jdbc);
    }

    private void run(int agents, int seconds, int heartbeat, int purgeEveryMs, List<Long> adminPids, String jdbc)
            throws Exception {
        // one server answers every simulated agent's health probe: GET /sim-0001/readyz
        com.sun.net.httpserver.HttpServer probesServer = com.sun.net.httpserver.HttpServer.create(
                new InetSocketAddress(URI.create(admin).getHost(), 0), 512);
        probesServer.createContext("/", exchange -> {
            probes.incrementAndGet();
            byte[] body = "{\"ready\":true}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        probesServer.setExecutor(Executors.newFixedThreadPool(2));
        probesServer.start();
        String probeBase = "http://" + URI.create(admin).getHost() + ":" + probesServer.getAddress().getPort();
        ScheduledExecutorService timers = Executors.newScheduledThreadPool(2);
        for (int i = 1; i <= agents; i++) {
            String name = String.format(Locale.ROOT, "sim-%04d", i);
            String secret = match(SECRET, call("POST", "/tokens", "{\"name\": \"" + name + "\", \"scopes\": [\"node\"], \"node\": \""
                    + name + "\"}", adminToken).body());
            String reg = "{\"name\": \"" + name + "\", \"role\": \"edge\", \"pop\": \"sim\", \"trafficUrl\": \"" + probeBase + "/" + name
                    + "\", \"managementUrl\": \"" + probeBase + "/" + name + "\", \"lastApplied\": 0, \"weight\": 1}";
            HttpResponse<String> r = call("POST", "/nodes/register", reg, secret);
            if (r.statusCode() != 200) {
                throw new IllegalStateException("register " + name + ": " + r.statusCode() + " " + r.body());
            }
            long from = number(LATEST, r.body());
            poll(name, secret, from);
            long offset = (long) (Math.random() * heartbeat * 1000);
            timers.scheduleAtFixedRate(() -> beat(name, secret), offset, heartbeat * 1000L, TimeUnit.MILLISECONDS);
        }
        timers.scheduleAtFixedRate(this::purge, purgeEveryMs, purgeEveryMs, TimeUnit.MILLISECONDS);
        System.out.printf(Locale.ROOT, "agent sim: %d agents registered (heartbeat %d s, a purge every %d ms); settling 10 s%n",
                agents, heartbeat, purgeEveryMs);
        Thread.sleep(10_000);
        purgedAt.clear();
        lastDelivery.clear();
        Sample before = sample(adminPids, jdbc);
        long p0 = polls.get(), a0 = acks.get(), b0 = beats.get(), h0 = probes.get(), e0 = errors.get();
        Thread.sleep(seconds * 1000L);
        Sample after = sample(adminPids, jdbc);
        double s = (after.nanos - before.nanos) / 1e9;
        List<Double> delivery = new ArrayList<>();
        purgedAt.forEach((id, t) -> {
            Long last = lastDelivery.get(id);
            if (last != null && agents > 0) {
                delivery.add((last - t) / 1e6);
            }
        });
        Collections.sort(delivery);
        System.out.printf(Locale.ROOT, "window %.1f s: admin CPU %.1f %% of a core, postgres CPU %.1f %%, %.0f transactions/s, "
                + "%.0f rows read/s; connections to admin %d, database client backends %d%n", s,
                100.0 * (after.adminTicks - before.adminTicks) / 100.0 / s, 100.0 * (after.pgTicks - before.pgTicks) / 100.0 / s,
                (after.xacts - before.xacts) / s, (after.rows - before.rows) / s, after.adminConnections, after.backends);
        System.out.printf(Locale.ROOT, "agents: %.1f polls/s, %.1f acks/s, %.1f heartbeats/s, %.1f health probes/s, %d errors%n",
                (polls.get() - p0) / s, (acks.get() - a0) / s, (beats.get() - b0) / s, (probes.get() - h0) / s, errors.get() - e0);
        errorKinds.forEach((kind, n) -> System.out.printf(Locale.ROOT, "  errors: %s x %d%n", kind, n.sum()));
        if (!delivery.isEmpty()) {
            System.out.printf(Locale.ROOT, "purge 202 -> last simulated agent's poll: p50 %.1f, p99 %.1f, max %.1f ms over %d purges%n",
                    delivery.get(delivery.size() / 2), delivery.get(Math.min(delivery.size() - 1, (int) Math.round(0.99 * (delivery.size() - 1)))),
                    delivery.get(delivery.size() - 1), delivery.size());
        }
        stopping = true;
        timers.shutdownNow();
        probesServer.stop(0);
        System.exit(0);
    }

    private void poll(String name, String secret, long after) {
        if (stopping) {
            return;
        }
        HttpRequest request = request("GET", "/invalidations?after=" + after + "&wait=25&maxBytes=4194304", null, secret)
                .timeout(Duration.ofSeconds(35)).build();
        http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((r, failure) -> {
            long next = after;
            if (failure != null || r.statusCode() != 200) {
                error("poll", r, failure);
            } else {
                polls.incrementAndGet();
                long now = System.nanoTime();
                List<Long> ids = new ArrayList<>();
                Matcher m = ID.matcher(r.body());
                while (m.find()) {
                    ids.add(Long.parseLong(m.group(1)));
                }
                if (!ids.isEmpty()) {
                    for (long id : ids) {
                        lastDelivery.merge(id, now, Math::max);
                        next = Math.max(next, id);
                    }
                    StringBuilder body = new StringBuilder("{\"acks\": [");
                    String at = Instant.now().toString();
                    for (int i = 0; i < ids.size(); i++) {
                        body.append(i == 0 ? "" : ",").append("{\"id\": ").append(ids.get(i))
                                .append(", \"objectsAffected\": 0, \"appliedAt\": \"").append(at).append("\"}");
                    }
                    http.sendAsync(request("POST", "/nodes/" + name + "/acks", body.append("]}").toString(), secret).build(),
                            HttpResponse.BodyHandlers.discarding()).whenComplete((a, f) -> {
                                if (f != null || a.statusCode() != 200) {
                                    error("ack", a, f);
                                } else {
                                    acks.incrementAndGet();
                                }
                            });
                }
            }
            long resume = next;
            if (failure != null) { // admin unreachable: try again in a second, without a thread waiting
                java.util.concurrent.CompletableFuture.delayedExecutor(1, TimeUnit.SECONDS).execute(() -> poll(name, secret, resume));
            } else {
                poll(name, secret, resume);
            }
        });
    }

    private void beat(String name, String secret) {
        http.sendAsync(request("POST", "/nodes/" + name + "/heartbeat", "{\"lastApplied\": 0, \"stats\": {}}", secret).build(),
                HttpResponse.BodyHandlers.discarding()).whenComplete((r, f) -> {
                    if (f != null || r.statusCode() != 200) {
                        error("heartbeat", r, f);
                    } else {
                        beats.incrementAndGet();
                    }
                });
    }

    private void purge() {
        try {
            HttpResponse<String> r = call("POST", "/purge", "{\"urls\": [\"/item/" + System.nanoTime() % 1_000_000_000L + "\"]}",
                    adminToken);
            long at = System.nanoTime();
            if (r.statusCode() == 202) {
                purgedAt.put(number(ID, r.body()), at);
            } else {
                errors.incrementAndGet();
            }
        } catch (Exception e) {
            errors.incrementAndGet();
        }
    }

    private void error(String call, HttpResponse<?> response, Throwable failure) {
        errors.incrementAndGet();
        Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        String kind = call + " " + (cause != null ? cause.getClass().getSimpleName() + ": " + cause.getMessage() : "status " + response.statusCode());
        errorKinds.computeIfAbsent(kind, k -> new java.util.concurrent.atomic.LongAdder()).increment();
    }

    private HttpRequest.Builder request(String method, String path, String body, String token) {
        return HttpRequest.newBuilder(URI.create(admin + "/api/v1" + path)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    }

    private HttpResponse<String> call(String method, String path, String body, String token) throws IOException, InterruptedException {
        return http.send(request(method, path, body, token).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static long number(Pattern p, String text) {
        return Long.parseLong(match(p, text));
    }

    private static String match(Pattern p, String text) {
        Matcher m = p.matcher(text);
        if (!m.find()) {
            throw new IllegalStateException(p + " not in " + text);
        }
        return m.group(1);
    }

    /** CPU ticks (1/100 s) of the admin processes and of every postgres process, and the database's counters. */
    private record Sample(long nanos, long adminTicks, long pgTicks, long xacts, long rows, int adminConnections, int backends) {}

    private Sample sample(List<Long> adminPids, String jdbc) throws Exception {
        long adminTicks = 0;
        for (long pid : adminPids) {
            adminTicks += ticks(Path.of("/proc/" + pid + "/stat"));
        }
        long pgTicks = 0;
        try (var dirs = Files.list(Path.of("/proc"))) {
            for (Path dir : dirs.filter(d -> d.getFileName().toString().chars().allMatch(Character::isDigit)).toList()) {
                try {
                    if (Files.readString(dir.resolve("comm")).trim().equals("postgres")) {
                        pgTicks += ticks(dir.resolve("stat"));
                    }
                } catch (IOException gone) {
                    // the process ended between the listing and the read
                }
            }
        }
        int port = URI.create(admin).getPort();
        int connections = 0;
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) { // Java's sockets are IPv6 ones, IPv4-mapped
            for (String line : Files.readAllLines(Path.of(table))) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 3 && f[1].endsWith(":" + String.format("%04X", port)) && f[3].equals("01")) {
                    connections++;
                }
            }
        }
        try (Connection c = DriverManager.getConnection(jdbc, "postgres", ""); Statement st = c.createStatement();
             ResultSet r = st.executeQuery("SELECT (SELECT sum(xact_commit + xact_rollback) FROM pg_stat_database),"
                     + " (SELECT sum(tup_returned + tup_fetched) FROM pg_stat_database),"
                     + " (SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend')")) {
            r.next();
            return new Sample(System.nanoTime(), adminTicks, pgTicks, r.getLong(1), r.getLong(2), connections, r.getInt(3));
        }
    }

    /** utime + stime of /proc/PID/stat (fields 14 and 15; the command in parentheses may hold spaces). */
    private static long ticks(Path stat) throws IOException {
        String s = Files.readString(stat);
        String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }
}
