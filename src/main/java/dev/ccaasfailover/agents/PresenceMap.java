package dev.ccaasfailover.agents;

import dev.ccaasfailover.config.InvalidConfigurationException;
import org.snakeyaml.engine.v2.nodes.Node;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * mappings/presence.yaml: Genesys presence to NICE state (failover) and NICE state to Genesys presence (failback).
 * One-way and lossy by design: NICE can only be set Available or Unavailable with an unavailable code, so
 * BREAK, MEAL, TRAINING, MEETING and AWAY can never map to Available, OFFLINE agents are skipped, and an unknown
 * presence becomes Unavailable with {@code failover.agents.unknown-presence-reason}. Checked at start-up.
 */
public final class PresenceMap {

    public static final String FILE = "presence.yaml";
    /** Genesys system presences, normalised (upper case, words joined by '_'). */
    public static final List<String> GENESYS_PRESENCES = List.of("AVAILABLE", "AWAY", "BUSY", "OFFLINE", "IDLE", "ON_QUEUE",
            "MEAL", "TRAINING", "MEETING", "BREAK");
    /** Presences where the person is not there to take a call: never Available on the other platform. */
    public static final Set<String> NEVER_AVAILABLE = Set.of("BREAK", "MEAL", "TRAINING", "MEETING", "AWAY");
    /** NICE agentStateName values (docs/vendor-apis.md §5). */
    public static final List<String> NICE_STATES = List.of("LoggedOut", "Available", "Unavailable", "InboundContact",
            "OutboundContact", "InboundConsult", "OutboundConsult", "Dialer", "LoggedIn");
    private static final String SKIP = "skip";

    private final Map<String, Optional<TargetState>> bySystemPresence;
    private final Map<String, Optional<TargetState>> bySecondaryId;
    private final String unknownReason;
    private final Map<String, Optional<TargetState>> byNiceState;
    private final Map<String, String> byUnavailableCode;
    private final TargetState failbackUnknown;

    private PresenceMap(Map<String, Optional<TargetState>> bySystemPresence, Map<String, Optional<TargetState>> bySecondaryId,
                        String unknownReason, Map<String, Optional<TargetState>> byNiceState,
                        Map<String, String> byUnavailableCode, TargetState failbackUnknown) {
        this.bySystemPresence = bySystemPresence;
        this.bySecondaryId = bySecondaryId;
        this.unknownReason = unknownReason;
        this.byNiceState = byNiceState;
        this.byUnavailableCode = byUnavailableCode;
        this.failbackUnknown = failbackUnknown;
    }

    /** "On Queue", "ON_QUEUE", "OnQueue", "onqueue" all become ON_QUEUE; unknown spellings are upper-cased. */
    public static String normalise(String systemPresence) {
        if (systemPresence == null) {
            return "";
        }
        String squashed = systemPresence.replaceAll("[ _-]", "").toUpperCase(Locale.ROOT);
        return GENESYS_PRESENCES.stream().filter(p -> p.replace("_", "").equals(squashed)).findFirst().orElse(squashed);
    }

    /**
     * Genesys to NICE. Empty: skip the agent (OFFLINE). A secondary presence id mapped in the file wins over its system
     * presence, except that it can never make a BREAK/MEAL/TRAINING/MEETING/AWAY agent Available.
     */
    public Optional<TargetState> failover(String systemPresence, String presenceDefinitionId) {
        String sp = normalise(systemPresence);
        if (sp.equals("OFFLINE")) {
            return Optional.empty();
        }
        Optional<TargetState> secondary = presenceDefinitionId == null ? null : bySecondaryId.get(presenceDefinitionId);
        if (secondary != null && !(NEVER_AVAILABLE.contains(sp) && secondary.map(t -> t.state().equals("Available")).orElse(false))) {
            return secondary;
        }
        Optional<TargetState> mapped = bySystemPresence.get(sp);
        return mapped != null ? mapped : Optional.of(new TargetState("Unavailable", unknownReason));
    }

