package dev.ccaasfailover.context;

import dev.ccaasfailover.config.InvalidConfigurationException;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventMappingsTest {

    @Test
    void theShippedMappingsLoadWithTheThreeVendorFormats() {
        assertThat(EventMappings.load(Path.of("mappings")).formats()).extracting(EventMappings.Format::name)
                .containsExactly("genesys-eventbridge", "genesys-data-action", "nice-studio");
        assertThat(EventMappings.load(Path.of("no-such-dir")).formats()).hasSize(3); // the jar's (classpath) copy
    }

    @Test
    void anUnknownCanonicalTypeFailsWithFileAndLine() {
        String yaml = """
                formats:
                  - name: x
                    platform: nice
                    detect: /contactId
                    type:
                      from: /event
                      values:
                        started: CallBegun
                    fields:
                      callId: /contactId
                      timestamp: /ts
                """;
        assertThatThrownBy(() -> EventMappings.parse(new StringReader(yaml), "events.yaml"))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("events.yaml:8: unknown canonical type 'CallBegun'");
    }

    @Test
    void otherBadEntriesNameTheirLine() {
        String badPointer = "formats:\n  - name: x\n    platform: nice\n    detect: contactId\n";
        assertThatThrownBy(() -> EventMappings.parse(new StringReader(badPointer), "f.yaml"))
                .hasMessageContaining("f.yaml:4: 'contactId' is not a JSON pointer");
        String badPlatform = "formats:\n  - name: x\n    platform: avaya\n";
        assertThatThrownBy(() -> EventMappings.parse(new StringReader(badPlatform), "f.yaml"))
                .hasMessageContaining("f.yaml:3:").hasMessageContaining("unknown platform 'avaya'");
        String unknownKey = "formats:\n  - name: x\n    colour: red\n";
        assertThatThrownBy(() -> EventMappings.parse(new StringReader(unknownKey), "f.yaml"))
                .hasMessageContaining("f.yaml:3: unknown key 'colour'");
        assertThatThrownBy(() -> EventMappings.parse(new StringReader("formats: [\n"), "f.yaml"))
                .hasMessageContaining("f.yaml: not valid YAML");
    }
}
