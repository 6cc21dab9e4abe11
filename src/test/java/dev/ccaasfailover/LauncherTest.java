package dev.ccaasfailover;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The launcher as an operator runs it: a separate JVM, configuration from properties, -D and the environment. */
class LauncherTest {

    record Outcome(int exitCode, String stdout, String stderr) { }

    static Outcome launch(Map<String, String> env, String... sysProps) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.addAll(List.of(sysProps));
        cmd.add(Application.class.getName());
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("launcher did not stop on a bad configuration");
        }
        return new Outcome(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void sipUriAsCnameTargetStopsStartUpWithOneLine() throws Exception {
        Outcome o = launch(Map.of(), "-Dfailover.dns.target.nice=sip:nice-secondary.trunk.example.com:5060",
                "-Dcamel.server.port=" + dev.ccaasfailover.testsupport.RunningMiddleware.freePort());
        assertThat(o.exitCode()).isEqualTo(2);
        assertThat(o.stderr().strip().lines()).containsExactly(
                "ccaas-failover: configuration error: failover.dns.target.nice: 'sip:nice-secondary.trunk.example.com:5060'"
                        + " is a URI, but a CNAME holds a host name only; write e.g. failover.dns.target.nice=nice-trunk.example.com");
        assertThat(o.stdout()).doesNotContain("HttpServer started");
    }

    @Test
    void environmentVariableOverridesAKey() throws Exception {
        Outcome o = launch(Map.of("FAILOVER_HEALTH_DOWN_THRESHOLD", "-1"));
        assertThat(o.exitCode()).isEqualTo(2);
        assertThat(o.stderr()).contains("failover.health.down-threshold: must be greater than zero, got -1");
    }
}