    /** NICE to Genesys (failback). Empty: skip the agent (e.g. LoggedOut). */
    public Optional<TargetState> failback(String niceState, String unavailableCode) {
        if ("Unavailable".equalsIgnoreCase(niceState) && unavailableCode != null) {
            String byCode = byUnavailableCode.get(unavailableCode.toLowerCase(Locale.ROOT));
            if (byCode != null) {
                return Optional.of(TargetState.of(byCode));
            }
        }
        Optional<TargetState> mapped = niceState == null ? null : byNiceState.get(niceState.toLowerCase(Locale.ROOT));
        return mapped != null ? mapped : Optional.of(failbackUnknown);
    }

    public String unknownReason() {
        return unknownReason;
    }

    public static PresenceMap load(MappingFile f, String unknownReason) {
        Map<String, Node> top = f.top(Set.of("failover", "failback"));
        Map<String, Node> fo = f.entries(top.get("failover"), Set.of("systemPresences", "secondaryPresences"));
        Map<String, Optional<TargetState>> bySystem = new HashMap<>();
        for (Map.Entry<String, Node> e : f.entries(fo.get("systemPresences"), null).entrySet()) {
            String sp = normalise(e.getKey());
            if (!GENESYS_PRESENCES.contains(sp)) {
                throw f.error(e.getValue(), "'" + e.getKey() + "' is not a Genesys system presence",
                        "write one of " + String.join(", ", GENESYS_PRESENCES));
            }
            if (bySystem.containsKey(sp)) {
                throw f.error(e.getValue(), "'" + e.getKey() + "' is mapped twice (as " + sp + ")", "keep one entry");
            }
            Optional<TargetState> t = niceTarget(f, e.getValue());
            if (sp.equals("OFFLINE") && t.isPresent()) {
                throw f.error(e.getValue(), "OFFLINE agents are skipped, never set on NICE", "write OFFLINE: skip");
            }
            if (NEVER_AVAILABLE.contains(sp) && t.map(x -> x.state().equals("Available")).orElse(false)) {
                throw f.error(e.getValue(), sp + " must never become Available on NICE (the guide's trap: an agent on a break"
                        + " would get calls)", "write e.g. " + sp + ": {state: Unavailable, reasonCode: " + capitalise(sp) + "}");
            }
            bySystem.put(sp, t);
        }
        if (!bySystem.containsKey("OFFLINE")) {
            bySystem.put("OFFLINE", Optional.empty());
        }
        Map<String, Optional<TargetState>> bySecondary = new HashMap<>();
        for (Map.Entry<String, Node> e : f.entries(fo.get("secondaryPresences"), null).entrySet()) {
            bySecondary.put(e.getKey(), niceTarget(f, e.getValue()));
        }

        Map<String, Node> fb = f.entries(top.get("failback"), Set.of("states", "unavailableCodes", "unknown"));
        Map<String, Optional<TargetState>> byNice = new HashMap<>();
        for (Map.Entry<String, Node> e : f.entries(fb.get("states"), null).entrySet()) {
            String state = NICE_STATES.stream().filter(s -> s.equalsIgnoreCase(e.getKey())).findFirst().orElseThrow(() ->
                    f.error(e.getValue(), "'" + e.getKey() + "' is not a NICE agent state", "write one of " + String.join(", ", NICE_STATES)));
            Optional<TargetState> t = genesysTarget(f, e.getValue(), true);
            if ((state.equals("Unavailable") || state.equals("LoggedOut")) && t.map(x -> isOnQueueOrAvailable(x.state())).orElse(false)) {
                throw f.error(e.getValue(), "NICE " + state + " must not become " + t.get().state() + " on Genesys",
                        "write e.g. " + state + ": AWAY");
            }
            byNice.put(state.toLowerCase(Locale.ROOT), t);
        }
        Map<String, String> byCode = new HashMap<>();
        for (Map.Entry<String, Node> e : f.entries(fb.get("unavailableCodes"), null).entrySet()) {
            TargetState t = genesysTarget(f, e.getValue(), false).orElseThrow();
            if (isOnQueueOrAvailable(t.state())) {
                throw f.error(e.getValue(), "an Unavailable agent (code " + e.getKey() + ") must not become " + t.state()
                        + " on Genesys", "write e.g. " + e.getKey() + ": AWAY");
            }
            byCode.put(e.getKey().toLowerCase(Locale.ROOT), t.state());
        }
        TargetState unknown = fb.containsKey("unknown") ? genesysTarget(f, fb.get("unknown"), false).orElseThrow() : TargetState.of("AWAY");
        if (isOnQueueOrAvailable(unknown.state())) {
            throw f.error(fb.get("unknown"), "an unknown NICE state must not become " + unknown.state(), "write unknown: AWAY");
        }
        return new PresenceMap(Map.copyOf(bySystem), Map.copyOf(bySecondary), unknownReason, Map.copyOf(byNice),
                Map.copyOf(byCode), unknown);
    }

