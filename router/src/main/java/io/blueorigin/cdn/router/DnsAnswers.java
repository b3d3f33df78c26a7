package io.blueorigin.cdn.router;

import static java.util.Objects.requireNonNull;

import io.blueorigin.cdn.router.Router.Routed;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.ClientSubnetOption;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * The DNS answer to one query, as bytes: the transport-free half of {@link DnsServer}. The router is the
 * authoritative server of one name, {@code routing.dns-hostname} (the zone):
 *
 * <ul>
 *   <li>{@code A} / {@code AAAA} of the name: the addresses of that family of the edge {@link Router} chooses
 *       for the client, rotated per answer when the edge has several; TTL {@code routing.dns-ttl}; AA set.
 *       The client is the EDNS client subnet when the query carries one with a source prefix above 0 (echoed
 *       with scope prefix = source prefix: the answer holds for the whole subnet), else the resolver's address.
 *       The edge has no address of that family: NODATA. No edge available: SERVFAIL, so resolvers try again
 *       rather than cache a negative answer.</li>
 *   <li>{@code SOA} of the name: the zone's SOA (fixed serial: the zone has no transfers). Any other type: NODATA,
 *       i.e. NOERROR with no answer and the SOA in the authority section (RFC 2308).</li>
 *   <li>A name below the zone: NXDOMAIN with the SOA. A name outside it, or a class other than IN: REFUSED.</li>
 *   <li>Not a standard query: NOTIMP. Not exactly one question, or a message that does not parse past its
 *       header: FORMERR. Fewer than 12 bytes, or a response (QR set): no answer at all (dropped).</li>
 * </ul>
 * Answers fit the transport: 512 bytes over UDP without EDNS, the EDNS payload size (512..4096) with it, else
 * truncated with TC set (the resolver retries over TCP); 65,535 over TCP.
 *
 * <p>Thread-safe: everything is immutable but the rotation counter, an atomic.
 */
public final class DnsAnswers {
    /** Largest UDP answer this server sends, whatever a query's EDNS payload size says (RFC 9715 advice). */
    public static final int MAX_UDP_PAYLOAD = 1232;
    private static final int CLASSIC_UDP_PAYLOAD = 512;
    private static final int TCP_LIMIT = 65_535;

    private final Router router;
    private final Name zone;
    private final long ttlSeconds;
    private final SOARecord soa;
    private final AtomicInteger rotation = new AtomicInteger();

    public DnsAnswers(Router router, Name zone, Duration ttl) {
        this.router = requireNonNull(router, "router is null");
        this.zone = requireNonNull(zone, "zone is null");
        this.ttlSeconds = ttl.toSeconds();
        try {
            this.soa = new SOARecord(zone, DClass.IN, ttlSeconds, zone, Name.fromString("hostmaster", zone), 1,
                    3600, 600, 86_400, ttlSeconds);
        } catch (TextParseException e) {
            throw new IllegalArgumentException("routing.dns-hostname : " + zone + " (" + e.getMessage() + ")", e);
        }
    }

    /** The zone answered for. */
    public Name zone() {
        return zone;
    }

