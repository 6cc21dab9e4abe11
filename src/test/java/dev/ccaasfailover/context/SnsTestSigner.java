package dev.ccaasfailover.context;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.ccaasfailover.http.Json;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.Signature;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Plays SNS for tests: signs messages with the key of {@link TestPki}'s sns.amazonaws.com certificate and serves that
 * certificate, its intermediate and the SubscribeURL on a loopback HTTP server. The messages carry SNS's real URLs
 * (https://sns.us-east-1.amazonaws.com/...); the {@link SnsCertificates} of {@link #certificates()} checks them like
 * production and then fetches each from the loopback server instead, anchored in the test CA.
 */
final class SnsTestSigner implements AutoCloseable {

    static final String TOPIC = "arn:aws:sns:us-east-1:123456789012:ccaas-events";
    static final String SNS = "https://sns.us-east-1.amazonaws.com";
    static final String CERT_URL = SNS + "/SimpleNotificationService-0123456789abcdef0123456789abcdef.pem";
    private final TestPki pki = TestPki.get();
    private final HttpServer server;
    private final HttpClient http = HttpClient.newHttpClient();
    final List<String> confirmations = new CopyOnWriteArrayList<>();
    /** Every URL the endpoint fetched, as it asked for it (before the loopback rewrite). */
    final List<URI> fetched = new CopyOnWriteArrayList<>();

    SnsTestSigner() throws Exception {
        byte[] certPem = TestPki.pem(pki.sns).getBytes(StandardCharsets.US_ASCII);
        byte[] intermediate = pki.intermediate.getEncoded();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/SimpleNotificationService-", ex -> {
            ex.sendResponseHeaders(200, certPem.length);
            ex.getResponseBody().write(certPem);
            ex.close();
        });
        server.createContext(TestPki.INTERMEDIATE_URL.getPath(), ex -> {
            ex.sendResponseHeaders(200, intermediate.length);
            ex.getResponseBody().write(intermediate);
            ex.close();
        });
        server.createContext("/", ex -> {
            confirmations.add(ex.getRequestURI().getRawQuery());
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        server.start();
    }

    /** Production's checks and trust code; the fetch goes to the loopback server, the trust to the test CA. */
    SnsCertificates certificates() {
        return new SnsCertificates(uri -> {
            fetched.add(uri);
            URI local = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + uri.getRawPath()
                    + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(local).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            return new SnsCertificates.Fetched(r.statusCode(), r.body());
        }, pki.anchors(), Clock.systemUTC());
    }

    String notification(String messageId, String message, String version) throws Exception {
        ObjectNode m = Json.MAPPER.createObjectNode();
        m.put("Type", "Notification");
        m.put("MessageId", messageId);
        m.put("TopicArn", TOPIC);
        m.put("Subject", "events");
        m.put("Message", message);
        m.put("Timestamp", "2026-05-01T10:00:00.000Z");
        m.put("SignatureVersion", version);
        m.put("SigningCertURL", CERT_URL);
        m.put("UnsubscribeURL", SNS + "/?Action=Unsubscribe&SubscriptionArn=" + TOPIC + ":sub-1");
        return sign(m, version);
    }

    String confirmation(String type, String topic) throws Exception {
        ObjectNode m = Json.MAPPER.createObjectNode();
        m.put("Type", type);
        m.put("MessageId", "conf-" + System.nanoTime());
        m.put("Token", "tok-1");
        m.put("TopicArn", topic);
        m.put("Message", "You have chosen to subscribe to the topic " + topic);
        m.put("SubscribeURL", SNS + "/?Action=ConfirmSubscription&TopicArn=" + topic + "&Token=tok-1");
        m.put("Timestamp", "2026-05-01T10:00:00.000Z");
        m.put("SignatureVersion", "2");
        m.put("SigningCertURL", CERT_URL);
        return sign(m, "2");
    }

    /** Signs with the test SNS key whatever the message says (a test may have changed any field first). */
    String sign(ObjectNode m, String version) throws Exception {
        Signature s = Signature.getInstance("1".equals(version) ? "SHA1withRSA" : "SHA256withRSA");
        s.initSign(pki.signingKey());
        s.update(SnsMessageVerifier.stringToSign(m).getBytes(StandardCharsets.UTF_8));
        m.put("Signature", Base64.getEncoder().encodeToString(s.sign()));
        return Json.write(m);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
