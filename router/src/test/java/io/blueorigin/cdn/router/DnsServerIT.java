package io.blueorigin.cdn.router;

import static io.blueorigin.cdn.router.StubAdmin.edge;
import static org.assertj.core.api.Assertions.assertThat;

import io.blueorigin.cdn.runtime.IpLiterals;
import io.blueorigin.cdn.runtime.NodeIdentity;
import io.blueorigin.cdn.runtime.Role;
import io.blueorigin.cdn.runtime.metrics.NodeMetrics;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ClientSubnetOption;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * The real {@link DnsServer} on an ephemeral loopback port, queried with dnsjava's {@link SimpleResolver} over UDP
 * and TCP and with raw sockets for broken input. The view: edge-lhr (two IPv4 addresses and 20 IPv6 ones: more than
 * fits 512 bytes) and edge-nyc (one of each). Queries from 127.0.0.1 without a
 * client subnet cannot be located and go to the default POP, nyc.
 */
class DnsServerIT {
    private static final Name ZONE = name("cdn.demo.test.");
    private static GeoLocator locator;
    private static DnsServer server;
    private static final AtomicReference<HealthView> VIEW = new AtomicReference<>();

    @BeforeAll
    static void start() throws Exception {
        locator = GeoLocator.open(Path.of(DnsServerIT.class.getResource("/geoip/GeoIP2-City-Test.mmdb").toURI()));
        List<String> lhr = new ArrayList<>(List.of("192.0.2.10", "192.0.2.11"));
        for (int i = 0; i < 20; i++) {
            lhr.add("2001:db8::" + Integer.toHexString(0x10 + i));
        }
        VIEW.set(HealthView.parse(StubAdmin.utf8("{\"version\":7,\"nodes\":["
                + edge("edge-lhr", "lhr", 51.47, -0.4543, "http://lhr.test", "healthy", lhr.toArray(String[]::new)) + ","
                + edge("edge-nyc", "nyc", 40.6413, -73.7781, "http://nyc.test", "healthy", "198.51.100.20",
                        "2001:db8::20")
                + "]}")));
        NodeMetrics metrics = new NodeMetrics(new NodeIdentity(Role.ROUTER, "router-dns", "lhr"));
        Router router = new Router(locator, RoutingPolicy.withDefaultPop("nyc"), VIEW::get, metrics);
        server = DnsServer.start(new DnsAnswers(router, ZONE, Duration.ofSeconds(20)), InetAddress.getLoopbackAddress(),
                0, "router-dns", metrics);
    }

    @AfterAll
    static void stop() {
        server.close();
        locator.close();
    }

