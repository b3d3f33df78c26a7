package io.blueorigin.cdn.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Port 0 for DNS: one port number free for both UDP and TCP, found even when the first UDP port's TCP side is taken. */
class DnsServerBindTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @Test
    void aFreeUdpPortWhoseTcpSideIsTakenIsGivenUpForAnother() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, LOOPBACK)) {
            int port = taken.getLocalPort(); // its UDP side is free: the first attempt binds UDP there, then TCP fails
            Iterator<Integer> candidates = List.of(port, 0).iterator();
            DnsServer.Bound bound = DnsServer.bindFreePair(LOOPBACK, candidates::next, 2);
            try {
                assertThat(bound.udp().getLocalPort()).isNotEqualTo(port).isEqualTo(bound.tcp().getLocalPort());
            } finally {
                bound.udp().close();
                bound.tcp().close();
            }
        }
    }

    @Test
    void theLastBindFailureIsReportedAndNothingStaysBound() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, LOOPBACK)) {
            int port = taken.getLocalPort();
            assertThatThrownBy(() -> DnsServer.bindFreePair(LOOPBACK, () -> port, 3)).isInstanceOf(BindException.class);
            try (java.net.DatagramSocket udp = new java.net.DatagramSocket(new java.net.InetSocketAddress(LOOPBACK, port))) {
                assertThat(udp.getLocalPort()).as("the UDP side was released after each failed attempt").isEqualTo(port);
            }
        }
    }
}
