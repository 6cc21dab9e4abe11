package dev.ccaasfailover.simulator;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS material of the simulator: a key pair and a self-signed certificate (CN and SAN IP 127.0.0.1, SAN DNS
 * localhost, EC P-256, valid one day) generated in memory the first time a simulator or a test asks for it, once per
 * JVM. No private key ships in the jar. {@link #clientContext()} trusts exactly this certificate, for tests and the
 * drill (same JVM as the simulators); production probers must use the default (or an operator-supplied) SSLContext.
 */
public final class SimulatorTls {

    private static final String ALIAS = "sip-uas";
    /** Guards an in-memory keystore that never leaves the JVM; KeyManagerFactory wants some password. */
    private static final char[] PASSWORD = "in-memory".toCharArray();

    private SimulatorTls() {
    }

    /** Generated on first use (class holder idiom): every context of this JVM sees the same certificate. */
    private static final class Material {
        static final KeyStore KEYS;
        static final KeyStore TRUST;
        static final X509Certificate CERTIFICATE;

        static {
            try {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
                generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
                KeyPair pair = generator.generateKeyPair();
                CERTIFICATE = selfSigned(pair, Instant.now());
                KEYS = KeyStore.getInstance("PKCS12");
                KEYS.load(null, null);
                KEYS.setKeyEntry(ALIAS, pair.getPrivate(), PASSWORD, new Certificate[] {CERTIFICATE});
                TRUST = KeyStore.getInstance("PKCS12");
                TRUST.load(null, null);
                TRUST.setCertificateEntry(ALIAS, CERTIFICATE);
            } catch (GeneralSecurityException | IOException e) {
                throw new IllegalStateException("cannot generate the simulator's TLS key and certificate", e);
            }
        }
    }

    /** Server side: presents the simulator's certificate. */
    public static SSLContext serverContext() {
        try {
            KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(Material.KEYS, PASSWORD);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers.getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build the simulator's server TLS context", e);
        }
    }

    /** Client side: trusts the simulator's self-signed certificate and nothing else. */
    public static SSLContext clientContext() {
        try {
            TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trustManagers.init(Material.TRUST);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trustManagers.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build a TLS context trusting the simulator", e);
        }
    }

    /** The certificate the simulators present (for tests). */
    public static X509Certificate certificate() {
        return Material.CERTIFICATE;
    }

    // ---- a minimal X.509 v3 self-signed certificate, DER by hand (the JDK has no public certificate builder) ----

    private static final byte[] ECDSA_WITH_SHA256 = {0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x04, 0x03, 0x02}; // 1.2.840.10045.4.3.2
    private static final byte[] COMMON_NAME = {0x55, 0x04, 0x03}; // 2.5.4.3
    private static final byte[] SUBJECT_ALT_NAME = {0x55, 0x1d, 0x11}; // 2.5.29.17

    static X509Certificate selfSigned(KeyPair pair, Instant now) throws GeneralSecurityException {
        byte[] algorithm = der(0x30, der(0x06, ECDSA_WITH_SHA256));
        byte[] name = der(0x30, der(0x31, der(0x30, der(0x06, COMMON_NAME), der(0x0c, "127.0.0.1".getBytes(StandardCharsets.UTF_8)))));
        DateTimeFormatter utc = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'").withZone(ZoneOffset.UTC);
        byte[] validity = der(0x30,
                der(0x17, utc.format(now.minus(Duration.ofHours(1))).getBytes(StandardCharsets.US_ASCII)),
                der(0x17, utc.format(now.plus(Duration.ofDays(1))).getBytes(StandardCharsets.US_ASCII)));
        byte[] altNames = der(0x30, der(0x87, new byte[] {127, 0, 0, 1}), der(0x82, "localhost".getBytes(StandardCharsets.US_ASCII)));
        byte[] extensions = der(0xa3, der(0x30, der(0x30, der(0x06, SUBJECT_ALT_NAME), der(0x04, altNames))));
        byte[] tbs = der(0x30,
                der(0xa0, der(0x02, new byte[] {2})), // v3
                der(0x02, new BigInteger(63, new SecureRandom()).add(BigInteger.ONE).toByteArray()),
                algorithm, name, validity, name,
                pair.getPublic().getEncoded(), // SubjectPublicKeyInfo, DER already
                extensions);
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(pair.getPrivate());
        signer.update(tbs);
        byte[] signature = signer.sign();
        byte[] bits = new byte[signature.length + 1]; // BIT STRING: no unused bits
        System.arraycopy(signature, 0, bits, 1, signature.length);
        byte[] certificate = der(0x30, tbs, algorithm, der(0x03, bits));
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(certificate));
    }

    private static byte[] der(int tag, byte[]... parts) {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            content.writeBytes(p);
        }
        int n = content.size();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        if (n < 0x80) {
            out.write(n);
        } else {
            byte[] len = BigInteger.valueOf(n).toByteArray();
            int skip = len[0] == 0 ? 1 : 0;
            out.write(0x80 | (len.length - skip));
            out.write(len, skip, len.length - skip);
        }
        out.writeBytes(content.toByteArray());
        return out.toByteArray();
    }
}
