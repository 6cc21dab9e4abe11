package dev.ccaasfailover;

import dev.ccaasfailover.testsupport.BenchmarkReport;
import dev.ccaasfailover.testsupport.RunningMiddleware;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ready time and memory at start-up: the product's jar as the container image runs it (its routes, mappings and
 * application.properties in the working directory, the Dockerfile's JVM flags, the Deployment's memory limit as the
 * JVM's RAM) against a bare camel-main application with one YAML route on the same Camel, shaded the same way
 * ({@code src/test/startup-baseline}, built by this benchmark), started alternately in the same run. Ready is the
 * first 200 from the app's own ready URL (the product's {@code /observe/health}, the baseline's one route), polled
 * every 10 ms from the moment the process is spawned; memory is the process's resident set (VmRSS) at that moment.
 * Writes its section of BENCHMARKS.md. Needs {@code target/ccaas-failover.jar} (mvn package).
 */
class StartupBenchmark {

    static final int RUNS = 9;
    static final Path JAR = Path.of("target", "ccaas-failover.jar");
    static final Path BASELINE_POM = Path.of("src", "test", "startup-baseline", "pom.xml");
    static final Path BASELINE_JAR = Path.of("target", "startup-baseline", "startup-baseline.jar");
    /** deploy/kubernetes.yaml's memory limit, which the JVM in the pod sees as its RAM. */
    static final String POD_RAM = "1g";

    record Sample(long readyMs, long rssKb, long classes) {
    }

    /** One way of starting both apps: the JVM flags and whether each app gets its own AppCDS archive first. */
    record Variant(String label, List<String> flags, boolean cds) {
    }

    @Test
    void readyTimeAndMemoryOfTheProductAgainstABareCamelMainApp() throws Exception {
        assertThat(JAR).as(JAR + " (run mvn -B package -DskipTests first)").exists();
        buildBaseline();
        List<String> imageFlags = dockerfileJvmFlags();
        List<String> plain = new ArrayList<>(List.of("-XX:MaxRAM=" + POD_RAM));
        plain.addAll(imageFlags.stream().filter(f -> !f.startsWith("-XX:SharedArchiveFile=")).toList());
        boolean imageHasCds = imageFlags.stream().anyMatch(f -> f.startsWith("-XX:SharedArchiveFile="));
        List<Variant> variants = new ArrayList<>();
        if (imageHasCds) {
            variants.add(new Variant("as the image runs it (AppCDS archive of a training run)", plain, true));
        }
        variants.add(new Variant(imageHasCds ? "without the AppCDS archive" : "as the image runs it", plain, false));
        // What Camel's JMX costs (the baseline has no camel-management, so it never registers an MBean): with it off,
        // Hawtio shows no Camel routes.
        List<String> noJmx = new ArrayList<>(plain);
        noJmx.add("-Dcamel.main.jmxEnabled=false");
        variants.add(new Variant((imageHasCds ? "AppCDS, " : "") + "Camel JMX off (camel.main.jmxEnabled=false)", noJmx, imageHasCds));

        Map<String, List<Sample>> samples = new LinkedHashMap<>();
        for (Variant v : variants) {
            Path productArchive = v.cds ? train(v, true) : null;
            Path baselineArchive = v.cds ? train(v, false) : null;
            List<Sample> p = new ArrayList<>();
            List<Sample> b = new ArrayList<>();
            for (int i = 0; i < RUNS + 1; i++) { // the first round warms the page cache, not counted
                Sample ps = startProduct(withArchive(v.flags, productArchive));
                Sample bs = startBaseline(withArchive(v.flags, baselineArchive));
                if (i > 0) {
                    p.add(ps);
                    b.add(bs);
                }
            }
            samples.put("ccaas-failover, " + v.label, p);
            samples.put("bare camel-main, one YAML route, " + v.label + " — baseline", b);
        }

        StringBuilder md = new StringBuilder();
        md.append("## Start-up: ready time and memory against a bare camel-main app\n\n");
        md.append("Command: `mvn -B -o -q package -DskipTests && mvn -B -o -Pbench surefire:test -Dtest=StartupBenchmark`\n");
        md.append("(about 6 minutes). The product's jar started as `deploy/Dockerfile` starts it (its JVM flags `")
                .append(String.join(" ", imageFlags)).append("`, plus `-XX:MaxRAM=").append(POD_RAM)
                .append("`, the memory limit of `deploy/kubernetes.yaml`, which the JVM in the pod sees as its RAM), in a fresh")
                .append(" working directory holding `routes/`, `mappings/` and `application.properties` as the image does,")
                .append(" with the three bearer tokens and nothing else configured (embedded SQLite store, a new database).")
                .append(" Baseline in the same run: a bare camel-main application with one YAML route answering HTTP on")
                .append(" camel-main's server (`src/test/startup-baseline`, Camel ").append(camelVersion())
                .append(", shaded like the product), with the same flags. The two start alternately, ").append(RUNS)
                .append(" times each after one uncounted round. AppCDS: each app gets its own archive from a training run")
                .append(" (`-XX:ArchiveClassesAtExit`, started and stopped after 3 s with `camel.main.durationMaxSeconds`, as")
                .append(" the Dockerfile does). Ready: from spawning the process to the first 200 of the")
                .append(" ready URL (the product's `/observe/health`, which the Deployment's readiness probe asks; the")
                .append(" baseline's route), polled every 10 ms. Memory: the process's resident set (VmRSS) at that moment.")
                .append(" Classes: loaded at that moment (`jcmd PerfCounter.print`, read after the RSS).\n\n");
        md.append("| app, started | ready, median | range | RSS at ready, median | range | classes loaded |\n|---|---|---|---|---|---|\n");
        for (var e : samples.entrySet()) {
            List<Sample> s = e.getValue();
            Sample m = median(s);
            md.append(String.format(Locale.ROOT, "| %s | %.2f s | %.2f–%.2f s | %d MB | %d–%d MB | %d |%n", e.getKey(),
                    m.readyMs / 1000.0,
                    s.stream().mapToLong(Sample::readyMs).min().orElse(0) / 1000.0,
                    s.stream().mapToLong(Sample::readyMs).max().orElse(0) / 1000.0,
                    m.rssKb / 1024, s.stream().mapToLong(Sample::rssKb).min().orElse(0) / 1024,
                    s.stream().mapToLong(Sample::rssKb).max().orElse(0) / 1024, m.classes));
        }
        md.append("\n");
        List<List<Sample>> rows = new ArrayList<>(samples.values());
        for (int i = 0; i < variants.size(); i++) {
            Sample product = median(rows.get(2 * i));
            Sample baseline = median(rows.get(2 * i + 1));
            double ready = (double) product.readyMs / baseline.readyMs;
            double rss = (double) product.rssKb / baseline.rssKb;
            md.append(String.format(Locale.ROOT, "Product ÷ baseline, %s: ready %.2f×, RSS %.2f× (target: both within 1.5×: %s).%n%n",
                    variants.get(i).label, ready, rss, ready <= 1.5 && rss <= 1.5 ? "met" : "not met"));
        }
        BenchmarkReport.write("startup", md.toString());
    }

