package dev.ccaasfailover;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The drill, run as a user runs it, with role tokens and secrets of its own in the environment: none of the caller's
 * full phone numbers (in any formatting), no role token, no client secret and no AWS secret may appear in anything
 * it logged, neither its console nor the middleware's log file (nor any other log in the drill's folder).
 */
class DrillLogSecretsIT {

    /** The drill's caller (+1 317-555-0142): the digits with up to three separators between the groups. */
    static final Pattern CALLER = Pattern.compile("(?<![0-9])(?:\\+?1[^0-9]{0,3})?\\(?317\\)?[^0-9]{0,3}555[^0-9]{0,3}0142(?![0-9])");
    /** A bearer credential written out (an OAuth access token the simulators issued, a role token). */
    static final Pattern BEARER = Pattern.compile("(?i)bearer[\\s:=]+[A-Za-z0-9._~+/=-]{12,}|access_token\"?\\s*[:=]");

    @Test
    void noFullPhoneNumberTokenOrSecretInAnyLogOfTheDrill() throws Exception {
        Path jar = Path.of("target", "ccaas-failover.jar");
        assertThat(jar).exists();
        String tag = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        Map<String, String> secrets = new LinkedHashMap<>();
        secrets.put("FAILOVER_TOKEN_ADMIN", "drill-admin-" + tag);
        secrets.put("FAILOVER_TOKEN_INGEST", "drill-ingest-" + tag);
        secrets.put("FAILOVER_TOKEN_CONTEXT", "drill-context-" + tag);
        // Not used by the drill (it wires the simulators' own credentials), so they must not show up either.
        secrets.put("GENESYS_CLIENT_SECRET", "genesys-secret-" + tag);
        secrets.put("NICE_CLIENT_SECRET", "nice-secret-" + tag);
        secrets.put("NICE_ACCESS_KEY_SECRET", "nice-key-secret-" + tag);
        String awsSecret = "aws-secret-" + tag;
        Path console = Files.createTempFile("drill", ".out");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Daws.accessKeyId=AKIADRILL" + tag.toUpperCase(), "-Daws.secretAccessKey=" + awsSecret, "-jar", jar.toString(), "--drill")
                .redirectErrorStream(true).redirectOutput(console.toFile());
        pb.environment().putAll(secrets);
        Process p = pb.start();
        assertThat(p.waitFor(150, TimeUnit.SECONDS)).as("drill finishes").isTrue();
        String out = Files.readString(console, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isZero();

        Matcher m = Pattern.compile("The middleware's own log: (\\S+)").matcher(out);
        assertThat(m.find()).as("the drill names its log file: " + out).isTrue();
        Path middlewareLog = Path.of(m.group(1));
        String log = Files.readString(middlewareLog, StandardCharsets.UTF_8);
        // The file is the middleware's real log: it saw the store open and the failover run.
        assertThat(log).contains("Store:").containsPattern("Run run-\\S+ claimed");

        Map<String, String> logs = new LinkedHashMap<>();
        logs.put("console", out);
        try (Stream<Path> files = Files.walk(middlewareLog.getParent())) {
            for (Path f : files.filter(f -> f.getFileName().toString().endsWith(".log")).toList()) {
                logs.put(f.toString(), Files.readString(f, StandardCharsets.UTF_8));
            }
        }
        List<String> secretValues = new ArrayList<>(secrets.values());
        secretValues.addAll(List.of(awsSecret, "sim-genesys-secret", "sim-nice-app-secret", "sim-access-key-secret"));
        List<String> leaks = new ArrayList<>();
        logs.forEach((name, text) -> {
            text.lines().forEach(line -> {
                if (CALLER.matcher(line).find()) {
                    leaks.add(name + ": full phone number: " + line);
                }
                if (BEARER.matcher(line).find()) {
                    leaks.add(name + ": a bearer credential: " + line);
                }
                for (String s : secretValues) {
                    if (line.contains(s)) {
                        leaks.add(name + ": secret " + s + ": " + line);
                    }
                }
            });
        });
        assertThat(leaks).as("log lines leaking what a log must never hold").isEmpty();
    }
}
