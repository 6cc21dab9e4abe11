package dev.ccaasfailover.context;

import com.fasterxml.jackson.core.JsonPointer;
import dev.ccaasfailover.config.InvalidConfigurationException;
import dev.ccaasfailover.config.MappingSource;
import dev.ccaasfailover.config.Platform;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

import java.io.Reader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The vendor formats of {@code mappings/events.yaml}: how a native payload is recognised and which of its fields
 * become which canonical field. Loaded once at start-up; a bad entry throws with the file, the line and the reason.
 */
public final class EventMappings {

    public static final String FILE = "events.yaml";
    static final Set<String> FIELDS = Set.of("eventId", "callId", "phoneNumber", "timestamp", "queueId", "intent",
            "agentId", "currentStep", "agentPreference");

    /**
     * A native kind mapped to a canonical type; an empty type means "known, ignore". {@code mediaFrom} (optional)
     * points at the event's media type: one not in {@code voiceMedia} whose phone number is missing or not a phone
     * number (a chat's or an e-mail's ani) is ignored, not refused.
     */
    public record Format(String name, Platform platform, JsonPointer detect, JsonPointer typeFrom, String stripPrefix,
                         Map<String, Optional<EventType>> types, JsonPointer transferFrom, Set<String> transferValues,
                         JsonPointer mediaFrom, Set<String> voiceMedia, Map<String, List<JsonPointer>> fields) { }

    private final List<Format> formats;

    public EventMappings(List<Format> formats) {
        this.formats = List.copyOf(formats);
    }

    public List<Format> formats() {
        return formats;
    }

    /** {@code events.yaml} from {@code failover.mappings.dir}, else the jar's copy with a WARN ({@link MappingSource}). */
    public static EventMappings load(Path dir) {
        return load(dir, true);
    }

    /** @param jarCopyAllowed false on a configured site: a missing events.yaml stops start-up */
    public static EventMappings load(Path dir, boolean jarCopyAllowed) {
        MappingSource source = MappingSource.open(dir, FILE, jarCopyAllowed);
        return parse(new java.io.StringReader(source.text()), source.name());
    }

    public static EventMappings parse(Reader reader, String source) {
        Node root;
        try {
            root = new Compose(LoadSettings.builder().setLabel(source).build()).composeReader(reader)
                    .orElseThrow(() -> bad(source, null, "the file is empty; it needs a formats: list"));
        } catch (YamlEngineException e) {
            throw new InvalidConfigurationException("failover.mappings.dir", source + ": not valid YAML: "
                    + e.getMessage().replace('\n', ' '));
        }
        Map<String, Node> top = mapping(source, root, Set.of("formats"));
        Node list = require(source, root, top, "formats");
        if (!(list instanceof SequenceNode seq) || seq.getValue().isEmpty()) {
            throw bad(source, list, "formats must be a non-empty list");
        }
        List<Format> formats = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        for (Node f : seq.getValue()) {
            Format format = format(source, f);
            if (!names.add(format.name())) {
                throw bad(source, f, "format name '" + format.name() + "' appears twice");
            }
            formats.add(format);
        }
        return new EventMappings(formats);
    }

