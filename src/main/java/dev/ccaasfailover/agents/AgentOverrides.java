package dev.ccaasfailover.agents;

import org.snakeyaml.engine.v2.nodes.Node;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * mappings/agents.yaml: pairs that e-mail matching would miss (a person with different e-mails on the two platforms).
 * Each side is a platform id or an e-mail (anything with '@'); an override wins over e-mail matching.
 */
public final class AgentOverrides {

    public static final String FILE = "agents.yaml";

    private final Map<String, String> genesysToNice;
    private final Map<String, String> niceToGenesys;

    private AgentOverrides(Map<String, String> genesysToNice, Map<String, String> niceToGenesys) {
        this.genesysToNice = genesysToNice;
        this.niceToGenesys = niceToGenesys;
    }

    public static AgentOverrides none() {
        return new AgentOverrides(Map.of(), Map.of());
    }

    /**
     * The target key (id or e-mail, lower case) an override gives a source agent, looked up by its id, then its e-mail.
     *
     * @param sourceIsGenesys true on failover (Genesys to NICE)
     */
    public Optional<String> targetFor(boolean sourceIsGenesys, String sourceId, String sourceEmail) {
        Map<String, String> m = sourceIsGenesys ? genesysToNice : niceToGenesys;
        String byId = m.get(key(sourceId));
        return Optional.ofNullable(byId != null ? byId : m.get(key(sourceEmail)));
    }

    public int size() {
        return genesysToNice.size();
    }

    public static AgentOverrides load(MappingFile f) {
        Map<String, Node> top = f.top(Set.of("agents"));
        Map<String, String> g2n = new HashMap<>();
        Map<String, String> n2g = new HashMap<>();
        for (Node entry : f.list(top.get("agents"))) {
            Map<String, Node> m = f.entries(entry, Set.of("genesys", "nice", "note"));
            String g = f.scalar(m.get("genesys"));
            String n = f.scalar(m.get("nice"));
            if (g == null || n == null || g.isEmpty() || n.isEmpty()) {
                throw f.error(entry, "an override needs both sides", "write - {genesys: <user id or e-mail>, nice: <agent id or e-mail>}");
            }
            if (g2n.putIfAbsent(key(g), key(n)) != null) {
                throw f.error(entry, "Genesys agent " + g + " is overridden twice", "keep one entry per agent");
            }
            if (n2g.putIfAbsent(key(n), key(g)) != null) {
                throw f.error(entry, "NICE agent " + n + " is the target of two overrides", "keep one entry per agent");
            }
        }
        return new AgentOverrides(Map.copyOf(g2n), Map.copyOf(n2g));
    }

    static String key(String idOrEmail) {
        return idOrEmail == null ? "" : idOrEmail.trim().toLowerCase(Locale.ROOT);
    }
}
