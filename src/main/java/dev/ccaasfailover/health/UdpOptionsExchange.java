package dev.ccaasfailover.health;

import io.pkts.packet.sip.SipResponse;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OPTIONS over UDP, with RFC 3261 §17.1.2 retransmissions: Timer E starts at T1 = 500 ms and
 * doubles up to T2 = 4 s (the same 0, 0.5, 1.5, 3.5 s... schedule as Timer A), and is T2 once a
 * provisional response has arrived. Retransmissions reuse the same bytes, hence the same branch.
 *
 * <p>Each probe gets a fresh ephemeral socket: the simplest correct design, since nothing from an
 * earlier probe can arrive on it, and it is {@code connect}ed so the kernel drops datagrams from
 * other sources and reports ICMP port unreachable as {@link java.net.PortUnreachableException}.
 * Trade-off: a peer that answers from a port other than the one probed (non-symmetric signalling,
 * rare for trunks and SBCs) is seen as TIMEOUT.
 */
final class UdpOptionsExchange implements OptionsExchange {

    private static final Logger LOG = LoggerFactory.getLogger(UdpOptionsExchange.class);

    static final long T1_NANOS = Duration.ofMillis(500).toNanos();
    static final long T2_NANOS = Duration.ofSeconds(4).toNanos();
    private static final int MAX_DATAGRAM = 65_535;

    @Override
    public FinalResponse exchange(SipTarget target, ProbeIdentity id, long deadlineNanos) throws IOException {
        InetSocketAddress remote = new InetSocketAddress(target.host(), target.port());
        if (remote.isUnresolved()) {
            throw new UnknownHostException(target.host());
        }
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.connect(remote);
            InetSocketAddress local = new InetSocketAddress(socket.getLocalAddress(), socket.getLocalPort());
            byte[] request = OptionsRequestFactory.build(target, id, local);
            DatagramPacket outgoing = new DatagramPacket(request, request.length);
            byte[] buffer = new byte[MAX_DATAGRAM];

            long firstSend = 0;
            long nextSend = System.nanoTime();
            long interval = T1_NANOS;
            boolean proceeding = false;
            int transmissions = 0;
            while (true) {
                long now = System.nanoTime();
                if (now - deadlineNanos >= 0) {
                    LOG.debug("OPTIONS to {}: no final response after {} transmission(s)", target, transmissions);
                    return null;
                }
                if (now - nextSend >= 0) {
                    socket.send(outgoing);
                    if (transmissions++ == 0) {
                        firstSend = now;
                    }
                    nextSend += interval;
                    interval = proceeding ? T2_NANOS : Math.min(interval * 2, T2_NANOS);
                }
                long waitNanos = Math.min(nextSend, deadlineNanos) - System.nanoTime();
                socket.setSoTimeout((int) Math.max(1, (waitNanos + 999_999) / 1_000_000));
                DatagramPacket incoming = new DatagramPacket(buffer, buffer.length);
                try {
                    socket.receive(incoming);
                } catch (SocketTimeoutException e) {
                    continue; // time to retransmit, or the deadline
                }
                long receivedAt = System.nanoTime();
                byte[] datagram = Arrays.copyOfRange(incoming.getData(), incoming.getOffset(),
                        incoming.getOffset() + incoming.getLength());
                Optional<SipResponse> response = ResponseMatcher.match(datagram, id);
                if (response.isEmpty()) {
                    continue;
                }
                SipResponse matched = response.get();
                if (matched.getStatus() < 200) {
                    proceeding = true; // provisional: the server is working on it, keep waiting
                    continue;
                }
                // RTT counts from the FIRST transmission, so a response to a retransmission
                // includes the time the lost datagrams cost (what a caller would experience).
                return new FinalResponse(matched.getStatus(), matched.getReasonPhrase().toString(),
                        Duration.ofNanos(receivedAt - firstSend));
            }
        }
    }
}
