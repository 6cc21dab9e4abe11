package dev.ccaasfailover.platform;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A vendor's API paths by name, relative to the platform's base URL: a plain property holder, declared as a bean in
 * {@code routes/platform-<vendor>.camel.yaml}, so that a changed vendor endpoint is a YAML edit and never a Java one.
 * A template may carry a fixed query and {@code {name}} placeholders, which {@link #path} fills URL-encoded.
 */
public class VendorEndpoints {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z0-9_]+)}");

    private String vendor = "vendor";
    private final Map<String, String> paths = new LinkedHashMap<>();

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

    /** Fails, naming them, when any of {@code names} is not declared: checked at start-up, not at the first failover. */
    public VendorEndpoints require(String... names) {
        Set<String> missing = new TreeSet<>();
        for (String n : names) {
            if (paths.get(n) == null || paths.get(n).isBlank()) {
                missing.add(n);
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException(vendor + " endpoints " + missing + " are not declared (paths.<name> of bean "
                    + vendor + "Endpoints in routes/platform-" + vendor + ".camel.yaml)");
        }
        return this;
    }

    @Override
    public String toString() {
        return vendor + "Endpoints" + paths;
    }
}
