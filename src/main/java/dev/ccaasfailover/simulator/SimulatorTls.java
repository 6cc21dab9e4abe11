package dev.ccaasfailover.simulator;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS material of the simulator: the self-signed certificate in {@code simulator/sip-uas.p12}
 * (CN and SAN 127.0.0.1, SAN DNS localhost).
 *
 * <p>The keystore password "simulator" is a PUBLIC TEST VALUE, committed on purpose: the key
 * guards nothing. {@link #clientContext()} trusts exactly this certificate, for tests and the
 * drill; production probers must use the default (or an operator-supplied) SSLContext.
 */
public final class SimulatorTls {

    static final String KEYSTORE_RESOURCE = "simulator/sip-uas.p12";
    /** Public test value, see class comment. */
    private static final char[] PASSWORD = "simulator".toCharArray();

    private SimulatorTls() {
    }

    /** Server side: presents the simulator's certificate. */
    public static SSLContext serverContext() {
        try {
            KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(keyStore(), PASSWORD);
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
            // The JDK trust manager takes the end certificate of a key entry as a trust anchor.
            trustManagers.init(keyStore());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trustManagers.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build a TLS context trusting the simulator", e);
        }
    }

    private static KeyStore keyStore() throws GeneralSecurityException {
        try (InputStream in = SimulatorTls.class.getClassLoader().getResourceAsStream(KEYSTORE_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("classpath resource " + KEYSTORE_RESOURCE + " is missing");
            }
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            keyStore.load(in, PASSWORD);
            return keyStore;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + KEYSTORE_RESOURCE, e);
        }
    }
}
