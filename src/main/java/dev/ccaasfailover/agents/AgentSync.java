package dev.ccaasfailover.agents;

import dev.ccaasfailover.config.Platform;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The steps of routes/failover-sync-agents.camel.yaml that are logic: which way the run goes, the plan (matching and
 * mapping, {@link SyncPlanner}), and the summary the runbook journals. The platform routes do the vendor calls.
 */
public final class AgentSync {

    private static final Logger LOG = LoggerFactory.getLogger(AgentSync.class);
    /** The per-agent list in the body is capped; the counts are always complete. */
    public static final int MAX_AGENTS_IN_BODY = 500;

    private final Platform primary;
    private final Platform secondary;
    private final AgentMappings mappings;
    private final SyncPlanner planner;
    private final java.util.Set<Platform> apiConfigured;

    /** @param apiConfigured the platforms whose API (base-url and token-url) is configured */
    public AgentSync(Platform primary, Platform secondary, AgentMappings mappings, java.util.Set<Platform> apiConfigured) {
        this.primary = primary;
        this.secondary = secondary;
        this.mappings = mappings;
        this.planner = new SyncPlanner(mappings);
        this.apiConfigured = java.util.Set.copyOf(apiConfigured);
    }

    /**
     * Reads the contract headers ({@code direction} failover|failback, {@code runId}, {@code dryRun}) and sets the
     * route's: {@code agentsSource}, {@code agentsTarget} (platform ids), {@code agentsQueueIds} (the source queues the
     * mapping knows), {@code dryRun} as a boolean.
     */
    public void begin(Exchange exchange) {
        var in = exchange.getMessage();
        String direction = String.valueOf(in.getHeader("direction")).trim().toLowerCase(Locale.ROOT);
        Platform source;
        Platform target;
        switch (direction) {
            case "failover" -> { source = primary; target = secondary; }
            case "failback" -> { source = secondary; target = primary; }
            default -> throw new IllegalArgumentException("header direction must be failover or failback, was '"
                    + in.getHeader("direction") + "'");
        }
        Object dry = in.getHeader("dryRun");
        boolean dryRun = dry instanceof Boolean b ? b : Boolean.parseBoolean(String.valueOf(dry).trim());
        in.setHeader("direction", direction);
        in.setHeader("dryRun", dryRun);
        in.setHeader("agentsSource", source.id());
        in.setHeader("agentsTarget", target.id());
        in.setHeader("agentsQueueIds", List.copyOf(mappings.queues().sources(source == Platform.GENESYS)));
        List<String> missing = java.util.stream.Stream.of(source, target).filter(p -> !apiConfigured.contains(p))
                .map(p -> p.id() + " (failover.platform." + p.id() + ".base-url, token-url)").toList();
        if (!missing.isEmpty()) {
            // Nothing to read from or write to: the step says so, it does not pretend agents moved.
            in.setHeader("agentsNotConfigured", "agents not moved: API not configured for " + String.join(" and ", missing));
        }
        LOG.info("Agents sync {} ({}): {} -> {}{}", in.getHeader("runId"), direction, source.id(), target.id(), dryRun ? " (dry run)" : "");
    }

    public SyncPlan plan(Exchange exchange) {
        var in = exchange.getMessage();
        Roster source = exchange.getProperty("agentsSourceRoster", Roster.class);
        Roster target = in.getBody(Roster.class);
        return planner.plan(in.getHeader("direction", String.class), in.getHeader("dryRun", Boolean.class), source, target);
    }

