package dev.ccaasfailover;

import dev.ccaasfailover.config.InvalidConfigurationException;
import dev.ccaasfailover.drill.Drill;
import dev.ccaasfailover.store.SqliteStore;
import org.apache.camel.main.Main;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * {@code java -jar ccaas-failover.jar} runs the middleware as a service from ./application.properties;
 * {@code --drill} plays a scripted outage against local simulators and exits.
 */
public final class Application {

    private Application() {
    }

    public static void main(String[] args) throws Exception {
        if (Arrays.asList(args).contains("--drill")) {
            System.exit(new Drill(System.out).run());
        }
        SqliteStore.loadNativeLibraryInBackground();
        Main main = newMain(Map.of());
        try {
            main.run(args);
        } catch (Exception e) {
            InvalidConfigurationException bad = configurationError(e);
            if (bad == null) {
                throw e;
            }
            // One line, naming the key and the fix; nothing has started.
            System.err.println("ccaas-failover: configuration error: " + bad.getMessage());
            System.exit(2);
        }
        System.exit(main.getExitCode());
    }

    /** The configuration error at the root of a start-up failure, if that is what it was. */
    static InvalidConfigurationException configurationError(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof InvalidConfigurationException bad) {
                return bad;
            }
        }
        return null;
    }

    /**
     * A Camel Main wired like the service: application.properties from the jar, then ./application.properties
     * (later wins), then environment variables and -D system properties, then {@code overrides}.
     */
    public static Main newMain(Map<String, String> overrides) {
        Main main = new Main();
        main.configure().addConfiguration(FailoverConfiguration.class);
        main.setPropertyPlaceholderLocations("classpath:application.properties;optional=true,file:application.properties;optional=true");
        main.addInitialProperty("camel.main.routesIncludePattern", routesIncludePattern());
        overrides.forEach(main::addOverrideProperty);
        return main;
    }

    /** An engineer edits routes/*.camel.yaml next to the jar and restarts: no rebuild. */
    static String routesIncludePattern() {
        return Files.isDirectory(Path.of("routes")) ? "file:routes/*.camel.yaml" : "classpath:routes/*.camel.yaml";
    }
}
