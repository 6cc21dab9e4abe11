package dev.ccaasfailover.simulator;

import dev.ccaasfailover.sip.SipTransport;
import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import javax.net.ServerSocketFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A SIP user-agent server on 127.0.0.1 that answers OPTIONS, standing in for the Genesys and NICE
 * trunk endpoints in tests and in the drill. Faults can be changed at any time from any thread:
 * {@link #answer()}, {@link #silent()}, {@link #delay(long)}, {@link #respond(int)},
 * {@link #setFaultSequence(List)}, {@link #setFaultFunction(Function)}. Every request received is
 * recorded ({@link #requests()}).
 *
 * <pre>{@code
 * try (SipUas trunk = SipUas.start(SipTransport.TCP, 0)) {
 *     trunk.respond(503);
 *     prober.probe(SipTarget.parse(trunk.uri()), Duration.ofSeconds(2));
 * }
 * }</pre>
 */
public final class SipUas implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SipUas.class);

    private final SipTransport transport;
    private final SipFaultPlan faults = new SipFaultPlan();
    private final List<ReceivedRequest> received = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService delayedSender;
    private UasListener listener;
    /** Kept so that port() and uri() still say where the simulator was after close(). */
    private int boundPort;

    private SipUas(SipTransport transport) {
        this.transport = transport;
        this.delayedSender = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "sip-uas-" + transport.uriParam() + "-delayed");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Binds 127.0.0.1:{@code port} ({@code 0} = any free port) and starts answering.
     *
     * @throws IOException when the port cannot be bound
     */
    public static SipUas start(SipTransport transport, int port) throws IOException {
        SipUas uas = new SipUas(transport);
        OptionsResponder responder = new OptionsResponder(uas.faults, uas.received::add, uas.delayedSender);
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try {
            switch (transport) {
                case UDP:
                    uas.listener = UdpUasListener.open(loopback, port, responder);
                    break;
                case TCP:
                    uas.listener = StreamUasListener.open(transport, ServerSocketFactory.getDefault(), loopback, port, responder);
                    break;
                case TLS:
                    uas.listener = StreamUasListener.open(transport,
                            SimulatorTls.serverContext().getServerSocketFactory(), loopback, port, responder);
                    break;
                default:
                    throw new IllegalArgumentException("unsupported transport " + transport);
            }
        } catch (IOException | RuntimeException e) {
            uas.delayedSender.shutdownNow();
            throw e;
        }
        uas.boundPort = uas.listener.port();
        LOG.info("SIP simulator listening on {}", uas.uri());
        return uas;
    }

    public SipTransport transport() {
        return transport;
    }

    public int port() {
        return boundPort;
    }

    /** E.g. {@code sip:127.0.0.1:5099;transport=tcp}. */
    public String uri() {
        return "sip:127.0.0.1:" + port() + ";transport=" + transport.uriParam();
    }

    /** 200 OK to every OPTIONS (the default). */
    public SipUas answer() {
        faults.always(SipFault.answer());
        return this;
    }

    /** Read requests and never answer them. */
    public SipUas silent() {
        faults.always(SipFault.silent());
        return this;
    }

    /** Answer 200 OK, {@code ms} milliseconds after each request arrives. */
    public SipUas delay(long ms) {
        faults.always(SipFault.delay(ms));
        return this;
    }

    /** Answer every OPTIONS with this final status (e.g. 503, 486), with its standard reason phrase. */
    public SipUas respond(int status) {
        faults.always(SipFault.respond(status));
        return this;
    }

    /**
     * Element i applies to the i-th request from now on (0-based); after the last element, the last
     * one keeps applying. E.g. {@code List.of(SipFault.silent(), SipFault.answer())} drops the first request.
     */
    public SipUas setFaultSequence(List<SipFault> sequence) {
        faults.sequence(sequence);
        return this;
    }

    /** Fully scripted: the fault for request index i (0-based from now on); null means answer. */
    public SipUas setFaultFunction(Function<Integer, SipFault> byRequestIndex) {
        faults.install(byRequestIndex);
        return this;
    }

    /** Every request received so far, oldest first, including ones answered with silence. */
    public List<ReceivedRequest> requests() {
        return List.copyOf(received);
    }

    public int count() {
        return received.size();
    }

    public void clearRequests() {
        received.clear();
    }

    @Override
    public void close() {
        if (listener != null) {
            listener.close();
        }
        delayedSender.shutdownNow();
        LOG.info("SIP simulator on {} stopped", transport);
    }
}
