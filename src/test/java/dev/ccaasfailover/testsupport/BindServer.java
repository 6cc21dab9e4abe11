package dev.ccaasfailover.testsupport;

import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A real DNS server for tests: BIND's {@code named} (Debian package bind9) in the foreground on 127.0.0.1 and a free
 * port, authoritative for the zone of one CNAME. Standing in for a carrier's resolver, it answers the target it was
 * given until {@link #answer} changes it (new zone serial, then SIGHUP, which makes named reload the zone), as a
 * cache that expires at last. Missing named fails the test with the install line: a skipped DNS test would hide a
 * regression. Its log goes to {@code named.log} in its temp folder.
 */
public final class BindServer implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(15);

    private final Process process;
    private final Path dir;
    private final String record;
    private final int port;
    private int serial = 1;

    private BindServer(Process process, Path dir, String record, int port) {
        this.process = process;
        this.dir = dir;
        this.record = record;
        this.port = port;
    }

    /** A server for {@code record} (e.g. inbound.voiceservices.example.com) answering CNAME {@code target}. */
    public static BindServer start(String record, String target) throws IOException, InterruptedException {
        return start(record, target, null);
    }

    /**
     * The zone's primary, also taking DNS UPDATEs (RFC 2136) signed with this TSIG key (hmac-sha256), as a site's BIND
     * would with {@code allow-update { key ...; }}; named keeps them in its journal next to the zone file.
     */
    public static BindServer startAcceptingUpdates(String record, String target, String keyName, String base64Secret)
            throws IOException, InterruptedException {
        return start(record, target, new String[]{keyName, base64Secret});
    }

    private static BindServer start(String record, String target, String[] updateKey) throws IOException, InterruptedException {
        String named = executable();
        Path dir = Files.createTempDirectory("named");
        int port = FreePorts.any(); // named listens on UDP and TCP
        String zone = record.substring(record.indexOf('.') + 1);
        Files.writeString(dir.resolve("named.conf"), String.join("\n",
                "options {",
                "  directory \"" + dir + "\";",
                "  listen-on port " + port + " { 127.0.0.1; };",
                "  listen-on-v6 { none; };",
                "  recursion no;",
                "  dnssec-validation no;",
                "  pid-file \"" + dir.resolve("named.pid") + "\";",
                "  session-keyfile \"" + dir.resolve("session.key") + "\";",
                "};",
                "controls { };",
                updateKey == null ? "" : "key \"" + updateKey[0] + "\" { algorithm hmac-sha256; secret \"" + updateKey[1] + "\"; };",
                "zone \"" + zone + "\" { type master; file \"" + dir.resolve("zone.db") + "\";"
                        + (updateKey == null ? "" : " allow-update { key \"" + updateKey[0] + "\"; };") + " };",
                ""), StandardCharsets.US_ASCII);
        writeZone(dir, record, 1, target);
        Process p = new ProcessBuilder(named, "-g", "-c", dir.resolve("named.conf").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("named.log").toFile()).start();
        BindServer started = new BindServer(p, dir, record, port);
        started.awaitAnswer(target);
        return started;
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }

    /** "127.0.0.1:port", as failover.dns.propagation.resolvers takes it. */
    public String resolverSetting() {
        return "127.0.0.1:" + port;
    }

    /** From now on answers {@code target} (the zone is reloaded before this returns). */
    public void answer(String target) throws IOException, InterruptedException {
        writeZone(dir, record, ++serial, target);
        Process hup = new ProcessBuilder("kill", "-HUP", Long.toString(process.pid())).inheritIO().start();
        if (hup.waitFor() != 0) {
            throw new IllegalStateException("could not signal named " + process.pid());
        }
        awaitAnswer(target);
    }

    private static void writeZone(Path dir, String record, int serial, String target) throws IOException {
        String zone = record.substring(record.indexOf('.') + 1);
        String label = record.substring(0, record.indexOf('.'));
        Files.writeString(dir.resolve("zone.db"), String.join("\n",
                "$TTL 60",
                "@ IN SOA ns." + zone + ". admin." + zone + ". ( " + serial + " 60 60 600 60 )",
                "@ IN NS ns." + zone + ".",
                "ns IN A 127.0.0.1",
                label + " IN CNAME " + target + ".",
                ""), StandardCharsets.US_ASCII);
    }

    private void awaitAnswer(String target) throws InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("named exited; see " + dir.resolve("named.log"));
            }
            try {
                SimpleResolver r = new SimpleResolver(address());
                r.setTimeout(Duration.ofMillis(500));
                Message m = r.send(Message.newQuery(Record.newRecord(Name.fromString(record + "."), Type.CNAME, DClass.IN)));
                for (Record a : m.getSection(Section.ANSWER)) {
                    if (a instanceof CNAMERecord c) {
                        last = c.getTarget().toString(true);
                        if (last.equals(target)) {
                            return;
                        }
                    }
                }
            } catch (IOException notYet) {
                last = notYet.toString();
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("named on port " + port + " does not answer " + target + " (last: " + last
                + "); see " + dir.resolve("named.log"));
    }

    private static String executable() {
        for (String candidate : new String[]{"/usr/sbin/named", "/usr/bin/named"}) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        throw new IllegalStateException("BIND's named is not installed: install it with `sudo apt-get install -y bind9`"
                + " (.ci/run does)");
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
