package dev.ccaasfailover.simulator;

import dev.ccaasfailover.sip.SipTransport;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * UDP side of the simulator: each datagram is one request (RFC 3261 §18.1), and the response goes
 * to the datagram's source address and port, as with {@code rport} (RFC 3581) — the prober sends
 * from an ephemeral port and listens there.
 */
final class UdpUasListener implements UasListener {

    private static final Logger LOG = LoggerFactory.getLogger(UdpUasListener.class);
    private static final int MAX_DATAGRAM = 65_535;

    private final DatagramSocket socket;
    private final Thread receiver;

    private UdpUasListener(DatagramSocket socket, OptionsResponder responder) {
        this.socket = socket;
        this.receiver = new Thread(() -> receiveLoop(responder), "sip-uas-udp-" + socket.getLocalPort());
        this.receiver.setDaemon(true);
    }

    static UdpUasListener open(InetAddress bindAddress, int port, OptionsResponder responder) throws IOException {
        DatagramSocket socket = new DatagramSocket(new InetSocketAddress(bindAddress, port));
        UdpUasListener listener = new UdpUasListener(socket, responder);
        listener.receiver.start();
        return listener;
    }

    private void receiveLoop(OptionsResponder responder) {
        byte[] buffer = new byte[MAX_DATAGRAM];
        while (!socket.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
            } catch (IOException e) {
                if (!socket.isClosed()) {
                    LOG.warn("UDP receive failed on port {}: {}", socket.getLocalPort(), e.toString());
                }
                continue;
            }
            byte[] datagram = Arrays.copyOfRange(packet.getData(), packet.getOffset(), packet.getOffset() + packet.getLength());
            if (isKeepAlive(datagram)) {
                continue;
            }
            InetSocketAddress source = (InetSocketAddress) packet.getSocketAddress();
            responder.onMessage(datagram, SipTransport.UDP, source,
                    response -> socket.send(new DatagramPacket(response, response.length, source)));
        }
    }

    /** RFC 5626 keep-alives (CRLF) and empty datagrams carry no request. */
    private static boolean isKeepAlive(byte[] datagram) {
        for (byte b : datagram) {
            if (b != '\r' && b != '\n' && b != 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int port() {
        return socket.getLocalPort();
    }

    @Override
    public void close() {
        socket.close();
        try {
            receiver.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
