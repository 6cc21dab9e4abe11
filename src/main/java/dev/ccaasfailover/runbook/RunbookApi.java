package dev.ccaasfailover.runbook;

import dev.ccaasfailover.http.ApiException;
import dev.ccaasfailover.http.Json;
import dev.ccaasfailover.http.PathParameter;
import org.apache.camel.Body;
import org.apache.camel.Header;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the operator API and the notify step read besides the state machine: request bodies and the journal's views. */
public class RunbookApi {

    private final RunJournal journal;

    public RunbookApi(RunJournal journal) {
        this.journal = journal;
    }

    /** POST /failover: the body bound as it came (a method-string parameter would lose quotes around it). */
    public RunRequest parseFailover(@Body byte[] body) {
        return RunRequest.parse("failover", body);
    }

    /** POST /failback, as {@link #parseFailover}. */
    public RunRequest parseFailback(@Body byte[] body) {
        return RunRequest.parse("failback", body);
    }

    /** GET /runs[?limit=N], newest first. */
    public Map<String, Object> listRuns(@Header("limit") String limitParam) {
        int limit = 50;
        if (limitParam != null && !limitParam.isBlank()) {
            try {
                limit = Integer.parseInt(limitParam.trim());
            } catch (NumberFormatException e) {
                throw ApiException.badRequest("limit", "not a whole number");
            }
            if (limit < 1 || limit > 500) {
                throw ApiException.badRequest("limit", "must be between 1 and 500");
            }
        }
        List<Object> runs = new ArrayList<>(journal.recent(limit));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("runs", runs);
        return m;
    }

    /** GET /runs/{runId}: the header with its steps; 404 when unknown. */
    public Map<String, Object> runDetail(@Header("runId") String runId) {
        PathParameter.id("runId", runId);
        RunRecord run = journal.run(runId).map(Versioned::value).orElseThrow(() -> ApiException.notFound("run " + runId));
        @SuppressWarnings("unchecked")
        Map<String, Object> m = Json.MAPPER.convertValue(run, LinkedHashMap.class);
        m.put("steps", journal.steps(runId));
        return m;
    }

    /** The notify step's SNS message: the run and its steps so far, with the outcome it is heading for. */
    public String summary(String runId) {
        Map<String, Object> m = runDetail(runId);
        m.put("expectedOutcome", journal.outcome(runId).outcome());
        return Json.write(m);
    }
}
