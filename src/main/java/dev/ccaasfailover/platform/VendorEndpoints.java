package dev.ccaasfailover.platform;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ccaasfailover.http.Json;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A vendor's API paths and request bodies by name: a plain property holder, declared as a bean in
 * {@code routes/platform-<vendor>.camel.yaml}, so that a changed vendor endpoint or payload is a YAML edit and never a
 * Java one. A path (relative to the platform's base URL) may carry a fixed query and {@code {name}} placeholders, which
 * {@link #path} fills URL-encoded. A body is JSON in which a string that is exactly {@code "{name}"} is replaced by
 * that value as JSON (a string, a number, a list, another body), by {@link #body}.
 */
public class VendorEndpoints {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z0-9_]+)}");
    private static final Pattern WHOLE_PLACEHOLDER = Pattern.compile("^\\{([A-Za-z0-9_]+)}$");

    private String vendor = "vendor";
    private final Map<String, String> paths = new LinkedHashMap<>();
    private final Map<String, String> bodies = new LinkedHashMap<>();

    public String getVendor() {
        return vendor;
    }

    public void setVendor(String vendor) {
        this.vendor = vendor;
    }

    /** Name to template; the YAML DSL binds {@code paths.<name>} into this map. */
    public Map<String, String> getPaths() {
        return paths;
    }

    public void setPaths(Map<String, String> paths) {
        this.paths.clear();
        this.paths.putAll(paths);
    }

    /** Name to JSON body template; the YAML DSL binds {@code bodies.<name>} into this map. */
    public Map<String, String> getBodies() {
        return bodies;
    }

    public void setBodies(Map<String, String> bodies) {
        this.bodies.clear();
        this.bodies.putAll(bodies);
    }

    /**
     * The body template {@code name} with its placeholders replaced, e.g.
     * {@code body("userPresence", "definitionId", "p-1")} for {@code {"presenceDefinition": {"id": "{definitionId}"} }}.
     *
     * @param vars alternating placeholder names and values (any value Jackson writes); every placeholder must be given
     */
    public JsonNode body(String name, Object... vars) {
        String template = bodies.get(name);
        if (template == null || template.isBlank()) {
            throw new IllegalStateException(vendor + " body '" + name + "' is not declared (bodies." + name
                    + " of bean " + vendor + "Endpoints in routes/platform-" + vendor + ".camel.yaml)");
        }
        if (vars.length % 2 != 0) {
            throw new IllegalArgumentException("placeholder names and values come in pairs");
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (int i = 0; i < vars.length; i += 2) {
            values.put(String.valueOf(vars[i]), vars[i + 1]);
        }
        JsonNode tree;
        try {
            tree = Json.MAPPER.readTree(template); // our own file: strict, so a doubled key is a mistake caught
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(vendor + " body '" + name + "' is not JSON: " + e.getOriginalMessage());
        }
        return fill(tree, values, name);
    }

    private JsonNode fill(JsonNode node, Map<String, Object> values, String name) {
        if (node.isTextual()) {
            Matcher m = WHOLE_PLACEHOLDER.matcher(node.asText());
            if (!m.matches()) {
                return node;
            }
            if (!values.containsKey(m.group(1))) {
                throw new IllegalArgumentException(vendor + " body '" + name + "' needs a value for {" + m.group(1) + "}");
            }
            return Json.VENDOR.valueToTree(values.get(m.group(1)));
        }
        if (node instanceof ObjectNode obj) {
            for (Iterator<Map.Entry<String, JsonNode>> it = obj.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                e.setValue(fill(e.getValue(), values, name));
            }
        } else if (node instanceof ArrayNode arr) {
            for (int i = 0; i < arr.size(); i++) {
                arr.set(i, fill(arr.get(i), values, name));
            }
        }
        return node;
    }

    /**
     * The template {@code name} with its placeholders filled, e.g. {@code path("queueMembers", "queueId", "q 1")}.
     *
     * @param vars alternating placeholder names and values; every placeholder of the template must be given
     */
    public String path(String name, String... vars) {
        String template = paths.get(name);
        if (template == null || template.isBlank()) {
            throw new IllegalStateException(vendor + " endpoint '" + name + "' is not declared (paths." + name
                    + " of bean " + vendor + "Endpoints in routes/platform-" + vendor + ".camel.yaml)");
        }
        if (vars.length % 2 != 0) {
            throw new IllegalArgumentException("placeholder names and values come in pairs");
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < vars.length; i += 2) {
            values.put(vars[i], vars[i + 1]);
        }
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = values.get(m.group(1));
            if (value == null) {
                throw new IllegalArgumentException(vendor + " endpoint '" + name + "' needs a value for {" + m.group(1) + "}");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(URLEncoder.encode(value, StandardCharsets.UTF_8)));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** Fails, naming them, when any of the paths {@code names} is not declared: checked at start-up, not at the first failover. */
    public VendorEndpoints require(String... names) {
        return require("paths", paths, names);
    }

    /** Fails, naming them, when any of the bodies {@code names} is not declared or is not JSON. */
    public VendorEndpoints requireBodies(String... names) {
        require("bodies", bodies, names);
        for (String n : names) {
            try {
                Json.MAPPER.readTree(bodies.get(n));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(vendor + " body '" + n + "' in routes/platform-" + vendor
                        + ".camel.yaml is not JSON: " + e.getOriginalMessage());
            }
        }
        return this;
    }

    private VendorEndpoints require(String kind, Map<String, String> declared, String... names) {
        Set<String> missing = new TreeSet<>();
        for (String n : names) {
            if (declared.get(n) == null || declared.get(n).isBlank()) {
                missing.add(n);
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException(vendor + " " + kind + " " + missing + " are not declared (" + kind
                    + ".<name> of bean " + vendor + "Endpoints in routes/platform-" + vendor + ".camel.yaml)");
        }
        return this;
    }

    @Override
    public String toString() {
        return vendor + "Endpoints" + paths + bodies.keySet();
    }
}
