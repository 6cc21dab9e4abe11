package dev.ccaasfailover.store;

import java.nio.file.Path;
import java.time.Clock;

import org.junit.jupiter.api.io.TempDir;

class SqliteStoreContractTest extends StoreContractTest {

    @TempDir
    Path dataDir;

    @Override
    protected Store openStore(Clock clock) {
        return new SqliteStore(dataDir, clock);
    }

    @Override
    protected boolean purgeExpiredDeletes() {
        return true;
    }
}
