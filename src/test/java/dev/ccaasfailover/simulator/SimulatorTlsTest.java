package dev.ccaasfailover.simulator;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The simulators' TLS key is generated at run time; none is packed with the classes. */
class SimulatorTlsTest {

    @Test
    void theCertificateIsGeneratedSelfSignedForLoopback() throws Exception {
        X509Certificate c = SimulatorTls.certificate();
        c.checkValidity();
        c.verify(c.getPublicKey()); // self-signed
        assertThat(c.getSubjectX500Principal().getName()).isEqualTo("CN=127.0.0.1");
        assertThat(c.getSubjectAlternativeNames().stream().map(n -> String.valueOf(n.get(1))).toList()).contains("127.0.0.1", "localhost");
        assertThat(SimulatorTls.serverContext()).isNotNull();
        assertThat(SimulatorTls.certificate()).isSameAs(c); // one per JVM: client and server agree
    }

    @Test
    void noPrivateKeyOrKeystoreIsAmongTheServiceClasses() throws Exception {
        try (Stream<Path> files = Files.walk(Path.of("target", "classes"))) {
            List<Path> keys = files.filter(p -> p.getFileName().toString().matches("(?i).*\\.(p12|pfx|jks|pem|key)$")).toList();
            assertThat(keys).isEmpty();
        }
    }
}