    /**
     * The contract's body: outcome, detail, counts (complete), agents (capped), plus unmappedQueues and, when the target
     * reports them (NICE), {@code skillWrites} {assigned, modified, requests} and {@code loginWatch}.
     */
    @SuppressWarnings("unchecked")
    public Map<String, Object> summary(@ExchangeProperty("agentsPlan") SyncPlan plan, @Body List<AgentOutcome> applied,
                                       Exchange exchange) {
        Map<String, Object> watch = exchange.getMessage().getHeader("agentsLoginWatch", Map.class);
        Map<String, Integer> skillWrites = exchange.getMessage().getHeader("agentsSkillWrites", Map.class);
        List<AgentOutcome> all = new ArrayList<>(applied);
        all.addAll(plan.settled());
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String o : List.of(AgentOutcome.UPDATED, AgentOutcome.UNCHANGED, AgentOutcome.SKIPPED, AgentOutcome.UNMATCHED, AgentOutcome.FAILED)) {
            counts.put(o, 0);
        }
        all.forEach(a -> counts.merge(a.outcome(), 1, Integer::sum));
        int failed = counts.get(AgentOutcome.FAILED);
        int updated = counts.get(AgentOutcome.UPDATED);
        int pendingLogin = watch == null ? 0 : ((Number) watch.get("pendingLogin")).intValue();
        int newlyPending = watch == null ? 0 : ((Number) watch.get("newlyPending")).intValue();
        String outcome = failed > 0 ? "failed" : updated == 0 && newlyPending == 0 ? "skipped" : "done";
        StringBuilder detail = new StringBuilder();
        detail.append(plan.direction()).append(' ').append(plan.source()).append(" -> ").append(plan.target());
        if (plan.dryRun()) {
            detail.append(" (dry run: nothing was changed; 'updated' means would change)");
        }
        detail.append(": ");
        counts.forEach((k, v) -> detail.append(v).append(' ').append(k).append(", "));
        detail.setLength(detail.length() - 2);
        if (skillWrites != null && !plan.dryRun()) {
            detail.append("; skills ").append(skillWrites.get("assigned")).append(" assigned, ").append(skillWrites.get("modified"))
                    .append(" modified in ").append(skillWrites.get("requests")).append(" request(s)");
        }
        if (pendingLogin > 0) {
            detail.append("; ").append(pendingLogin).append(" agent(s) LoggedOut on ").append(plan.target())
                    .append(plan.dryRun() ? ": their state would wait for their login" : ": skills set, state applied when they log in (watch until "
                            + watch.get("watchUntil") + ")");
            if (newlyPending < pendingLogin) {
                detail.append(", ").append(pendingLogin - newlyPending).append(" of them already waiting");
            }
        }
        if (!plan.unmappedQueues().isEmpty()) {
            detail.append("; ").append(plan.unmappedQueues().size()).append(" unmapped queue(s) in queues.yaml: ");
            detail.append(String.join(", ", plan.unmappedQueues().stream().limit(10)
                    .map(q -> q.id() + (q.name().isEmpty() ? "" : " (" + q.name() + ", " + q.memberCount() + " members)")).toList()));
        }
        // failures first, so a capped list still shows them
        all.sort((a, b) -> Integer.compare(rank(a.outcome()), rank(b.outcome())));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("outcome", outcome);
        body.put("detail", detail.toString());
        body.put("direction", plan.direction());
        body.put("dryRun", plan.dryRun());
        body.put("counts", counts);
        if (skillWrites != null) {
            body.put("skillWrites", skillWrites);
        }
        if (watch != null) {
            body.put("loginWatch", watch);
        }
        body.put("agents", all.stream().limit(MAX_AGENTS_IN_BODY).map(AgentOutcome::toMap).toList());
        body.put("agentsTruncated", all.size() > MAX_AGENTS_IN_BODY);
        body.put("unmappedQueues", plan.unmappedQueues().stream().map(q -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", q.id());
            m.put("name", q.name());
            m.put("members", q.memberCount());
            return m;
        }).toList());
        LOG.info("Agents sync: {}", detail);
        return body;
    }

    /** A run that could not read or plan at all: outcome failed, with the reason. */
    /** The answer when a platform's API is not configured: skipped, with the reason; nothing was read or changed. */
    public Map<String, Object> notConfigured(Exchange exchange) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("outcome", "skipped");
        body.put("detail", exchange.getMessage().getHeader("agentsNotConfigured", String.class));
        body.put("direction", exchange.getMessage().getHeader("direction"));
        body.put("dryRun", exchange.getMessage().getHeader("dryRun"));
        return body;
    }

    public Map<String, Object> failed(Exchange exchange) {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String reason = e == null ? "unknown error" : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        LOG.warn("Agents sync {} failed: {}", exchange.getMessage().getHeader("runId"), reason);
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String o : List.of(AgentOutcome.UPDATED, AgentOutcome.UNCHANGED, AgentOutcome.SKIPPED, AgentOutcome.UNMATCHED, AgentOutcome.FAILED)) {
            counts.put(o, 0);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("outcome", "failed");
        body.put("detail", "agents sync failed: " + reason);
        body.put("direction", exchange.getMessage().getHeader("direction"));
        body.put("dryRun", exchange.getMessage().getHeader("dryRun"));
        body.put("counts", counts);
        body.put("agents", List.of());
        body.put("agentsTruncated", false);
        body.put("unmappedQueues", List.of());
        return body;
    }

    private static int rank(String outcome) {
        return switch (outcome) {
            case AgentOutcome.FAILED -> 0;
            case AgentOutcome.UNMATCHED -> 1;
            case AgentOutcome.UPDATED -> 2;
            case AgentOutcome.SKIPPED -> 3;
            default -> 4;
        };
    }
}
