package dev.ccaasfailover.agents;

import dev.ccaasfailover.config.InvalidConfigurationException;
import dev.ccaasfailover.config.MappingSource;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One mapping file, parsed with SnakeYAML Engine's node API so that every entry keeps its line: a bad entry fails
 * start-up with {@link InvalidConfigurationException} whose key is the file and whose message is "line N: reason; fix".
 * Files come from {@code failover.mappings.dir}; the jar's {@code mappings/} copy only as {@link MappingSource} allows.
 */
public final class MappingFile {

    private final String name;
    private final Node root;

    private MappingFile(String name, Node root) {
        this.name = name;
        this.root = root;
    }

    /** The file from {@code failover.mappings.dir}, else the jar's copy with a WARN ({@link MappingSource}). */
    public static MappingFile load(Path dir, String file) {
        return load(dir, file, true);
    }

    /** @param jarCopyAllowed false on a configured site: a missing file stops start-up ({@link MappingSource}) */
    public static MappingFile load(Path dir, String file, boolean jarCopyAllowed) {
        MappingSource source = MappingSource.open(dir, file, jarCopyAllowed);
        return parse(source.name(), source.text());
    }

    public static MappingFile parse(String name, String text) {
        try {
            Node root = new Compose(LoadSettings.builder().setAllowDuplicateKeys(false).build()).composeString(text).orElse(null);
            if (root != null && !(root instanceof MappingNode)) {
                throw new InvalidConfigurationException(name, "line " + line(root) + ": the file must be a YAML map at the top level;"
                        + " see the header comment of the shipped file");
            }
            return new MappingFile(name, root);
        } catch (MarkedYamlEngineException e) {
            int line = e.getProblemMark().map(m -> m.getLine() + 1).orElse(0);
            throw new InvalidConfigurationException(name, "line " + line + ": not valid YAML (" + e.getProblem() + "); fix the syntax");
        } catch (YamlEngineException e) {
            throw new InvalidConfigurationException(name, "line 0: not valid YAML (" + e.getMessage() + "); fix the syntax");
        }
    }

    public String name() {
        return name;
    }

    /** The top-level entries, in file order; only {@code allowed} keys are accepted. */
    public Map<String, Node> top(Set<String> allowed) {
        return entries(root, allowed);
    }

    /** A map node's entries in order (keys are scalars); null or an empty file gives an empty map. */
    public Map<String, Node> entries(Node node, Set<String> allowed) {
        Map<String, Node> out = new LinkedHashMap<>();
        if (node == null || isNull(node)) {
            return out;
        }
        if (!(node instanceof MappingNode map)) {
            throw error(node, "expected a map of key: value", "write key: value entries here");
        }
        for (NodeTuple t : map.getValue()) {
            if (!(t.getKeyNode() instanceof ScalarNode key)) {
                throw error(t.getKeyNode(), "a key must be a plain value", "write a name or an id as the key");
            }
            if (allowed != null && !allowed.contains(key.getValue())) {
                throw error(key, "unknown key '" + key.getValue() + "'", "write one of " + String.join(", ", allowed));
            }
            out.put(key.getValue(), t.getValueNode());
        }
        return out;
    }

    public List<Node> list(Node node) {
        if (node == null || isNull(node)) {
            return List.of();
        }
        if (!(node instanceof SequenceNode seq)) {
            throw error(node, "expected a list (- entries)", "write one '- {...}' line per entry");
        }
        return seq.getValue();
    }

    /** A scalar's text, or null when the node is absent or YAML null. */
    public String scalar(Node node) {
        if (node == null || isNull(node)) {
            return null;
        }
        if (!(node instanceof ScalarNode s)) {
            throw error(node, "expected a single value", "write a plain value here");
        }
        return s.getValue().trim();
    }

    public InvalidConfigurationException error(Node node, String problem, String fix) {
        return new InvalidConfigurationException(name, "line " + line(node) + ": " + problem + "; " + fix);
    }

    public static int line(Node node) {
        return node == null ? 0 : node.getStartMark().map(m -> m.getLine() + 1).orElse(0);
    }

    private static boolean isNull(Node node) {
        return node instanceof ScalarNode s && s.isPlain() && (s.getValue().isEmpty() || s.getValue().equals("~")
                || s.getValue().equals("null"));
    }
}