    /**
     * The answer to {@code query} from {@code source}, or null when nothing should be sent (see the class comment).
     *
     * @param tcp whether the query came over TCP (no size limit but the framing's)
     */
    public @Nullable Answer answer(byte[] query, InetAddress source, boolean tcp) {
        Message request;
        try {
            request = new Message(query);
        } catch (IOException | RuntimeException e) {
            return headerOnlyError(query);
        }
        Header header = request.getHeader();
        if (header.getFlag(Flags.QR)) {
            return null; // a response sent to us: answering could loop between two servers
        }
        Message response = new Message(header.getID());
        Header out = response.getHeader();
        out.setFlag(Flags.QR);
        out.setOpcode(header.getOpcode());
        if (header.getFlag(Flags.RD)) {
            out.setFlag(Flags.RD);
        }
        if (header.getOpcode() != Opcode.QUERY) {
            return finish(response, Rcode.NOTIMP, CLASSIC_UDP_PAYLOAD);
        }
        Record question = request.getQuestion();
        if (header.getCount(Section.QUESTION) != 1 || question == null) {
            return finish(response, Rcode.FORMERR, CLASSIC_UDP_PAYLOAD);
        }
        response.addRecord(question, Section.QUESTION);
        OPTRecord opt = request.getOPT();
        int limit = tcp ? TCP_LIMIT : opt == null ? CLASSIC_UDP_PAYLOAD
                : Math.max(CLASSIC_UDP_PAYLOAD, Math.min(opt.getPayloadSize(), MAX_UDP_PAYLOAD));
        ClientSubnetOption subnet = subnet(opt);
        if (opt != null) {
            List<EDNSOption> echo = subnet == null ? List.of() : List.of(new ClientSubnetOption(
                    subnet.getSourcePrefixLength(), subnet.getSourcePrefixLength(), subnet.getAddress()));
            response.addRecord(new OPTRecord(MAX_UDP_PAYLOAD, 0, 0, 0, echo), Section.ADDITIONAL);
        }
        Name name = question.getName();
        if (question.getDClass() != DClass.IN || !name.subdomain(zone)) {
            return finish(response, Rcode.REFUSED, limit);
        }
        out.setFlag(Flags.AA);
        if (!name.equals(zone)) {
            response.addRecord(soa(), Section.AUTHORITY);
            return finish(response, Rcode.NXDOMAIN, limit);
        }
        int type = question.getType();
        if (type == Type.SOA) {
            response.addRecord(soa(), Section.ANSWER);
            return finish(response, Rcode.NOERROR, limit);
        }
        if (type != Type.A && type != Type.AAAA) {
            response.addRecord(soa(), Section.AUTHORITY);
            return finish(response, Rcode.NOERROR, limit);
        }
        boolean located = subnet != null && subnet.getSourcePrefixLength() > 0;
        InetAddress client = located ? subnet.getAddress() : source;
        Routed routed = router.route(client, ClientAddress.key(client));
        if (routed.decision().chosen().isEmpty()) {
            return finish(response, Rcode.SERVFAIL, limit);
        }
        List<InetAddress> addresses = ofFamily(routed.addresses(), type == Type.A ? Inet4Address.class : Inet6Address.class);
        if (addresses.isEmpty()) {
            response.addRecord(soa(), Section.AUTHORITY);
            return finish(response, Rcode.NOERROR, limit);
        }
        int start = Math.floorMod(rotation.getAndIncrement(), addresses.size());
        for (int i = 0; i < addresses.size(); i++) {
            InetAddress address = addresses.get((start + i) % addresses.size());
            response.addRecord(type == Type.A ? new ARecord(zone, DClass.IN, ttlSeconds, address)
                    : new AAAARecord(zone, DClass.IN, ttlSeconds, address), Section.ANSWER);
        }
        return finish(response, Rcode.NOERROR, limit);
    }

    private SOARecord soa() {
        return soa;
    }

    private static @Nullable ClientSubnetOption subnet(@Nullable OPTRecord opt) {
        if (opt == null) {
            return null;
        }
        for (EDNSOption option : opt.getOptions(EDNSOption.Code.CLIENT_SUBNET)) {
            if (option instanceof ClientSubnetOption subnet) {
                return subnet;
            }
        }
        return null;
    }

    private static List<InetAddress> ofFamily(List<InetAddress> all, Class<? extends InetAddress> family) {
        List<InetAddress> out = new ArrayList<>(all.size());
        for (InetAddress address : all) {
            if (family.isInstance(address)) {
                out.add(address);
            }
        }
        return out;
    }

    /** FORMERR for a message whose header parses but whose body does not; null when even the header fails. */
    private static @Nullable Answer headerOnlyError(byte[] query) {
        if (query.length < Header.LENGTH) {
            return null;
        }
        Header header;
        try {
            header = new Header(query);
        } catch (IOException | RuntimeException e) {
            return null;
        }
        if (header.getFlag(Flags.QR)) {
            return null;
        }
        Message response = new Message(header.getID());
        response.getHeader().setFlag(Flags.QR);
        response.getHeader().setOpcode(header.getOpcode());
        return finish(response, Rcode.FORMERR, CLASSIC_UDP_PAYLOAD);
    }

    private static Answer finish(Message response, int rcode, int limit) {
        response.getHeader().setRcode(rcode);
        return new Answer(response.toWire(limit), rcode);
    }

    /** The bytes to send and the response code in them (for metrics). */
    public record Answer(byte[] wire, int rcode) {
        public String rcodeName() {
            return Rcode.string(rcode);
        }
    }
}
