package dev.ccaasfailover.health;

import dev.ccaasfailover.health.SipProbeResult.Outcome;
import java.io.IOException;
import java.net.ConnectException;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Probes a SIP trunk with OPTIONS, the way Kamailio's dispatcher does: a fresh transaction per
 * probe, only configured status codes count as alive ({@code ds_ping_reply_codes}), and a
 * time-out is a failure — no 408 is ever made up, let alone counted as alive.
 *
 * <p>Thread-safe and stateless apart from the CSeq counter: run as many probes at once as you
 * like. Keep an {@link RttEwma} per target on the caller's side for the smoothed latency.
 */
public final class SipOptionsProber {

    private static final Logger LOG = LoggerFactory.getLogger(SipOptionsProber.class);

    public static final Set<Integer> DEFAULT_ALIVE_CODES = Set.of(200);

    private final Set<Integer> aliveCodes;
    private final OptionsExchange udp = new UdpOptionsExchange();
    private final OptionsExchange stream;
    private final AtomicLong cseq = new AtomicLong();

    /** Alive = 200 only; TLS with the JVM's default trust store. */
    public SipOptionsProber() {
        this(DEFAULT_ALIVE_CODES);
    }

    /** With the JVM's default TLS context, made on the first TLS probe: loading it costs a start some 0.1 s. */
    public SipOptionsProber(Set<Integer> aliveCodes) {
        this(aliveCodes, SipOptionsProber::defaultSslContext);
    }

    /**
     * @param aliveCodes final status codes that mean "alive" (e.g. {200} or {200, 404})
     * @param sslContext for {@code transport=tls}: production passes the default context; tests
     *                   pass one that trusts the simulator's self-signed certificate
     */
    public SipOptionsProber(Set<Integer> aliveCodes, SSLContext sslContext) {
        this(aliveCodes, supplierOf(Objects.requireNonNull(sslContext, "sslContext")));
    }

    private static Supplier<SSLContext> supplierOf(SSLContext sslContext) {
        return () -> sslContext;
    }

    private SipOptionsProber(Set<Integer> aliveCodes, Supplier<SSLContext> sslContext) {
        if (aliveCodes == null || aliveCodes.isEmpty()) {
            throw new IllegalArgumentException("at least one alive status code is required");
        }
        for (int code : aliveCodes) {
            if (code < 200 || code > 699) {
                throw new IllegalArgumentException("alive code " + code + " is not a final SIP status (200-699)");
            }
        }
        this.aliveCodes = Set.copyOf(aliveCodes);
        this.stream = new StreamOptionsExchange(sslContext);
    }

    public Set<Integer> aliveCodes() {
        return aliveCodes;
    }

    /** Sends one OPTIONS and classifies what comes back within {@code timeout}. Never throws for network trouble. */
    public SipProbeResult probe(SipTarget target, Duration timeout) {
        Objects.requireNonNull(target, "target");
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, was " + timeout);
        }
        ProbeIdentity id = ProbeIdentity.fresh(nextCseq());
        long deadline = System.nanoTime() + timeout.toNanos();
        SipProbeResult result = classify(target, id, deadline, timeout);
        LOG.debug("OPTIONS {} (branch {}): {} {}", target, id.branch(), result.outcome(), result.detail());
        return result;
    }

    private SipProbeResult classify(SipTarget target, ProbeIdentity id, long deadline, Duration timeout) {
        OptionsExchange exchange = target.transport().isStream() ? stream : udp;
        try {
            FinalResponse response = exchange.exchange(target, id, deadline);
            if (response == null) {
                return SipProbeResult.noResponse(Outcome.TIMEOUT,
                        "no final response within " + timeout.toMillis() + " ms");
            }
            return SipProbeResult.response(aliveCodes.contains(response.status()), response.status(),
                    response.reason(), response.rtt());
        } catch (PortUnreachableException e) {
            return SipProbeResult.noResponse(Outcome.REFUSED, "ICMP port unreachable from " + target);
        } catch (ConnectException e) {
            return SipProbeResult.noResponse(Outcome.REFUSED, "connection refused by " + target + ": " + e.getMessage());
        } catch (SocketTimeoutException e) {
            return SipProbeResult.noResponse(Outcome.TIMEOUT,
                    "no connection to " + target + " within " + timeout.toMillis() + " ms: " + e.getMessage());
        } catch (UnknownHostException e) {
            return SipProbeResult.noResponse(Outcome.ERROR, "unknown host " + target.host());
        } catch (SSLException e) {
            return SipProbeResult.noResponse(Outcome.ERROR, "TLS with " + target + " failed: " + e.getMessage());
        } catch (IOException | RuntimeException e) {
            return SipProbeResult.noResponse(Outcome.ERROR, "probe of " + target + " failed: " + e);
        }
    }

    /** CSeq numbers stay in 1..2^31-1 (RFC 3261 §8.1.1.5: less than 2**31). */
    private long nextCseq() {
        return (cseq.getAndIncrement() % Integer.MAX_VALUE) + 1;
    }

    private static SSLContext defaultSslContext() {
        try {
            return SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no default TLS context", e);
        }
    }
}
