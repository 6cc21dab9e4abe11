package dev.ccaasfailover.drill;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.LoggingEvent;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The drill's log file pattern: " run=<id>" after the logger on a run's lines, nothing on the others. */
class DrillLogPatternTest {

    static String format(Map<String, String> mdc) {
        LoggerContext context = new LoggerContext();
        PatternLayout layout = new PatternLayout();
        layout.setContext(context);
        layout.setPattern(DrillLog.PATTERN);
        layout.start();
        LoggingEvent event = new LoggingEvent("x", context.getLogger("dev.ccaasfailover.runbook.StepRunner"), Level.INFO, "Step dns starts", null, null);
        event.setMDCPropertyMap(mdc);
        return layout.doLayout(event);
    }

    @Test
    void aRunsLineCarriesItsRunIdAndAnotherLineNothing() {
        assertThat(format(Map.of("runId", "run-20260101T000000Z-abcdef"))).contains("StepRunner run=run-20260101T000000Z-abcdef - Step dns starts");
        assertThat(format(Map.of())).contains("StepRunner - Step dns starts").doesNotContain("run=");
    }
}
