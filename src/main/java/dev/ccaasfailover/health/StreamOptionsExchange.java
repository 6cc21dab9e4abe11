package dev.ccaasfailover.health;

import dev.ccaasfailover.sip.SipStreamReader;
import dev.ccaasfailover.sip.SipTransport;
import io.pkts.packet.sip.SipResponse;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * OPTIONS over TCP or TLS on a fresh connection per probe: connect within the time-out, (TLS:
 * handshake with host name verification), send once — reliable transports are never retransmitted
 * (RFC 3261 §17.1.2.2) — and read framed messages until the matching final response.
 */
final class StreamOptionsExchange implements OptionsExchange {

    private final Supplier<SSLContext> sslContext;

    StreamOptionsExchange(Supplier<SSLContext> sslContext) {
        this.sslContext = sslContext;
    }

    @Override
    public FinalResponse exchange(SipTarget target, ProbeIdentity id, long deadlineNanos) throws IOException {
        InetSocketAddress remote = new InetSocketAddress(target.host(), target.port());
        if (remote.isUnresolved()) {
            throw new UnknownHostException(target.host());
        }
        try (Socket socket = connect(target, remote, deadlineNanos)) {
            InetSocketAddress local = new InetSocketAddress(socket.getLocalAddress(), socket.getLocalPort());
            byte[] request = OptionsRequestFactory.build(target, id, local);
            OutputStream out = socket.getOutputStream();
            // RTT from the send: connection set-up (TCP and TLS handshakes) is not part of it.
            long firstSend = System.nanoTime();
            out.write(request);
            out.flush();
            SipStreamReader reader = new SipStreamReader(socket.getInputStream());
            while (true) {
                int remainingMs = remainingMillis(deadlineNanos);
                if (remainingMs <= 0) {
                    return null;
                }
                socket.setSoTimeout(remainingMs);
                byte[] message;
                try {
                    message = reader.next();
                } catch (SocketTimeoutException e) {
                    return null;
                }
                long receivedAt = System.nanoTime();
                if (message == null) {
                    throw new EOFException("connection closed by " + target + " before a final response");
                }
                Optional<SipResponse> response = ResponseMatcher.match(message, id);
                if (response.isEmpty() || response.get().getStatus() < 200) {
                    continue; // foreign or provisional
                }
                SipResponse matched = response.get();
                return new FinalResponse(matched.getStatus(), matched.getReasonPhrase().toString(),
                        Duration.ofNanos(receivedAt - firstSend));
            }
        }
    }

    private Socket connect(SipTarget target, InetSocketAddress remote, long deadlineNanos) throws IOException {
        int remainingMs = remainingMillis(deadlineNanos);
        if (remainingMs <= 0) {
            throw new SocketTimeoutException("no time left to connect");
        }
        Socket plain = new Socket();
        try {
            plain.setTcpNoDelay(true);
            plain.connect(remote, remainingMs);
            if (target.transport() != SipTransport.TLS) {
                return plain;
            }
            SSLSocket tls = (SSLSocket) sslContext.get().getSocketFactory()
                    .createSocket(plain, target.host(), target.port(), true);
            SSLParameters parameters = tls.getSSLParameters();
            // Verify that the certificate names the host we dialled (SAN DNS or IP), as HTTPS does.
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            tls.setSSLParameters(parameters);
            tls.setSoTimeout(Math.max(1, remainingMillis(deadlineNanos)));
            tls.startHandshake();
            return tls;
        } catch (IOException | RuntimeException e) {
            plain.close();
            throw e;
        }
    }

    private static int remainingMillis(long deadlineNanos) {
        long remaining = deadlineNanos - System.nanoTime();
        return remaining <= 0 ? 0 : (int) Math.max(1, remaining / 1_000_000);
    }
}
