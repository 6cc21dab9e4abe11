package dev.ccaasfailover;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** README's first command, as a new user runs it: {@code java -jar target/ccaas-failover.jar --drill}. */
class DrillIT {

    @Test
    void drillPlaysOutageFailoverContextAndFailbackAndExitsZero() throws Exception {
        Path jar = Path.of("target", "ccaas-failover.jar");
        assertThat(jar).exists();
        Path output = Files.createTempFile("drill", ".out");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString(), "--drill")
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("drill finishes").isTrue();
        String out = Files.readString(output, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isZero();
        List<String> lines = out.lines().toList();
        assertThat(lines).anyMatch(l -> l.contains("OUTAGE: the Genesys SIP trunk goes silent"));
        assertThat(lines).anyMatch(l -> l.contains("probe genesys sip Down") && l.contains("[1 of 3 Down, confirming]"));
        assertThat(lines).anyMatch(l -> l.contains("probe genesys api Up"));
        assertThat(lines).anyMatch(l -> l.contains("DECISION: genesys Down"));
        assertThat(lines).anyMatch(l -> l.matches(".*run run-\\S+ \\(failover, automatic\\): done"));
        assertThat(lines).anyMatch(l -> l.matches(".*step dns +done +\\d+ ms .*CNAME nice-secondary.trunk.example.com TTL 60"));
        assertThat(lines).anyMatch(l -> l.matches(".*step trunk +done +\\d+ ms .*set to false.*"));
        assertThat(lines).anyMatch(l -> l.matches(".*step agents +done +\\d+ ms  failover genesys -> nice: \\d+ updated.*"));
        // at the cutover carol is LoggedOut on NICE: skills at once, her state waits; she logs in and gets Break
        assertThat(lines).anyMatch(l -> l.matches(".*agent carol.chen@example.com +Genesys Break +-> NICE LoggedOut, skills \\[\\d+\\]"));
        assertThat(lines).anyMatch(l -> l.contains("GET /status: agentsPendingLogin 5, agentsApplied 0"));
        assertThat(lines).anyMatch(l -> l.contains("agent carol.chen@example.com") && l.contains("logs in to NICE (SSO): Unavailable"));
        assertThat(lines).anyMatch(l -> l.matches(".*agent carol.chen@example.com +Genesys Break +-> NICE Unavailable \\(Break\\)"));
        assertThat(lines).anyMatch(l -> l.matches(".*agent bob.builder@example.com +Genesys On Queue +-> NICE Available"));
        assertThat(lines).anyMatch(l -> l.matches(".*agent erin.evans@example.com +Genesys Offline +-> NICE LoggedOut"));
        assertThat(lines).anyMatch(l -> l.contains("GET /status: agentsPendingLogin 0, agentsApplied 5"));
        // the carrier trunk: drift found, fixed, swapped by the run, restored by the failback
        assertThat(lines).anyMatch(l -> l.contains("drift: no origination URL for the secondary sip:nice-secondary.trunk.example.com"));
        assertThat(lines).anyMatch(l -> l.matches(".*step carrier +done +\\d+ ms .*nice preferred; verified: sip:nice-secondary\\S+ priority 10.*"));
        assertThat(lines).anyMatch(l -> l.contains("carrier trunk now [sip:nice-secondary.trunk.example.com:5060;transport=tcp @10"));
        assertThat(lines).anyMatch(l -> l.contains("carrier trunk now [sip:genesys-primary.trunk.example.com:5060;transport=tcp @10"));
        assertThat(lines).anyMatch(l -> l.contains("GET /status: state FAILED_OVER, active nice"));
        assertThat(lines).anyMatch(l -> l.contains("GET /routing/queues/q-billing/decision -> callback"));
        assertThat(lines).anyMatch(l -> l.contains("GET /context/+1317***0142 -> lastIvrState BillingMenu"));
        assertThat(lines).anyMatch(l -> l.contains("would start now: false (anti-flap lockout"));
        assertThat(lines).anyMatch(l -> l.matches(".*run run-\\S+ \\(failback, manual\\): done"));
        assertThat(lines).anyMatch(l -> l.contains("GET /status: state NORMAL, active genesys"));
        assertThat(lines).anyMatch(l -> l.contains("drill passed"));
        // No full phone number on the console either.
        assertThat(out).doesNotContain("3175550142");
        // Timeline lines only: the middleware's own log goes to a file.
        assertThat(lines).noneMatch(l -> l.contains(" INFO ") || l.contains(" WARN "));
    }
}
