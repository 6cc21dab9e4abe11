package dev.ccaasfailover.testsupport;

import dev.ccaasfailover.platform.VendorEndpoints;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The {@code <vendor>Endpoints} bean exactly as routes/platform-<vendor>.camel.yaml declares it, for tests that call the
 * vendor clients without a CamelContext: they use the product's real paths, never a copy.
 */
public final class RouteEndpoints {

    private RouteEndpoints() {
    }

    @SuppressWarnings("unchecked")
    public static VendorEndpoints of(String vendor) {
        Path file = Path.of("routes", "platform-" + vendor + ".camel.yaml");
        String name = vendor + "Endpoints";
        try {
            Object doc = new Load(LoadSettings.builder().build()).loadFromString(Files.readString(file));
            for (Object item : (List<Object>) doc) {
                Object beans = ((Map<String, Object>) item).get("beans");
                if (beans == null) {
                    continue;
                }
                for (Object b : (List<Object>) beans) {
                    Map<String, Object> bean = (Map<String, Object>) b;
                    if (name.equals(bean.get("name"))) {
                        Map<String, Object> props = (Map<String, Object>) bean.get("properties");
                        VendorEndpoints e = new VendorEndpoints();
                        e.setVendor(String.valueOf(props.get("vendor")));
                        ((Map<String, Object>) props.get("paths")).forEach((k, v) -> e.getPaths().put(k, String.valueOf(v)));
                        Object bodies = props.get("bodies");
                        if (bodies != null) {
                            ((Map<String, Object>) bodies).forEach((k, v) -> e.getBodies().put(k, String.valueOf(v)));
                        }
                        return e;
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("no bean " + name + " in " + file);
    }
}
