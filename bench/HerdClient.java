import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A herd client whose own cost stays out of the figure (issue 16). {@code ../shared/bench}'s herd runs 200 Python
 * threads: releasing them from a barrier, sending and reading under the GIL adds tens of milliseconds of its own
 * whichever proxy answers (against a server that only sleeps 300 ms its slowest client took 382-397 ms on this
 * machine). This one is one thread and one selector: it opens every connection first, sends every request in one
 * loop (the clock starts before the first write), then records when each response is complete.
 *
 * <pre>java bench/HerdClient.java --url http://127.0.0.1:8080[,http://...] [--clients 200] [--keys 5] [--delay-ms 300]
 *     [--warmup-keys 1] [--origin http://127.0.0.1:9001] [--origin-kind bench|demo] [--tag NAME]</pre>
 *
 * Clients are spread over the URLs in turn. For each key it prints complete 200s, the origin's count for the path
 * (from the bench origin's {@code /__origin_stats}, when {@code --origin} is given), and the fastest, median and
 * slowest response time from the first write; then the median of those over the keys. The first key (--warmup-keys) is
 * printed but not counted: this client's own code is not compiled yet and adds 30-40 ms. With {@code --origin-kind demo}
 * the keys are the demo origin's {@code /item/{n}} and the count comes from its {@code /_origin/stats} (bench/fleet.sh). Bounded: every key gives
 * up after the delay plus 10 s.
 */
public final class HerdClient {
    public static void main(String[] args) throws Exception {
        List<URI> urls = new ArrayList<>();
        int clients = 200;
        int keys = 5;
        int delayMs = 300;
        int warmupKeys = 1;
        String origin = null;
        boolean demoOrigin = false;
        String tag = Long.toString(System.currentTimeMillis(), 36);
        for (int i = 0; i < args.length; i += 2) {
            String value = args[i + 1];
            switch (args[i]) {
                case "--url" -> Arrays.stream(value.split(",")).map(URI::create).forEach(urls::add);
                case "--clients" -> clients = Integer.parseInt(value);
                case "--keys" -> keys = Integer.parseInt(value);
                case "--delay-ms" -> delayMs = Integer.parseInt(value);
                case "--warmup-keys" -> warmupKeys = Integer.parseInt(value);
                case "--origin" -> origin = value;
                case "--tag" -> tag = value;
                case "--origin-kind" -> demoOrigin = switch (value) {
                    case "demo" -> true;
                    case "bench" -> false;
                    default -> throw new IllegalArgumentException("--origin-kind demo|bench");
                };
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (urls.isEmpty()) {
            throw new IllegalArgumentException("--url is required");
        }
        for (URI u : urls) {
            if (!(u.getHost().startsWith("127.") || List.of("localhost", "[::1]").contains(u.getHost())) || u.getPort() < 1) {
                throw new IllegalArgumentException("loopback targets with a port only: " + u);
            }
        }
        if (clients < 1 || clients > 1000 || keys < 1 || keys > 50 || warmupKeys < 0 || warmupKeys > 5) {
            throw new IllegalArgumentException("bounded loops: --clients 1..1000, --keys 1..50, --warmup-keys 0..5");
        }
        System.out.printf(Locale.ROOT, "herd (java client): %d clients over %d URL(s), %d fresh keys, origin delay %d ms%n",
                clients, urls.size(), keys, delayMs);
        System.out.printf(Locale.ROOT, "%-34s %7s %7s %7s %9s %9s %9s%n", "key", "clients", "200s", "origin", "min ms", "p50 ms",
                "max ms");
        List<Double> medians = new ArrayList<>();
        List<Double> slowest = new ArrayList<>();
        for (int k = -warmupKeys; k < keys; k++) {
            String path = demoOrigin ? "/item/" + demoKey(tag, k)
                    : "/obj/1k/herd-" + tag + (k < 0 ? "-warmup" + (-k) : "-" + k);
            double[] times = herd(urls, clients, path + "?delay_ms=" + delayMs, delayMs + 10_000L);
            double[] done = Arrays.stream(times).filter(t -> t >= 0).sorted().toArray();
            String originCount = origin == null ? "-" : Long.toString(demoOrigin ? demoOriginCount(origin, path)
                    : originCount(origin, path));
            double p50 = done.length == 0 ? Double.NaN : done[done.length / 2];
            double max = done.length == 0 ? Double.NaN : done[done.length - 1];
            double min = done.length == 0 ? Double.NaN : done[0];
            System.out.printf(Locale.ROOT, "%-34s %7d %7d %7s %9.1f %9.1f %9.1f%s%n", path, clients, done.length, originCount,
                    min, p50, max, k < 0 ? "  (warm-up: the client's own JIT; not counted)" : "");
            if (k >= 0) {
                medians.add(p50);
                slowest.add(max);
            }
        }
        System.out.printf(Locale.ROOT, "herd summary over %d keys: median response %.1f ms, slowest response %.1f ms "
                + "(medians over keys)%n", keys, median(medians), median(slowest));
    }

    private static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return sorted.length == 0 ? Double.NaN : sorted[sorted.length / 2];
    }

    /** Milliseconds from the first write to each complete 200 response; -1 for a client that got none. */
    private static double[] herd(List<URI> urls, int n, String target, long timeoutMs) throws IOException {
        double[] times = new double[n];
        Arrays.fill(times, -1);
        Conn[] conns = new Conn[n];
        try (Selector selector = Selector.open()) {
            try {
                for (int i = 0; i < n; i++) {
                    URI u = urls.get(i % urls.size());
                    SocketChannel ch = SocketChannel.open(new InetSocketAddress(u.getHost(), u.getPort()));
                    ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                    ch.configureBlocking(false);
                    conns[i] = new Conn(i, ch, ("GET " + target + " HTTP/1.1\r\nHost: " + u.getAuthority()
                            + "\r\nUser-Agent: cdn-bench-herd-java\r\nConnection: close\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                }
                long start = System.nanoTime();
                for (Conn c : conns) {
                    c.channel.write(ByteBuffer.wrap(c.request)); // a few dozen bytes: the socket buffer takes them whole
                    c.channel.register(selector, SelectionKey.OP_READ, c);
                }
                int open = n;
                long deadline = start + timeoutMs * 1_000_000L;
                ByteBuffer buf = ByteBuffer.allocate(256 * 1024);
                while (open > 0 && System.nanoTime() < deadline) {
                    selector.select(100);
                    for (SelectionKey key : selector.selectedKeys()) {
                        Conn c = (Conn) key.attachment();
                        buf.clear();
                        int read = c.channel.read(buf);
                        if (read > 0 && c.consume(buf.flip()) && c.status == 200) {
                            times[c.index] = (System.nanoTime() - start) / 1e6;
                        }
                        if (read < 0 || c.complete) {
                            key.cancel();
                            c.channel.close();
                            open--;
                        }
                    }
                    selector.selectedKeys().clear();
                }
            } finally {
                for (Conn c : conns) {
                    if (c != null) {
                        c.channel.close();
                    }
                }
            }
        }
        return times;
    }

    /** One client connection: its request, and the response read so far. */
    private static final class Conn {
        final int index;
        final SocketChannel channel;
        final byte[] request;
        final StringBuilder head = new StringBuilder();
        int status = -1;
        long remaining = -1;
        boolean complete;

        Conn(int index, SocketChannel channel, byte[] request) {
            this.index = index;
            this.channel = channel;
            this.request = request;
        }

        /** Takes bytes of the response; true when it just became complete (Content-Length responses only). */
        boolean consume(ByteBuffer bytes) {
            if (remaining < 0) {
                while (bytes.hasRemaining() && remaining < 0) {
                    head.append((char) bytes.get());
                    int end = head.length() - 4; // the head ends at the first blank line: look at its last four bytes only
                    if (end >= 0 && head.charAt(end + 3) == '\n' && head.indexOf("\r\n\r\n", end) == end) {
                        String[] lines = head.substring(0, end).split("\r\n");
                        status = Integer.parseInt(lines[0].split(" ")[1]);
                        remaining = 0;
                        for (String line : lines) {
                            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                                remaining = Long.parseLong(line.substring(15).trim());
                            }
                        }
                    }
                }
            }
            if (remaining >= 0) {
                remaining -= bytes.remaining();
                bytes.position(bytes.limit());
                if (remaining <= 0 && !complete) {
                    complete = true;
                    return true;
                }
            }
            return false;
        }
    }

    private static long originCount(String origin, String path) throws IOException, InterruptedException {
        java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
        String body = client.send(java.net.http.HttpRequest.newBuilder(URI.create(origin + "/__origin_stats?paths=0&path="
                + path)).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"count\"\\s*:\\s*(\\d+)").matcher(body);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    /** A fresh numeric key for the demo origin's {@code /item/{n}}: the tag's hash, then the key's index. */
    private static String demoKey(String tag, int k) {
        return Long.toString((tag.hashCode() & 0x7fffffffL) * 100 + 50 + k);
    }

    /** How many requests for {@code path} reached the demo origin ({@code GET /_origin/stats}: {"paths": {path: n}}). */
    private static long demoOriginCount(String origin, String path) throws IOException, InterruptedException {
        java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
        String body = client.send(java.net.http.HttpRequest.newBuilder(URI.create(origin + "/_origin/stats")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"" + java.util.regex.Pattern.quote(path)
                + "\"\\s*:\\s*(\\d+)").matcher(body);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    private HerdClient() {}
}
