package dev.ccaasfailover.simulator;

import dev.ccaasfailover.sip.SipTransport;
import io.pkts.packet.sip.SipMessage;
import io.pkts.packet.sip.header.CSeqHeader;
import io.pkts.packet.sip.header.CallIdHeader;
import io.pkts.packet.sip.header.ViaHeader;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transport-independent heart of the simulator: parse one request (pkts-sip), record it, ask
 * the fault plan what to do, and send (or withhold, or delay) the response.
 */
final class OptionsResponder {

    private static final Logger LOG = LoggerFactory.getLogger(OptionsResponder.class);

    private final SipFaultPlan faults;
    private final Consumer<ReceivedRequest> recorder;
    private final ScheduledExecutorService delayedSender;
    private final String tagSalt = Long.toHexString(System.nanoTime());

    OptionsResponder(SipFaultPlan faults, Consumer<ReceivedRequest> recorder, ScheduledExecutorService delayedSender) {
        this.faults = faults;
        this.recorder = recorder;
        this.delayedSender = delayedSender;
    }

    void onMessage(byte[] raw, SipTransport transport, InetSocketAddress remote, ResponseSink sink) {
        SipMessage message;
        ReceivedRequest request;
        try {
            message = SipMessage.frame(raw);
            if (!message.isRequest()) {
                LOG.debug("ignoring a response from {}: a UAS only answers requests", remote);
                return;
            }
            request = describe(message, transport, remote);
        } catch (Exception e) {
            // Unparseable: without trustworthy Via/CSeq we cannot build a 400 that reaches anyone.
            LOG.warn("dropping an unparseable SIP message from {} over {}: {}", remote, transport, e.getMessage());
            return;
        }
        recorder.accept(request);
        if ("ACK".equals(request.method())) {
            return; // RFC 3261 §17.2.1: ACK is never answered
        }
        SipFault fault = faults.next();
        LOG.debug("{} {} from {} over {} (branch {}): {}", request.method(), request.callId(), remote, transport,
                request.viaBranch(), fault);
        if (fault.kind() == SipFault.Kind.SILENT) {
            return;
        }
        boolean isOptions = "OPTIONS".equals(request.method());
        int status = !isOptions ? 405 : fault.kind() == SipFault.Kind.RESPOND ? fault.status() : 200;
        byte[] response = UasResponseBuilder.build(RequestHeaderLines.parse(raw), status, toTag(request), isOptions);
        if (fault.delayMs() == 0) {
            send(sink, response, remote);
        } else {
            delayedSender.schedule(() -> send(sink, response, remote), fault.delayMs(), TimeUnit.MILLISECONDS);
        }
    }

    private static ReceivedRequest describe(SipMessage message, SipTransport transport, InetSocketAddress remote) {
        CSeqHeader cseq = message.getCSeqHeader();
        CallIdHeader callId = message.getCallIDHeader();
        ViaHeader via = message.getViaHeader();
        return new ReceivedRequest(
                message.getMethod().toString(),
                callId == null ? null : callId.getCallId().toString(),
                cseq == null ? -1 : cseq.getSeqNumber(),
                cseq == null ? null : cseq.getMethod().toString(),
                via == null || via.getBranch() == null ? null : via.getBranch().toString(),
                transport,
                remote,
                Instant.now());
    }

    /** Same tag for retransmissions of a request, different across requests. */
    private String toTag(ReceivedRequest request) {
        int hash = (request.callId() + "|" + request.viaBranch() + "|" + tagSalt).hashCode();
        return "sim" + Integer.toHexString(hash);
    }

    private static void send(ResponseSink sink, byte[] response, InetSocketAddress remote) {
        try {
            sink.send(response);
        } catch (IOException e) {
            LOG.debug("could not send a response to {}: {}", remote, e.toString());
        }
    }
}
