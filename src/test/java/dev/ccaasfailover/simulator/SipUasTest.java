package dev.ccaasfailover.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ccaasfailover.sip.SipStreamReader;
import dev.ccaasfailover.sip.SipTransport;
import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The simulator on the wire, driven by hand-written requests over real sockets. */
class SipUasTest {

    private static String request(String method, String branch, long cseq) {
        return method + " sip:127.0.0.1 SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 10.1.1.1:5060;branch=" + branch + ";rport\r\n"
                + "Via: SIP/2.0/TCP 10.2.2.2:5060;branch=z9hG4bKproxy2\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: \"Probe\" <sip:probe@10.1.1.1>;tag=ft1\r\n"
                + "To: <sip:127.0.0.1;transport=udp>\r\n"
                + "Call-ID: call-" + branch + "@10.1.1.1\r\n"
                + "CSeq: " + cseq + " " + method + "\r\n"
                + "Content-Length: 0\r\n\r\n";
    }

    /** Sends datagrams from one socket and reads what comes back, with a short wait. */
    private static final class UdpClient implements AutoCloseable {
        final DatagramSocket socket;

        UdpClient(SipUas uas) throws IOException {
            socket = new DatagramSocket();
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), uas.port()));
        }

        void send(String text) throws IOException {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            socket.send(new DatagramPacket(bytes, bytes.length));
        }

        String receive(Duration wait) throws IOException {
            socket.setSoTimeout((int) wait.toMillis());
            byte[] buffer = new byte[65535];
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
            } catch (SocketTimeoutException e) {
                return null;
            }
            return new String(buffer, 0, packet.getLength(), StandardCharsets.UTF_8);
        }

        @Override
        public void close() {
            socket.close();
        }
    }

    private static List<String> headerLines(String message, String name) {
        return message.lines().filter(l -> l.regionMatches(true, 0, name + ":", 0, name.length() + 1)).toList();
    }

    @Test
    void answersOptionsWithAnRfc3261Response() throws Exception {
        try (SipUas uas = SipUas.start(SipTransport.UDP, 0); UdpClient client = new UdpClient(uas)) {
            client.send(request("OPTIONS", "z9hG4bKaaa", 42));

            String response = client.receive(Duration.ofSeconds(2));

            assertThat(response).startsWith("SIP/2.0 200 OK\r\n").endsWith("\r\n\r\n");
            assertThat(headerLines(response, "Via")).containsExactly(
                    "Via: SIP/2.0/UDP 10.1.1.1:5060;branch=z9hG4bKaaa;rport",
                    "Via: SIP/2.0/TCP 10.2.2.2:5060;branch=z9hG4bKproxy2");
            assertThat(headerLines(response, "From")).containsExactly("From: \"Probe\" <sip:probe@10.1.1.1>;tag=ft1");
            assertThat(headerLines(response, "To")).singleElement().asString()
                    .matches("To: <sip:127.0.0.1;transport=udp>;tag=\\w+");
            assertThat(headerLines(response, "Call-ID")).containsExactly("Call-ID: call-z9hG4bKaaa@10.1.1.1");
            assertThat(headerLines(response, "CSeq")).containsExactly("CSeq: 42 OPTIONS");
            assertThat(headerLines(response, "Allow")).containsExactly("Allow: OPTIONS");
            assertThat(headerLines(response, "Accept")).containsExactly("Accept: application/sdp");
            assertThat(headerLines(response, "Content-Length")).containsExactly("Content-Length: 0");
        }
    }

    @Test
    void echoesCompactAndCommaJoinedViasAndKeepsAnExistingToTag() throws Exception {
        String compact = "OPTIONS sip:127.0.0.1 SIP/2.0\r\n"
                + "v: SIP/2.0/UDP 10.1.1.1:5060;branch=z9hG4bKcpt\r\n"
                + "Via: SIP/2.0/TCP 10.2.2.2;branch=z9hG4bKp2, SIP/2.0/UDP 10.3.3.3;branch=z9hG4bKp3\r\n"
                + "f: <sip:probe@10.1.1.1>;tag=ft2\r\n"
                + "t: <sip:127.0.0.1>;tag=already\r\n"
                + "i: compact-call\r\n"
                + "CSeq: 3 OPTIONS\r\n"
                + "Max-Forwards: 70\r\n"
                + "l: 0\r\n\r\n";
        try (SipUas uas = SipUas.start(SipTransport.UDP, 0); UdpClient client = new UdpClient(uas)) {
            client.send(compact);

            String response = client.receive(Duration.ofSeconds(2));

            assertThat(headerLines(response, "Via")).containsExactly(
                    "Via: SIP/2.0/UDP 10.1.1.1:5060;branch=z9hG4bKcpt",
                    "Via: SIP/2.0/TCP 10.2.2.2;branch=z9hG4bKp2, SIP/2.0/UDP 10.3.3.3;branch=z9hG4bKp3");
            assertThat(headerLines(response, "To")).containsExactly("To: <sip:127.0.0.1>;tag=already");
            assertThat(headerLines(response, "Call-ID")).containsExactly("Call-ID: compact-call");
            assertThat(uas.requests().get(0).viaBranch()).isEqualTo("z9hG4bKcpt");
        }
    }

    @Test
    void otherMethodsGet405WithAllowAndAckGetsNothing() throws Exception {
        try (SipUas uas = SipUas.start(SipTransport.UDP, 0); UdpClient client = new UdpClient(uas)) {
            client.send(request("INVITE", "z9hG4bKinv", 1));
            String response = client.receive(Duration.ofSeconds(2));
            assertThat(response).startsWith("SIP/2.0 405 Method Not Allowed\r\n").contains("\r\nAllow: OPTIONS\r\n");

            client.send(request("ACK", "z9hG4bKack", 1));
            assertThat(client.receive(Duration.ofMillis(300))).isNull();
            assertThat(uas.requests()).extracting(ReceivedRequest::method).containsExactly("INVITE", "ACK");
        }
    }

    @Test
    void faultsChangeAtRunTimeAndAreRecorded() throws Exception {
        try (SipUas uas = SipUas.start(SipTransport.UDP, 0); UdpClient client = new UdpClient(uas)) {
            uas.respond(486);
            client.send(request("OPTIONS", "z9hG4bK1", 1));
            assertThat(client.receive(Duration.ofSeconds(2))).startsWith("SIP/2.0 486 Busy Here\r\n");

            uas.silent();
            client.send(request("OPTIONS", "z9hG4bK2", 2));
            assertThat(client.receive(Duration.ofMillis(300))).isNull();

            uas.delay(300);
            long start = System.nanoTime();
            client.send(request("OPTIONS", "z9hG4bK3", 3));
            assertThat(client.receive(Duration.ofSeconds(2))).startsWith("SIP/2.0 200 OK\r\n");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));

            uas.answer();
            client.send(request("OPTIONS", "z9hG4bK4", 4));
            assertThat(client.receive(Duration.ofSeconds(2))).startsWith("SIP/2.0 200 OK\r\n");

            assertThat(uas.requests()).extracting(ReceivedRequest::viaBranch)
                    .containsExactly("z9hG4bK1", "z9hG4bK2", "z9hG4bK3", "z9hG4bK4");
            assertThat(uas.requests()).extracting(ReceivedRequest::cseq).containsExactly(1L, 2L, 3L, 4L);
            assertThat(uas.requests()).allSatisfy(r -> {
                assertThat(r.transport()).isEqualTo(SipTransport.UDP);
                assertThat(r.remote().getPort()).isEqualTo(client.socket.getLocalPort());
                assertThat(r.arrival()).isNotNull();
            });
            uas.clearRequests();
            assertThat(uas.count()).isZero();
        }
    }

    @Test
    void faultSequenceAndFunctionScriptFlapping() throws Exception {
        try (SipUas uas = SipUas.start(SipTransport.UDP, 0); UdpClient client = new UdpClient(uas)) {
            uas.setFaultSequence(List.of(SipFault.respond(503), SipFault.answer(), SipFault.respond(500)));
            List<String> statuses = new java.util.ArrayList<>();
            for (int i = 0; i < 4; i++) {
                client.send(request("OPTIONS", "z9hG4bKs" + i, i));
                statuses.add(client.receive(Duration.ofSeconds(2)).substring(8, 11));
            }
            assertThat(statuses).containsExactly("503", "200", "500", "500"); // the last one sticks

            uas.setFaultFunction(index -> index % 2 == 0 ? SipFault.answer() : SipFault.respond(503));
            statuses.clear();
            for (int i = 0; i < 4; i++) {
                client.send(request("OPTIONS", "z9hG4bKf" + i, i));
                statuses.add(client.receive(Duration.ofSeconds(2)).substring(8, 11));
            }
            assertThat(statuses).containsExactly("200", "503", "200", "503");
        }
    }

    @ParameterizedTest
    @EnumSource(value = SipTransport.class, names = {"TCP", "TLS"})
    void streamTransportsServeSeveralRequestsOnOneConnection(SipTransport transport) throws Exception {
        try (SipUas uas = SipUas.start(transport, 0); Socket socket = connect(transport, uas.port())) {
            OutputStream out = socket.getOutputStream();
            // Two requests in one write, the second split across writes: framing is by Content-Length.
            String second = request("OPTIONS", "z9hG4bKtwo", 2);
            out.write((request("OPTIONS", "z9hG4bKone", 1) + "\r\n" + second.substring(0, 30)).getBytes(StandardCharsets.UTF_8));
            out.flush();
            Thread.sleep(50);
            out.write(second.substring(30).getBytes(StandardCharsets.UTF_8));
            out.flush();
            socket.setSoTimeout(2000);
            SipStreamReader reader = new SipStreamReader(socket.getInputStream());

            String first = new String(reader.next(), StandardCharsets.UTF_8);
            String then = new String(reader.next(), StandardCharsets.UTF_8);

            assertThat(branchOf(first)).isEqualTo("z9hG4bKone");
            assertThat(branchOf(then)).isEqualTo("z9hG4bKtwo");
            assertThat(uas.requests()).extracting(ReceivedRequest::transport).containsOnly(transport);
            assertThat(uas.uri()).isEqualTo("sip:127.0.0.1:" + uas.port() + ";transport=" + transport.uriParam());
        }
    }

    @Test
    void bindsTheRequestedPortAndRemembersItAfterClose() throws Exception {
        int port = 0;
        SipUas bound = null;
        // a port found free can be taken by another process before we bind it again: try a few
        for (int attempt = 0; bound == null && attempt < 5; attempt++) {
            try (SipUas probe = SipUas.start(SipTransport.TCP, 0)) {
                port = probe.port();
            }
            try {
                bound = SipUas.start(SipTransport.TCP, port);
            } catch (java.net.BindException taken) {
                // next attempt
            }
        }
        assertThat(bound).as("bound a requested port in 5 attempts").isNotNull();
        try (SipUas uas = bound) {
            assertThat(uas.port()).isEqualTo(port);
            uas.close();
            assertThat(uas.uri()).endsWith(":" + port + ";transport=tcp");
        }
    }

    private static Socket connect(SipTransport transport, int port) throws IOException {
        if (transport == SipTransport.TLS) {
            SSLSocket tls = (SSLSocket) SimulatorTls.clientContext().getSocketFactory().createSocket("127.0.0.1", port);
            tls.startHandshake();
            return tls;
        }
        return new Socket("127.0.0.1", port);
    }

    private static String branchOf(String message) {
        Matcher m = Pattern.compile("branch=([^;\\s]+)").matcher(message);
        return m.find() ? m.group(1) : null;
    }
}
