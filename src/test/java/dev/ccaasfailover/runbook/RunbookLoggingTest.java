package dev.ccaasfailover.runbook;

import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.ccaasfailover.http.Json;
import dev.ccaasfailover.testsupport.LogCapture;
import dev.ccaasfailover.testsupport.RunbookFixture;
import dev.ccaasfailover.testsupport.RunningMiddleware;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Every line a run logs while it executes carries its run id in the MDC (Camel's MDC logging, RunMdc). */
class RunbookLoggingTest {

    @Test
    void everyLineOfTwoRunsCarriesItsOwnRunIdAndNoOtherLineCarriesOne() throws Exception {
        try (RunbookFixture fx = RunbookFixture.create(); RunningMiddleware app = fx.startApp(); LogCapture logs = new LogCapture()) {
            String first = Json.MAPPER.readTree(RunbookFixture.post(app, "/failover", "{\"reason\":\"drill\",\"dryRun\":false}").body())
                    .get("runId").asText();
            RunbookFixture.awaitRunEnded(app, first);
            String second = Json.MAPPER.readTree(RunbookFixture.post(app, "/failback", "{\"reason\":\"back\",\"dryRun\":false}").body())
                    .get("runId").asText();
            RunbookFixture.awaitRunEnded(app, second);

            List<ILoggingEvent> events = logs.events();
            int firstDone = indexOfDone(events, first);
            List<ILoggingEvent> steps = events.stream().filter(e -> e.getLoggerName().equals(StepRunner.class.getName())).toList();
            assertThat(steps).hasSizeGreaterThanOrEqualTo(16); // 4 steps x (starts, outcome) x 2 runs
            for (ILoggingEvent e : steps) {
                String expected = events.indexOf(e) < firstDone ? first : second;
                assertThat(e.getMDCPropertyMap()).as(e.getFormattedMessage()).containsEntry("runId", expected);
            }
            // the HTTP request that claimed the second run is not part of a run: its lines name the run in the text only
            assertThat(events).filteredOn(e -> e.getLoggerName().equals(RunClaim.class.getName()))
                    .allMatch(e -> !e.getMDCPropertyMap().containsKey("runId"));
        }
    }

    private static int indexOfDone(List<ILoggingEvent> events, String runId) {
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i).getFormattedMessage().startsWith("Run " + runId + " done")) {
                return i;
            }
        }
        throw new AssertionError("no done line for " + runId);
    }
}
