package dev.ccaasfailover.health;

import io.pkts.packet.sip.SipMessage;
import io.pkts.packet.sip.SipResponse;
import io.pkts.packet.sip.header.CSeqHeader;
import io.pkts.packet.sip.header.ViaHeader;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RFC 3261 §17.1.3: a response belongs to our client transaction only if the topmost Via branch
 * equals ours and the CSeq method matches; we also require our CSeq number, so a late answer to
 * an older probe that happened to reuse a socket can never pass. Anything else is ignored.
 */
final class ResponseMatcher {

    private static final Logger LOG = LoggerFactory.getLogger(ResponseMatcher.class);

    private ResponseMatcher() {
    }

    static Optional<SipResponse> match(byte[] raw, ProbeIdentity id) {
        SipMessage message;
        try {
            message = SipMessage.frame(raw);
            if (!message.isResponse()) {
                LOG.debug("ignoring a SIP request received on a probe socket");
                return Optional.empty();
            }
            ViaHeader via = message.getViaHeader();
            if (via == null || via.getBranch() == null || !id.branch().equals(via.getBranch().toString())) {
                LOG.debug("ignoring a response for another branch: {}", via);
                return Optional.empty();
            }
            CSeqHeader cseq = message.getCSeqHeader();
            if (cseq == null || cseq.getSeqNumber() != id.cseq() || !"OPTIONS".equals(cseq.getMethod().toString())) {
                LOG.debug("ignoring a response with a foreign CSeq: {}", cseq);
                return Optional.empty();
            }
            return Optional.of(message.toResponse());
        } catch (Exception e) {
            LOG.debug("ignoring an unparseable message on a probe socket: {}", e.toString());
            return Optional.empty();
        }
    }
}
