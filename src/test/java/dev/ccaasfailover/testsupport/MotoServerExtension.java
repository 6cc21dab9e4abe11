package dev.ccaasfailover.testsupport;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One moto_server per test class: started before the class's {@code @BeforeAll} methods, stopped after its
 * {@code @AfterAll} methods.
 *
 * <pre>
 * &#64;RegisterExtension static final MotoServerExtension MOTO = new MotoServerExtension();
 * ... MOTO.server().endpointUri() ...
 * </pre>
 */
public final class MotoServerExtension implements BeforeAllCallback, AfterAllCallback {

    private MotoServer server;

    @Override
    public void beforeAll(ExtensionContext context) {
        server = MotoServer.start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    public MotoServer server() {
        if (server == null) {
            throw new IllegalStateException("moto_server runs only between the class's beforeAll and afterAll");
        }
        return server;
    }
}