    /** A training run of one app with the variant's flags, writing its AppCDS archive at exit. */
    Path train(Variant v, boolean product) throws Exception {
        Path archive = workDirs().resolve((product ? "product" : "baseline") + ".jsa");
        Files.deleteIfExists(archive);
        List<String> flags = new ArrayList<>(v.flags);
        flags.add("-XX:ArchiveClassesAtExit=" + archive.toAbsolutePath());
        flags.add("-Dcamel.main.durationMaxSeconds=3");
        ProcessBuilder pb = product ? productProcess(flags) : baselineProcess(flags);
        Path log = workDirs().resolve((product ? "product" : "baseline") + "-training.log");
        Process p = pb.redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("the training run ends by itself: " + log).isTrue();
        assertThat(archive).as("the training run's AppCDS archive (" + log + ")").exists();
        return archive;
    }

    static List<String> withArchive(List<String> flags, Path archive) {
        List<String> all = new ArrayList<>(flags);
        if (archive != null) {
            all.add("-XX:SharedArchiveFile=" + archive.toAbsolutePath());
        }
        return all;
    }

    Sample startProduct(List<String> flags) throws Exception {
        ProcessBuilder pb = productProcess(flags);
        return measure(pb, pb.directory().toPath(), "http://127.0.0.1:" + portOf(pb) + "/observe/health");
    }

    Sample startBaseline(List<String> flags) throws Exception {
        ProcessBuilder pb = baselineProcess(flags);
        return measure(pb, pb.directory().toPath(), "http://127.0.0.1:" + portOf(pb) + "/hello");
    }

    static String portOf(ProcessBuilder pb) {
        return pb.command().stream().filter(a -> a.startsWith("-Dcamel.server.port=")).findFirst().orElseThrow()
                .substring("-Dcamel.server.port=".length());
    }

    ProcessBuilder productProcess(List<String> flags) throws IOException {
        Path dir = Files.createTempDirectory(workDirs(), "product");
        copyTree(Path.of("routes"), dir.resolve("routes"));
        copyTree(Path.of("mappings"), dir.resolve("mappings"));
        Files.copy(Path.of("application.properties"), dir.resolve("application.properties"));
        int port = RunningMiddleware.freePort();
        List<String> cmd = java(flags);
        cmd.add("-Dcamel.server.port=" + port);
        cmd.add("-Dcamel.management.port=" + port);
        cmd.add("-Dcamel.server.host=127.0.0.1");
        cmd.add("-Dcamel.management.host=127.0.0.1");
        cmd.add("-jar");
        cmd.add(JAR.toAbsolutePath().toString());
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        pb.environment().put("FAILOVER_TOKEN_ADMIN", RunningMiddleware.ADMIN_TOKEN);
        pb.environment().put("FAILOVER_TOKEN_CONTEXT", RunningMiddleware.CONTEXT_TOKEN);
        pb.environment().put("FAILOVER_TOKEN_INGEST", RunningMiddleware.INGEST_TOKEN);
        return pb;
    }

