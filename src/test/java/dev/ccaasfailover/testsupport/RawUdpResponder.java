package dev.ccaasfailover.testsupport;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A deliberately dumb UDP peer for tests: for each datagram received it sends back whatever
 * datagrams the script returns, in order. Lets a test send mismatched, provisional or malformed
 * responses that a correct UAS (our simulator) never would.
 */
public final class RawUdpResponder implements AutoCloseable {

    /** What the script gets: the request text plus its branch and CSeq number, pre-parsed. */
    public record Request(String text, String branch, long cseq, int index) {

        /** The request's Via, From, To, Call-ID, CSeq lines, for building a response by hand. */
        public String header(String name) {
            Matcher m = Pattern.compile("(?mi)^" + Pattern.quote(name) + ":\\s*(.*)$").matcher(text);
            return m.find() ? m.group(1).trim() : null;
        }

        /** A response to this request with the given status, and optional overrides of branch/CSeq. */
        public String response(int status, String reason, String branch, String cseqLine) {
            String via = header("Via").replace(this.branch, branch);
            return "SIP/2.0 " + status + " " + reason + "\r\n"
                    + "Via: " + via + "\r\n"
                    + "From: " + header("From") + "\r\n"
                    + "To: " + header("To") + ";tag=raw1\r\n"
                    + "Call-ID: " + header("Call-ID") + "\r\n"
                    + "CSeq: " + cseqLine + "\r\n"
                    + "Content-Length: 0\r\n\r\n";
        }

        public String response(int status, String reason) {
            return response(status, reason, branch, cseq + " OPTIONS");
        }
    }

    private static final Pattern BRANCH = Pattern.compile("branch=([^;\\s,]+)");
    private static final Pattern CSEQ = Pattern.compile("(?mi)^CSeq:\\s*(\\d+)");

    private final DatagramSocket socket;
    private final List<Request> received = new CopyOnWriteArrayList<>();
    private final Thread thread;

    public RawUdpResponder(Function<Request, List<String>> script) throws IOException {
        socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        thread = new Thread(() -> loop(script), "raw-udp-responder");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop(Function<Request, List<String>> script) {
        byte[] buffer = new byte[65535];
        while (!socket.isClosed()) {
            try {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                socket.receive(packet);
                String text = new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
                Matcher branch = BRANCH.matcher(text);
                Matcher cseq = CSEQ.matcher(text);
                Request request = new Request(text, branch.find() ? branch.group(1) : null,
                        cseq.find() ? Long.parseLong(cseq.group(1)) : -1, received.size());
                received.add(request);
                for (String response : script.apply(request)) {
                    byte[] bytes = response.getBytes(StandardCharsets.UTF_8);
                    socket.send(new DatagramPacket(bytes, bytes.length, packet.getSocketAddress()));
                }
            } catch (IOException e) {
                // closed
            }
        }
    }

    public String uri() {
        return "sip:127.0.0.1:" + socket.getLocalPort() + ";transport=udp";
    }

    public List<Request> received() {
        return List.copyOf(received);
    }

    @Override
    public void close() {
        socket.close();
    }
}
