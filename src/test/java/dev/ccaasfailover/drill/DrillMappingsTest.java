package dev.ccaasfailover.drill;

import dev.ccaasfailover.agents.AgentMappings;
import dev.ccaasfailover.context.EventMappings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The drill runs on a mapping set of its own (classpath drill/mappings), never on the production fallback. */
class DrillMappingsTest {

    @Test
    void theDrillsMappingSetIsCompleteAndLoadsWithoutAnyFallback(@TempDir Path dir) throws Exception {
        Path mappings = Drill.drillMappings(dir.resolve("mappings"));
        for (String file : Drill.MAPPING_FILES) {
            assertThat(mappings.resolve(file)).isRegularFile();
        }
        // jarCopyAllowed=false: a missing file would fail here instead of falling back
        assertThat(AgentMappings.load(mappings, "SystemMaintenance", false).queues()).isNotNull();
        assertThat(EventMappings.load(mappings, false).formats()).isNotEmpty();
        try (var files = Files.list(mappings)) {
            assertThat(files.count()).isEqualTo(Drill.MAPPING_FILES.size());
        }
    }
}
