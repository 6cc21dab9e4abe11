/**
 * Starts Hawtio 3.0.0 embedded with its command-line options (--war, --port, --host, --context-path, --open-url).
 * hawtio-embedded's own main() ignores its arguments; Main.run(String...) parses them. Run as a single-file
 * source program: java -cp HAWTIO_CLASSPATH scripts/HawtioMain.java --war hawtio-default-3.0.0.war --port 8090
 */
public class HawtioMain {
    public static void main(String[] args) {
        io.hawt.embedded.Main.run(args);
    }
}