    ProcessBuilder baselineProcess(List<String> flags) throws IOException {
        Path dir = Files.createTempDirectory(workDirs(), "baseline");
        int port = RunningMiddleware.freePort();
        List<String> cmd = java(flags);
        cmd.add("-Dcamel.server.port=" + port);
        cmd.add("-jar");
        cmd.add(BASELINE_JAR.toAbsolutePath().toString());
        return new ProcessBuilder(cmd).directory(dir.toFile());
    }

    static Sample measure(ProcessBuilder pb, Path dir, String readyUrl) throws Exception {
        Path log = dir.resolve("out.log");
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(200)).build();
        HttpRequest ready = HttpRequest.newBuilder(URI.create(readyUrl)).timeout(Duration.ofSeconds(1)).build();
        long t0 = System.nanoTime();
        Process p = pb.start();
        try {
            while (true) {
                if (!p.isAlive()) {
                    throw new IllegalStateException("exited " + p.exitValue() + " before ready: " + Files.readString(log));
                }
                if (System.nanoTime() - t0 > TimeUnit.SECONDS.toNanos(60)) {
                    throw new IllegalStateException("not ready within 60 s: " + Files.readString(log));
                }
                try {
                    if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        break;
                    }
                } catch (IOException notYet) {
                    // not listening yet
                }
                Thread.sleep(10);
            }
            long readyMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            long rss = rssKb(p.pid());
            return new Sample(readyMs, rss, loadedClasses(p.pid()));
        } finally {
            p.destroy();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
            }
        }
    }

    static long rssKb(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        throw new IllegalStateException("no VmRSS for " + pid);
    }

    static long loadedClasses(long pid) throws Exception {
        Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                String.valueOf(pid), "PerfCounter.print").redirectErrorStream(true).start();
        String out = new String(jcmd.getInputStream().readAllBytes());
        jcmd.waitFor();
        long loaded = 0;
        long unloaded = 0;
        for (String line : out.split("\n")) {
            if (line.startsWith("java.cls.loadedClasses=") || line.startsWith("java.cls.sharedLoadedClasses=")) {
                loaded += Long.parseLong(line.substring(line.indexOf('=') + 1).trim());
            } else if (line.startsWith("java.cls.unloadedClasses=") || line.startsWith("java.cls.sharedUnloadedClasses=")) {
                unloaded += Long.parseLong(line.substring(line.indexOf('=') + 1).trim());
            }
        }
        return loaded - unloaded;
    }

    static List<String> java(List<String> flags) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(flags);
        return cmd;
    }

    /** The JVM flags of deploy/Dockerfile's ENTRYPOINT, between "java" and "-jar". */
    static List<String> dockerfileJvmFlags() throws IOException {
        String entry = Files.readAllLines(Path.of("deploy", "Dockerfile")).stream()
                .filter(l -> l.startsWith("ENTRYPOINT")).findFirst().orElseThrow();
        List<String> words = new ArrayList<>();
        for (String w : entry.substring(entry.indexOf('[') + 1, entry.lastIndexOf(']')).split(",")) {
            words.add(w.trim().replaceAll("^\"|\"$", ""));
        }
        return words.subList(1, words.indexOf("-jar"));
    }

    static void buildBaseline() throws Exception {
        Process mvn = new ProcessBuilder("mvn", "-B", "-o", "-q", "-f", BASELINE_POM.toString(), "package")
                .redirectErrorStream(true).start();
        String out = new String(mvn.getInputStream().readAllBytes());
        assertThat(mvn.waitFor()).as("building the baseline app: " + out).isZero();
        assertThat(BASELINE_JAR).exists();
    }

    /** camel.version of the product's pom, which the baseline's pom repeats. */
    static String camelVersion() throws IOException {
        var m = java.util.regex.Pattern.compile("<camel.version>([^<]+)</camel.version>").matcher(Files.readString(Path.of("pom.xml")));
        return m.find() ? m.group(1) : "?";
    }

    static Sample median(List<Sample> samples) {
        List<Long> ready = new ArrayList<>(samples.stream().map(Sample::readyMs).toList());
        List<Long> rss = new ArrayList<>(samples.stream().map(Sample::rssKb).toList());
        List<Long> classes = new ArrayList<>(samples.stream().map(Sample::classes).toList());
        Collections.sort(ready);
        Collections.sort(rss);
        Collections.sort(classes);
        int mid = samples.size() / 2;
        return new Sample(ready.get(mid), rss.get(mid), classes.get(mid));
    }

    /** Each start's working directory (the product's new SQLite database among them), under target/. */
    static Path workDirs() throws IOException {
        return Files.createDirectories(Path.of("target", "startup-runs"));
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
    }
}