    private static boolean isOnQueueOrAvailable(String genesysPresence) {
        return genesysPresence.equals("ON_QUEUE") || genesysPresence.equals("AVAILABLE");
    }

    /** {@code skip} or {@code {state: Available}} or {@code {state: Unavailable, reasonCode: Break}}. */
    private static Optional<TargetState> niceTarget(MappingFile f, Node node) {
        if (node instanceof org.snakeyaml.engine.v2.nodes.ScalarNode) {
            if (SKIP.equalsIgnoreCase(f.scalar(node))) {
                return Optional.empty();
            }
            throw f.error(node, "'" + f.scalar(node) + "' is not a NICE state", "write skip, {state: Available} or"
                    + " {state: Unavailable, reasonCode: <unavailable code name>}");
        }
        Map<String, Node> m = f.entries(node, Set.of("state", "reasonCode"));
        String state = f.scalar(m.get("state"));
        String reason = f.scalar(m.get("reasonCode"));
        if ("Available".equalsIgnoreCase(state)) {
            if (reason != null) {
                throw f.error(node, "NICE takes no reason code with Available", "drop reasonCode, or write state: Unavailable");
            }
            return Optional.of(TargetState.of("Available"));
        }
        if ("Unavailable".equalsIgnoreCase(state)) {
            if (reason == null) {
                throw f.error(node, "NICE needs an unavailable code with Unavailable", "add reasonCode: <unavailable code name>, e.g. Break");
            }
            return Optional.of(new TargetState("Unavailable", reason));
        }
        throw f.error(node, "NICE can only set an agent Available or Unavailable, not '" + state + "'",
                "write state: Available or state: Unavailable with a reasonCode");
    }

    /** {@code skip} (when allowed) or a Genesys system presence such as ON_QUEUE. */
    private static Optional<TargetState> genesysTarget(MappingFile f, Node node, boolean skipAllowed) {
        String v = f.scalar(node);
        if (v == null) {
            throw f.error(node, "a value is required", "write a Genesys system presence, e.g. AWAY");
        }
        if (skipAllowed && SKIP.equalsIgnoreCase(v)) {
            return Optional.empty();
        }
        String sp = normalise(v);
        if (!GENESYS_PRESENCES.contains(sp) || sp.equals("OFFLINE")) {
            throw f.error(node, "'" + v + "' is not a Genesys system presence that can be set",
                    "write one of " + String.join(", ", GENESYS_PRESENCES.stream().filter(p -> !p.equals("OFFLINE")).toList())
                            + (skipAllowed ? " or skip" : ""));
        }
        return Optional.of(TargetState.of(sp));
    }

    private static String capitalise(String sp) {
        return sp.charAt(0) + sp.substring(1).toLowerCase(Locale.ROOT);
    }

    static void requireReason(String unknownReason) {
        if (unknownReason == null || unknownReason.isBlank()) {
            throw new InvalidConfigurationException("failover.agents.unknown-presence-reason", "is empty; write e.g. SystemMaintenance");
        }
    }
}
