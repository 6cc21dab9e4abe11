package dev.ccaasfailover.testsupport;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs SIPp (Debian/Ubuntu package {@code sip-tester}) as an independent SIP peer. Interop tests
 * FAIL when it is missing, never skip: CI must install the package.
 */
public final class Sipp implements AutoCloseable {

    public static final String INSTALL_HINT =
            "sipp is not installed: these SIP interop tests need it. Install the Debian/Ubuntu package "
                    + "'sip-tester' (apt-get install -y sip-tester), or put sipp on PATH / set SIPP=/path/to/sipp.";

    private final Process process;
    private final Path output;
    private final List<String> command;

    private Sipp(Process process, Path output, List<String> command) {
        this.process = process;
        this.output = output;
        this.command = command;
    }

    /** The sipp executable; fails the test with {@link #INSTALL_HINT} when there is none. */
    public static String executable() {
        String configured = System.getenv("SIPP");
        if (configured != null && new File(configured).canExecute()) {
            return configured;
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            File candidate = new File(dir, "sipp");
            if (candidate.canExecute()) {
                return candidate.getAbsolutePath();
            }
        }
        return fail(INSTALL_HINT);
    }

    /** A scenario file of src/test/resources/sipp. */
    public static String scenario(String name) {
        Path path = Paths.get("src", "test", "resources", "sipp", name).toAbsolutePath();
        if (!Files.isRegularFile(path)) {
            fail("sipp scenario " + path + " is missing");
        }
        return path.toString();
    }

    /** Starts sipp with these arguments (after the executable); -nostdin is added. */
    public static Sipp start(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(executable());
        command.addAll(List.of(args));
        command.add("-nostdin");
        Path output = Files.createTempFile("sipp-", ".out");
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        return new Sipp(process, output, command);
    }

    /** Waits for sipp to exit; returns its exit code (0: all calls succeeded), or fails on hang. */
    public int awaitExit(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("sipp did not finish within " + seconds + " s: " + describe());
        }
        return process.exitValue();
    }

    /** The command line and the tail of sipp's output, for assertion messages. */
    public String describe() {
        String text;
        try {
            text = Files.readString(output, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            text = "(output unreadable: " + e + ")";
        }
        if (text.length() > 3000) {
            text = "..." + text.substring(text.length() - 3000);
        }
        return String.join(" ", command) + "\n" + text;
    }

    @Override
    public void close() throws IOException {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
        Files.deleteIfExists(output);
    }
}
