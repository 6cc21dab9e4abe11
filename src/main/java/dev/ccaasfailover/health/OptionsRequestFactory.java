package dev.ccaasfailover.health;

import io.pkts.packet.sip.SipRequest;
import io.pkts.packet.sip.header.CSeqHeader;
import io.pkts.packet.sip.header.CallIdHeader;
import io.pkts.packet.sip.header.ContactHeader;
import io.pkts.packet.sip.header.MaxForwardsHeader;
import io.pkts.packet.sip.header.SipHeader;
import io.pkts.packet.sip.header.ViaHeader;
import io.pkts.buffer.Buffers;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/** Builds the out-of-dialog OPTIONS of one probe with pkts-sip's request builder. */
final class OptionsRequestFactory {

    static final String USER_AGENT = "ccaas-failover";
    private static final String USER = "ccaas-failover";

    private OptionsRequestFactory() {
    }

    /**
     * @param local the socket's own address: goes into Via sent-by and Contact, so that the
     *              response (and, for UDP, {@code rport}) finds its way back
     */
    static byte[] build(SipTarget target, ProbeIdentity id, InetSocketAddress local) {
        String localHost = hostForUri(local);
        String localHostPort = localHost + ":" + local.getPort();
        String transport = target.transport().uriParam();
        ViaHeader.Builder via = ViaHeader.withHost(localHost)
                .withPort(local.getPort())
                .withBranch(id.branch())
                .withRPortFlag(); // RFC 3581: answer to the source port even behind NAT
        switch (target.transport()) {
            case UDP: via.withTransportUDP(); break;
            case TCP: via.withTransportTCP(); break;
            default: via.withTransportTLS(); break;
        }
        SipRequest request = SipRequest.options(target.uri())
                .withViaHeader(via.build())
                .withMaxForwardsHeader(MaxForwardsHeader.create(70))
                .withFromHeader("<sip:" + USER + "@" + localHost + ">;tag=" + id.fromTag())
                .withToHeader("<sip:" + target.hostForUri() + ":" + target.port() + ">")
                .withCallIdHeader(CallIdHeader.frame(Buffers.wrap(id.callId())))
                .withCSeqHeader(CSeqHeader.withMethod("OPTIONS").withCSeq(id.cseq()).build())
                .withContactHeader(ContactHeader.frame(Buffers.wrap(
                        "<sip:" + USER + "@" + localHostPort + ";transport=" + transport + ">")))
                .withHeader(SipHeader.create("Accept", "application/sdp"))
                .withHeader(SipHeader.create("User-Agent", USER_AGENT))
                .build();
        return request.toBuffer().toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String hostForUri(InetSocketAddress address) {
        String host = address.getAddress().getHostAddress();
        int zone = host.indexOf('%');
        if (zone >= 0) {
            host = host.substring(0, zone);
        }
        return host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    }
}
