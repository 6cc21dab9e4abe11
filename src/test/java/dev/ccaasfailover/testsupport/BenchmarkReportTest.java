package dev.ccaasfailover.testsupport;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BenchmarkReportTest {

    @Test
    void aMarkerAboveHandWrittenNotesStopsTheRewriteInsteadOfDeletingThem() {
        assertThatThrownBy(() -> BenchmarkReport.checkOwnHeading("agent-sync",
                "\n### Customer context: one Query per read\n\nnotes\n\n## Agent sync\n\nold figures\n", "## Agent sync\n\nnew"))
                .hasMessageContaining("Customer context: one Query per read").hasMessageContaining("Move the marker");
        assertThatCode(() -> BenchmarkReport.checkOwnHeading("agent-sync", "\n## Agent sync\n\nold figures\n", "## Agent sync\n\nnew"))
                .doesNotThrowAnyException();
    }

    @Test
    void everySectionOfTheCommittedFileBeginsWithItsOwnHeading() throws Exception {
        String doc = Files.readString(Path.of("BENCHMARKS.md"));
        for (String name : new String[] {"health-detection", "runbook", "context", "agent-sync"}) {
            int a = doc.indexOf("<!-- bench:" + name + " -->");
            assertThat(a).as(name).isNotNegative();
            String after = doc.substring(a).lines().skip(1).findFirst().orElse("");
            assertThat(after).as(name + ": the line after its marker").startsWith("## ");
        }
    }
}
