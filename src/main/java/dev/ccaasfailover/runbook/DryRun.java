package dev.ccaasfailover.runbook;

import dev.ccaasfailover.config.FailoverConfig;
import dev.ccaasfailover.config.Platform;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The dry run ({@code direct:runbook-plan}): every step's current and target state as the real run would read them,
 * and whether the run would start now. Changes nothing.
 */
public class DryRun {

    private final FailoverConfig config;
    private final RunClaim claims;

    public DryRun(FailoverConfig config, RunClaim claims) {
        this.config = config;
        this.claims = claims;
    }

    /** Body: the RunRequest. Sets the same target properties as a real run (the exchange: several properties). */
    public void prepare(Exchange exchange) {
        RunRequest request = exchange.getMessage().getBody(RunRequest.class);
        exchange.setProperty("runRequest", request);
        RunTarget.of(request.kind(), config).applyTo(exchange);
    }

    /**
     * The plan from what the reads found: plan.dns, plan.trunk (StepState) and plan.agents (the dry-run answer of
     * direct:sync-agents).
     */
    public Map<String, Object> plan(@ExchangeProperty("runRequest") RunRequest request, @ExchangeProperty("plan.dns") StepState dns,
                                    @ExchangeProperty("plan.trunk") StepState trunk, @ExchangeProperty("plan.carrier") StepState carrier,
                                    @ExchangeProperty("plan.agents") Map<String, Object> agents) {
        ControlPlaneState cp = claims.read().value();
        RunAdmission.Verdict verdict = claims.admission(request.kind(), request.force());
        Platform target = request.kind().target(config.primary(), config.secondary());
        List<Map<String, Object>> steps = new ArrayList<>();
        steps.add(planStep(dns));
        steps.add(planStep(trunk));
        steps.add(planStep(carrier));
        steps.add(agentsPlanStep(agents, target));
        String arn = config.notifications().snsTopicArn();
        steps.add(planStep(arn == null
                ? new StepState("notify", "n/a", "n/a", true, "notify.sns.topic-arn not set")
                : new StepState("notify", "-", "run summary published to " + arn, false, null)));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dryRun", true);
        m.put("kind", request.kind().id());
        m.put("state", cp.state().name());
        m.put("activePlatform", cp.activePlatform());
        m.put("toPlatform", target.id());
        m.put("wouldStart", verdict.allowed());
        m.put("refusedBecause", verdict.allowed() ? null : verdict.reason());
        m.put("steps", steps);
        return m;
    }

    /**
     * The agents step of a dry run from its sync answer: what would change, with the counts, the agents (failures
     * first, capped as in a real run) and the queues queues.yaml does not map. A platform without API settings, or
     * nothing to change, is a skip; a failed read is shown with its reason.
     */
    private static Map<String, Object> agentsPlanStep(Map<String, Object> sync, Platform target) {
        String wanted = "agents' presence and queues on " + target.id();
        if (sync == null) {
            return planStep(new StepState("agents", "not read", wanted, false, "not read"));
        }
        String outcome = String.valueOf(sync.get("outcome"));
        String detail = String.valueOf(sync.get("detail"));
        boolean planned = sync.containsKey("counts");
        String note = "failed".equals(outcome) || !planned ? detail : null;
        Map<String, Object> m = planStep(new StepState("agents", planned ? detail : "not read", wanted, "skipped".equals(outcome), note));
        if (planned) {
            m.put("counts", sync.get("counts"));
            m.put("agents", sync.get("agents"));
            m.put("agentsTruncated", sync.get("agentsTruncated"));
            m.put("unmappedQueues", sync.get("unmappedQueues"));
        }
        return m;
    }

    private static Map<String, Object> planStep(StepState s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", s.step());
        m.put("current", s.current());
        m.put("target", s.target());
        m.put("action", s.holds() ? "skip" : "change");
        if (s.note() != null) {
            m.put("note", s.note());
        }
        return m;
    }
}
