package dev.ccaasfailover.config;

import dev.ccaasfailover.testsupport.LogCapture;
import dev.ccaasfailover.testsupport.RunningMiddleware;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which copy of a mapping file is loaded, and that a configured site never runs on the jar's demo copy. */
class MappingSourceTest {

    @Test
    void aFileInTheFolderIsLoadedAndLoggedAtInfoWithItsPath(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("queues.yaml"), "queues: {}\n");
        try (LogCapture log = new LogCapture()) {
            assertThat(MappingSource.open(dir, "queues.yaml", false).text()).isEqualTo("queues: {}\n");
            assertThat(log.messages()).contains("Mappings: queues.yaml loaded from " + dir.resolve("queues.yaml").toAbsolutePath());
        }
    }

    @Test
    void onAConfiguredSiteAMissingFileStopsStartUpNamingTheFileAndTheKey(@TempDir Path dir) {
        assertThatThrownBy(() -> MappingSource.open(dir, "queues.yaml", false))
                .isInstanceOfSatisfying(InvalidConfigurationException.class, e -> assertThat(e.key()).isEqualTo("failover.mappings.dir"))
                .hasMessageStartingWith("failover.mappings.dir: " + dir.resolve("queues.yaml").toAbsolutePath() + " is missing")
                .hasMessageContaining("set failover.mappings.dir");
    }

    @Test
    void withNothingConfiguredTheJarsCopyStandsInWithAWarnNamingIt(@TempDir Path dir) {
        try (LogCapture log = new LogCapture()) {
            MappingSource s = MappingSource.open(dir, "presence.yaml", true);
            assertThat(s.name()).isEqualTo("classpath:mappings/presence.yaml");
            assertThat(log.events()).anyMatch(e -> e.getLevel() == ch.qos.logback.classic.Level.WARN
                    && e.getFormattedMessage().contains("the jar's copy classpath:mappings/presence.yaml is used")
                    && e.getFormattedMessage().contains("failover.mappings.dir"));
        }
    }

    @Test
    void aConfiguredPlatformWithAnEmptyMappingsFolderDoesNotStart(@TempDir Path dir) {
        assertThatThrownBy(() -> RunningMiddleware.start(Map.of(
                "failover.platform.genesys.base-url", "http://127.0.0.1:9",
                "failover.mappings.dir", dir.toString())).close())
                .satisfies(e -> {
                    Throwable t = e;
                    while (t != null && !(t instanceof InvalidConfigurationException)) {
                        t = t.getCause();
                    }
                    assertThat(t).isInstanceOf(InvalidConfigurationException.class);
                    assertThat(((InvalidConfigurationException) t).key()).isEqualTo("failover.mappings.dir");
                });
    }
}
