package dev.ccaasfailover.context;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A test CA made at test time with the JDK only (the certificates are DER written by hand and signed with
 * {@link Signature}): a root, an intermediate, and leaves issued by the intermediate, like Amazon's. The leaves name
 * the intermediate in their Authority Information Access, as SNS's certificates do, at {@link #INTERMEDIATE_URL}.
 */
final class TestPki {

    static final URI INTERMEDIATE_URL = URI.create("http://crt.test-ca.example/test-intermediate.cer");
    private static final AtomicLong SERIAL = new AtomicLong(1000);
    private static TestPki instance;

    final Instant now = Instant.now();
    final KeyPair rootKey = rsa();
    final KeyPair intermediateKey = rsa();
    /** The key of every leaf: SNS's in the valid ones, an attacker's in the others (which key does not matter). */
    final KeyPair leafKey = rsa();
    final X509Certificate root;
    final X509Certificate intermediate;
    /** Issued for sns.amazonaws.com through the intermediate: what SNS serves. */
    final X509Certificate sns;
    /** A valid chain, but for another name: what anyone can buy. */
    final X509Certificate otherName;
    /** Names sns.amazonaws.com, signed by its own key. */
    final X509Certificate selfSigned;
    /** Issued for sns.amazonaws.com through the intermediate, expired yesterday. */
    final X509Certificate expired;

    private TestPki() throws Exception {
        Instant from = now.minus(Duration.ofDays(1));
        Instant to = now.plus(Duration.ofDays(365));
        root = issue("Test Root CA", rootKey.getPublic(), "Test Root CA", rootKey.getPrivate(), from, to, true, List.of(), null);
        intermediate = issue("Test SNS Intermediate CA", intermediateKey.getPublic(), "Test Root CA", rootKey.getPrivate(),
                from, to, true, List.of(), null);
        sns = leaf("sns.amazonaws.com", from, to);
        otherName = leaf("attacker.example.com", from, to);
        selfSigned = issue("sns.amazonaws.com", leafKey.getPublic(), "sns.amazonaws.com", leafKey.getPrivate(), from, to,
                false, List.of("sns.amazonaws.com"), null);
        expired = leaf("sns.amazonaws.com", now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1)));
    }

    static synchronized TestPki get() {
        if (instance == null) {
            try {
                instance = new TestPki();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return instance;
    }

    Set<TrustAnchor> anchors() {
        return Set.of(new TrustAnchor(root, null));
    }

    PrivateKey signingKey() {
        return leafKey.getPrivate();
    }

    /** A leaf for a name, issued by the intermediate, for any validity. */
    X509Certificate leaf(String name, Instant from, Instant to) throws Exception {
        return issue(name, leafKey.getPublic(), "Test SNS Intermediate CA", intermediateKey.getPrivate(), from, to, false,
                List.of(name), INTERMEDIATE_URL);
    }

    static String pem(X509Certificate... certs) throws Exception {
        StringBuilder b = new StringBuilder();
        for (X509Certificate c : certs) {
            b.append("-----BEGIN CERTIFICATE-----\n")
                    .append(Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(c.getEncoded()))
                    .append("\n-----END CERTIFICATE-----\n");
        }
        return b.toString();
    }

    private static KeyPair rsa() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static X509Certificate issue(String subject, PublicKey key, String issuer, PrivateKey issuerKey, Instant from, Instant to,
                                 boolean ca, List<String> dnsNames, URI caIssuers) throws Exception {
        byte[] sha256WithRsa = seq(oid(1, 2, 840, 113549, 1, 1, 11), new byte[]{0x05, 0x00});
        List<byte[]> extensions = new ArrayList<>();
        extensions.add(extension(oid(2, 5, 29, 19), true, ca ? seq(tlv(0x01, new byte[]{(byte) 0xFF})) : seq()));
        extensions.add(extension(oid(2, 5, 29, 15), true, ca
                ? tlv(0x03, new byte[]{0x01, 0x06})            // keyCertSign, cRLSign
                : tlv(0x03, new byte[]{0x07, (byte) 0x80})));  // digitalSignature
        if (!dnsNames.isEmpty()) {
            List<byte[]> names = new ArrayList<>();
            for (String n : dnsNames) {
                names.add(tlv(0x82, n.getBytes(StandardCharsets.US_ASCII)));
            }
            extensions.add(extension(oid(2, 5, 29, 17), false, seq(names.toArray(byte[][]::new))));
        }
        if (caIssuers != null) {
            extensions.add(extension(oid(1, 3, 6, 1, 5, 5, 7, 1, 1), false, seq(seq(oid(1, 3, 6, 1, 5, 5, 7, 48, 2),
                    tlv(0x86, caIssuers.toString().getBytes(StandardCharsets.US_ASCII))))));
        }
        byte[] tbs = seq(
                tlv(0xA0, integer(BigInteger.TWO)),
                integer(BigInteger.valueOf(SERIAL.incrementAndGet())),
                sha256WithRsa,
                name(issuer),
                seq(time(from), time(to)),
                name(subject),
                key.getEncoded(),
                tlv(0xA3, seq(extensions.toArray(byte[][]::new))));
        Signature s = Signature.getInstance("SHA256withRSA");
        s.initSign(issuerKey);
        s.update(tbs);
        byte[] signature = s.sign();
        byte[] bits = new byte[signature.length + 1];
        System.arraycopy(signature, 0, bits, 1, signature.length);
        byte[] der = seq(tbs, sha256WithRsa, tlv(0x03, bits));
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
    }

    private static byte[] extension(byte[] oid, boolean critical, byte[] value) {
        return critical ? seq(oid, tlv(0x01, new byte[]{(byte) 0xFF}), tlv(0x04, value)) : seq(oid, tlv(0x04, value));
    }

    private static byte[] name(String cn) {
        return seq(tlv(0x31, seq(oid(2, 5, 4, 3), tlv(0x0C, cn.getBytes(StandardCharsets.UTF_8)))));
    }

    private static byte[] time(Instant t) {
        return tlv(0x17, DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'").withZone(ZoneOffset.UTC).format(t)
                .getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] integer(BigInteger v) {
        return tlv(0x02, v.toByteArray());
    }

    private static byte[] oid(int... arcs) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(arcs[0] * 40 + arcs[1]);
        for (int i = 2; i < arcs.length; i++) {
            int v = arcs[i];
            byte[] groups = new byte[5];
            int n = 0;
            do {
                groups[n++] = (byte) (v & 0x7F);
                v >>>= 7;
            } while (v != 0);
            for (int j = n - 1; j >= 0; j--) {
                b.write(groups[j] | (j > 0 ? 0x80 : 0));
            }
        }
        return tlv(0x06, b.toByteArray());
    }

    private static byte[] seq(byte[]... parts) {
        return tlv(0x30, parts);
    }

    private static byte[] tlv(int tag, byte[]... parts) {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            content.writeBytes(p);
        }
        int length = content.size();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        if (length < 0x80) {
            out.write(length);
        } else {
            byte[] l = BigInteger.valueOf(length).toByteArray();
            int skip = l[0] == 0 ? 1 : 0;
            out.write(0x80 | (l.length - skip));
            out.write(l, skip, l.length - skip);
        }
        out.writeBytes(content.toByteArray());
        return out.toByteArray();
    }
}