    private static Name name(String text) {
        try {
            return Name.fromString(text);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static SimpleResolver resolver(boolean tcp) throws Exception {
        SimpleResolver resolver = new SimpleResolver(InetAddress.getLoopbackAddress());
        resolver.setPort(server.port());
        resolver.setTCP(tcp);
        resolver.setTimeout(Duration.ofSeconds(3));
        return resolver;
    }

    private static Message query(String name, int type, String subnet, int prefix) {
        return query(name, type, subnet, prefix, 1232);
    }

    private static Message query(String name, int type, String subnet, int prefix, int payloadSize) {
        Message query = Message.newQuery(Record.newRecord(name(name), type, DClass.IN));
        if (subnet != null) {
            query.addRecord(new OPTRecord(payloadSize, 0, 0, 0, List.of(new ClientSubnetOption(prefix, address(subnet)))),
                    Section.ADDITIONAL);
        }
        return query;
    }

    private static InetAddress address(String literal) {
        return IpLiterals.parse(literal).orElseThrow();
    }

    private static List<String> answers(Message response) {
        return response.getSection(Section.ANSWER).stream().map(r -> r.rdataToString()).toList();
    }

    @Test
    void answersAWithTheTtlAndTheAuthorityFlag() throws Exception {
        for (boolean tcp : new boolean[] {false, true}) {
            Message response = resolver(tcp).send(query("cdn.demo.test.", Type.A, null, 0));
            assertThat(response.getRcode()).isEqualTo(Rcode.NOERROR);
            assertThat(response.getHeader().getFlag(Flags.AA)).isTrue();
            assertThat(answers(response)).containsExactly("198.51.100.20"); // 127.0.0.1: unlocated, default POP nyc
            assertThat(response.getSection(Section.ANSWER).get(0).getTTL()).isEqualTo(20);
        }
    }

    @Test
    void theClientSubnetDecidesAndIsEchoedWithItsScope() throws Exception {
        Message london = resolver(false).send(query("cdn.demo.test.", Type.A, "81.2.69.160", 27));
        assertThat(answers(london)).containsExactlyInAnyOrder("192.0.2.10", "192.0.2.11");
        ClientSubnetOption echoed = (ClientSubnetOption) london.getOPT().getOptions(EDNSOption.Code.CLIENT_SUBNET).get(0);
        assertThat(echoed.getSourcePrefixLength()).isEqualTo(27);
        assertThat(echoed.getScopePrefixLength()).isEqualTo(27);
        assertThat(echoed.getAddress()).isEqualTo(address("81.2.69.160"));

        Message us = resolver(true).send(query("cdn.demo.test.", Type.A, "216.160.83.56", 29));
        assertThat(answers(us)).containsExactly("198.51.100.20");
        Message london6 = resolver(false).send(query("cdn.demo.test.", Type.AAAA, "81.2.69.160", 27));
        assertThat(answers(london6)).hasSize(20).contains("2001:db8:0:0:0:0:0:10", "2001:db8:0:0:0:0:0:23");
        Message nyc6 = resolver(false).send(query("cdn.demo.test.", Type.AAAA, null, 0));
        assertThat(answers(nyc6)).containsExactly("2001:db8:0:0:0:0:0:20");
    }

    @Test
    void rotatesAmongTheChosenEdgesAddresses() throws Exception {
        Set<String> firsts = new HashSet<>();
        for (int i = 0; i < 4; i++) {
            firsts.add(answers(resolver(false).send(query("cdn.demo.test.", Type.A, "81.2.69.160", 27))).get(0));
        }
        assertThat(firsts).containsExactlyInAnyOrder("192.0.2.10", "192.0.2.11");
    }

    @Test
    void namesAndTypesOutsideTheAnswerSet() throws Exception {
        SimpleResolver udp = resolver(false);
        Message outside = udp.send(query("example.com.", Type.A, null, 0));
        assertThat(outside.getRcode()).isEqualTo(Rcode.REFUSED);
        assertThat(outside.getHeader().getFlag(Flags.AA)).isFalse();

        Message below = udp.send(query("www.cdn.demo.test.", Type.A, null, 0));
        assertThat(below.getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(below.getSection(Section.AUTHORITY)).singleElement().satisfies(r -> assertThat(r.getType()).isEqualTo(Type.SOA));

        Message mx = udp.send(query("cdn.demo.test.", Type.MX, null, 0));
        assertThat(mx.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(mx.getSection(Section.ANSWER)).isEmpty();
        assertThat(mx.getSection(Section.AUTHORITY)).singleElement().satisfies(r -> assertThat(r.getType()).isEqualTo(Type.SOA));

        Message upper = udp.send(query("CDN.Demo.TEST.", Type.A, null, 0));
        assertThat(answers(upper)).containsExactly("198.51.100.20");
    }

    @Test
    void truncatesOversizeUdpAnswersAndServesThemWholeOverTcp() throws Exception {
        SimpleResolver udp = resolver(false);
        udp.setIgnoreTruncation(true);
        // London's 20 AAAA records take about 600 bytes; the query offers 512
        Message truncated = udp.send(query("cdn.demo.test.", Type.AAAA, "81.2.69.160", 27, 512));
        assertThat(truncated.getHeader().getFlag(Flags.TC)).isTrue();
        assertThat(truncated.toWire().length).isLessThanOrEqualTo(512);

        Message whole = resolver(true).send(query("cdn.demo.test.", Type.AAAA, "81.2.69.160", 27, 512));
        assertThat(whole.getHeader().getFlag(Flags.TC)).isFalse();
        assertThat(answers(whole)).hasSize(20);
    }

    @Test
    void garbageIsDroppedOrFormerrAndTheServerGoesOn() throws Exception {
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.setSoTimeout(2000);
            InetAddress loopback = InetAddress.getLoopbackAddress();
            socket.send(new DatagramPacket(new byte[] {1, 2, 3}, 3, loopback, server.port()));
            // a header (id 0x1234, a query with one question) followed by a question cut short
            byte[] broken = {0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 'c', 'd'};
            socket.send(new DatagramPacket(broken, broken.length, loopback, server.port()));
            DatagramPacket reply = new DatagramPacket(new byte[512], 512);
            socket.receive(reply); // the first datagram got nothing; this is the answer to the second
            Message formerr = new Message(java.util.Arrays.copyOf(reply.getData(), reply.getLength()));
            assertThat(formerr.getHeader().getID()).isEqualTo(0x1234);
            assertThat(formerr.getRcode()).isEqualTo(Rcode.FORMERR);
        }
        assertThat(answers(resolver(false).send(query("cdn.demo.test.", Type.A, null, 0)))).containsExactly("198.51.100.20");
    }

    @Test
    void brokenTcpFramesEndOnlyTheirConnection() throws Exception {
        try (Socket cut = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            DataOutputStream out = new DataOutputStream(cut.getOutputStream());
            out.writeShort(100);
            out.write(new byte[10]); // then the connection closes mid-frame
        }
        try (Socket oversize = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            oversize.setSoTimeout(5000);
            DataOutputStream out = new DataOutputStream(oversize.getOutputStream());
            byte[] junk = new byte[65_535];
            junk[0] = 0x55;
            junk[1] = 0x66; // id; no flags, zero counts: parses, then trailing junk
            out.writeShort(junk.length);
            out.write(junk);
            out.flush();
            DataInputStream in = new DataInputStream(oversize.getInputStream());
            int length = in.readUnsignedShort();
            byte[] reply = new byte[length];
            in.readFully(reply);
            Message response = new Message(reply);
            assertThat(response.getHeader().getID()).isEqualTo(0x5566);
            assertThat(response.getRcode()).isIn(Rcode.FORMERR);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server neither answered nor closed an oversize frame", e);
        }
        assertThat(answers(resolver(true).send(query("cdn.demo.test.", Type.A, null, 0)))).containsExactly("198.51.100.20");
    }
}
