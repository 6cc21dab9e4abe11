package dev.ccaasfailover.runbook;

import dev.ccaasfailover.testsupport.MotoServer;
import dev.ccaasfailover.testsupport.MotoServerExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;

/** {@link RunLeaseProcessesTest} with the processes sharing the dynamodb store (moto_server), fresh tables per test. */
class RunLeaseProcessesOnMotoTest extends RunLeaseProcessesTest {

    @RegisterExtension
    static final MotoServerExtension MOTO = new MotoServerExtension();

    private final String tablePrefix = "lease-" + System.nanoTime() + "-";

    @Override
    Map<String, String> storeProperties() {
        return Map.of("failover.store.kind", "dynamodb",
                "failover.store.dynamodb.endpoint", MOTO.server().endpoint(),
                "failover.store.dynamodb.region", MotoServer.REGION,
                "failover.store.table-prefix", tablePrefix);
    }
}