    private static Format format(String src, Node node) {
        Map<String, Node> m = mapping(src, node, Set.of("name", "platform", "detect", "type", "transfer", "media", "fields"));
        String name = scalar(src, require(src, node, m, "name"));
        Node platformNode = require(src, node, m, "platform");
        Platform platform;
        try {
            platform = Platform.parse("platform", scalar(src, platformNode));
        } catch (InvalidConfigurationException e) {
            throw bad(src, platformNode, e.getMessage());
        }
        JsonPointer detect = pointer(src, require(src, node, m, "detect"));

        Node typeNode = require(src, node, m, "type");
        Map<String, Node> t = mapping(src, typeNode, Set.of("from", "stripPrefix", "values"));
        JsonPointer typeFrom = pointer(src, require(src, typeNode, t, "from"));
        String strip = t.containsKey("stripPrefix") ? scalar(src, t.get("stripPrefix")) : "";
        Node valuesNode = require(src, typeNode, t, "values");
        Map<String, Optional<EventType>> types = new LinkedHashMap<>();
        if (!(valuesNode instanceof MappingNode vm) || vm.getValue().isEmpty()) {
            throw bad(src, valuesNode, "type.values must map native kinds to canonical types");
        }
        for (NodeTuple tuple : vm.getValue()) {
            String kind = scalar(src, tuple.getKeyNode());
            String target = scalar(src, tuple.getValueNode());
            if ("ignore".equals(target)) {
                types.put(kind, Optional.empty());
            } else {
                EventType type = EventType.parse(target).orElseThrow(() -> bad(src, tuple.getValueNode(),
                        "unknown canonical type '" + target + "'; write one of CallStarted, QueueEntered, TransferInitiated,"
                                + " CallEnded, IVRState or ignore"));
                types.put(kind, Optional.of(type));
            }
        }

        JsonPointer transferFrom = null;
        Set<String> transferValues = Set.of();
        if (m.containsKey("transfer")) {
            Node tn = m.get("transfer");
            Map<String, Node> tr = mapping(src, tn, Set.of("from", "values"));
            transferFrom = pointer(src, require(src, tn, tr, "from"));
            transferValues = Set.copyOf(scalars(src, require(src, tn, tr, "values")));
        }

        JsonPointer mediaFrom = null;
        Set<String> voiceMedia = Set.of();
        if (m.containsKey("media")) {
            Node mn = m.get("media");
            Map<String, Node> md = mapping(src, mn, Set.of("from", "voice"));
            mediaFrom = pointer(src, require(src, mn, md, "from"));
            voiceMedia = Set.copyOf(scalars(src, require(src, mn, md, "voice")));
        }

        Node fieldsNode = require(src, node, m, "fields");
        Map<String, Node> fm = mapping(src, fieldsNode, FIELDS);
        for (String needed : List.of("callId", "timestamp")) {
            require(src, fieldsNode, fm, needed);
        }
        Map<String, List<JsonPointer>> fields = new LinkedHashMap<>();
        fm.forEach((field, value) -> {
            List<JsonPointer> pointers = new ArrayList<>();
            for (String p : scalars(src, value)) {
                pointers.add(pointer(src, value, p));
            }
            fields.put(field, List.copyOf(pointers));
        });
        return new Format(name, platform, detect, typeFrom, strip, types, transferFrom, transferValues, mediaFrom,
                voiceMedia, fields);
    }

    private static Map<String, Node> mapping(String src, Node node, Set<String> allowed) {
        if (!(node instanceof MappingNode mn)) {
            throw bad(src, node, "expected a mapping (key: value)");
        }
        Map<String, Node> m = new LinkedHashMap<>();
        for (NodeTuple tuple : mn.getValue()) {
            String key = scalar(src, tuple.getKeyNode());
            if (!allowed.contains(key)) {
                throw bad(src, tuple.getKeyNode(), "unknown key '" + key + "'; write one of " + new java.util.TreeSet<>(allowed));
            }
            m.put(key, tuple.getValueNode());
        }
        return m;
    }

    private static Node require(String src, Node parent, Map<String, Node> m, String key) {
        Node n = m.get(key);
        if (n == null) {
            throw bad(src, parent, "missing '" + key + "'");
        }
        return n;
    }

    private static String scalar(String src, Node node) {
        if (!(node instanceof ScalarNode s) || s.getValue().isBlank()) {
            throw bad(src, node, "expected a non-empty value");
        }
        return s.getValue().trim();
    }

    private static List<String> scalars(String src, Node node) {
        if (node instanceof SequenceNode seq) {
            List<String> out = new ArrayList<>();
            seq.getValue().forEach(n -> out.add(scalar(src, n)));
            if (out.isEmpty()) {
                throw bad(src, node, "expected at least one value");
            }
            return out;
        }
        return List.of(scalar(src, node));
    }

    private static JsonPointer pointer(String src, Node node) {
        return pointer(src, node, scalar(src, node));
    }

    private static JsonPointer pointer(String src, Node node, String text) {
        if (!text.startsWith("/")) {
            throw bad(src, node, "'" + text + "' is not a JSON pointer; write e.g. /detail/eventBody/conversationId");
        }
        try {
            return JsonPointer.compile(text);
        } catch (IllegalArgumentException e) {
            throw bad(src, node, "'" + text + "' is not a JSON pointer: " + e.getMessage());
        }
    }

    private static InvalidConfigurationException bad(String src, Node node, String reason) {
        String line = node == null ? "" : node.getStartMark().map(mark -> ":" + (mark.getLine() + 1)).orElse("");
        return new InvalidConfigurationException("failover.mappings.dir", src + line + ": " + reason);
    }
}
