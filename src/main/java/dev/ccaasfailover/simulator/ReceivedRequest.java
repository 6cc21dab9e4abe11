package dev.ccaasfailover.simulator;

import dev.ccaasfailover.sip.SipTransport;
import java.net.InetSocketAddress;
import java.time.Instant;

/**
 * One request as the simulator saw it, for assertions (retransmissions share a branch).
 *
 * @param cseq       the CSeq sequence number; -1 when the header was missing or unreadable
 * @param viaBranch  the branch of the topmost Via; null when absent
 */
public record ReceivedRequest(
        String method,
        String callId,
        long cseq,
        String cseqMethod,
        String viaBranch,
        SipTransport transport,
        InetSocketAddress remote,
        Instant arrival) {
}
