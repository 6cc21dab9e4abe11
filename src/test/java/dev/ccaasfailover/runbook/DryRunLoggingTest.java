package dev.ccaasfailover.runbook;

import ch.qos.logback.classic.Level;
import dev.ccaasfailover.testsupport.LogCapture;
import dev.ccaasfailover.testsupport.RunningMiddleware;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A dry run on an instance without vendors: each step that is not set up is one INFO line, no ERROR, no trace. */
class DryRunLoggingTest {

    @Test
    void aStepThatIsNotConfiguredIsOneInfoLineWithoutAStackTrace() throws Exception {
        try (RunningMiddleware app = RunningMiddleware.start(Map.of()); LogCapture logs = new LogCapture()) {
            HttpResponse<String> r = app.post("/failover", RunningMiddleware.ADMIN_TOKEN, "{\"reason\":\"x\",\"dryRun\":true}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(r.body()).contains("no base URL or no resource ids configured");

            assertThat(logs.events()).noneMatch(e -> e.getLevel().isGreaterOrEqual(Level.WARN));
            assertThat(logs.events()).allMatch(e -> e.getThrowableProxy() == null);
            assertThat(logs.events()).anyMatch(e -> e.getLevel() == Level.INFO
                    && e.getFormattedMessage().equals("Dry run: step trunk not read: genesys: no base URL or no resource ids configured"));
        }
    }
}
