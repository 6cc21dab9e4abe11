package dev.ccaasfailover.context;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.ccaasfailover.http.Json;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Plays SNS for tests: signs messages with a test key (src/test/resources/sns-test-signing.p12, made with keytool)
 * and serves its certificate and the SubscribeURL on a loopback HTTP server, which only the test's
 * {@link SnsCertificates} host policy allows.
 */
final class SnsTestSigner implements AutoCloseable {

    static final String TOPIC = "arn:aws:sns:us-east-1:123456789012:ccaas-events";
    private final PrivateKey key;
    private final String certPem;
    private final HttpServer server;
    final List<String> confirmations = new CopyOnWriteArrayList<>();

    SnsTestSigner() throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = SnsTestSigner.class.getResourceAsStream("/sns-test-signing.p12")) {
            ks.load(in, "changeit".toCharArray());
        }
        key = (PrivateKey) ks.getKey("sns", "changeit".toCharArray());
        X509Certificate cert = (X509Certificate) ks.getCertificate("sns");
        certPem = "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(cert.getEncoded()) + "\n-----END CERTIFICATE-----\n";
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/cert.pem", ex -> {
            byte[] b = certPem.getBytes(StandardCharsets.US_ASCII);
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        server.createContext("/confirm", ex -> {
            confirmations.add(ex.getRequestURI().getQuery());
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        server.start();
    }

    /** The test's host policy: the loopback server only (production allows HTTPS SNS hosts only). */
    SnsCertificates certificates() {
        return new SnsCertificates(uri -> "127.0.0.1".equals(uri.getHost()) && uri.getPort() == server.getAddress().getPort());
    }

    String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
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
        m.put("SigningCertURL", base() + "/cert.pem");
        m.put("UnsubscribeURL", base() + "/unsubscribe");
        return sign(m, version);
    }

    String confirmation(String type, String topic) throws Exception {
        ObjectNode m = Json.MAPPER.createObjectNode();
        m.put("Type", type);
        m.put("MessageId", "conf-" + System.nanoTime());
        m.put("Token", "tok-1");
        m.put("TopicArn", topic);
        m.put("Message", "You have chosen to subscribe to the topic " + topic);
        m.put("SubscribeURL", base() + "/confirm?Action=ConfirmSubscription&Token=tok-1");
        m.put("Timestamp", "2026-05-01T10:00:00.000Z");
        m.put("SignatureVersion", "2");
        m.put("SigningCertURL", base() + "/cert.pem");
        return sign(m, "2");
    }

    private String sign(ObjectNode m, String version) throws Exception {
        Signature s = Signature.getInstance("1".equals(version) ? "SHA1withRSA" : "SHA256withRSA");
        s.initSign(key);
        s.update(SnsMessageVerifier.stringToSign(m).getBytes(StandardCharsets.UTF_8));
        m.put("Signature", Base64.getEncoder().encodeToString(s.sign()));
        return Json.write(m);
    }

    URI uri() {
        return URI.create(base());
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
