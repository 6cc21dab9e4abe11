package dev.ccaasfailover.dns;

import dev.ccaasfailover.config.FailoverConfig;
import dev.ccaasfailover.config.Platform;
import dev.ccaasfailover.runbook.StepFailedException;
import dev.ccaasfailover.runbook.StepState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;

/**
 * {@code dns.provider=rfc2136}: the dns step as a DNS UPDATE (RFC 2136) to the zone's primary, signed with TSIG
 * (RFC 8945), through dnsjava. One UPDATE replaces the CNAME's RRset (delete it, add the new target with the TTL), so
 * the record is never absent and never holds two targets: the server applies an UPDATE whole or not at all. The
 * primary serves it as soon as it answers NOERROR (its secondaries follow by NOTIFY and IXFR, and the split-brain
 * watch asks the carriers' resolvers). Reads go to the primary too, signed, over TCP like the UPDATE: no truncation,
 * and no answer from an off-path spoofer. The server's answers must carry a valid signature of the same key.
 */
public final class Rfc2136Cutover implements DnsCutover {

    private static final Logger LOG = LoggerFactory.getLogger(Rfc2136Cutover.class);
    /** Refusals that a retry cannot change: the key, its rights or the zone are wrong (RFC 2136 §2.2, RFC 8945 §5.2). */
    private static final Set<Integer> FINAL = Set.of(Rcode.NOTAUTH, Rcode.REFUSED, Rcode.NOTZONE, Rcode.FORMERR, Rcode.NOTIMP);

    private final FailoverConfig.DnsSettings dns;
    private final FailoverConfig.Rfc2136Settings settings;
    private final Name record;
    private final Name zone;
    private final SimpleResolver primary;

    public Rfc2136Cutover(FailoverConfig.DnsSettings dns, Duration timeout) {
        this.dns = dns;
        this.settings = dns.rfc2136();
        try {
            this.record = Name.fromString(dns.recordName(), Name.root);
            this.zone = Name.fromString(settings.zone(), Name.root);
        } catch (TextParseException e) {
            throw new IllegalArgumentException("not a DNS name: " + e.getMessage(), e); // FailoverConfig checked both
        }
        this.primary = new SimpleResolver(settings.server());
        primary.setTCP(true);
        primary.setTimeout(timeout);
        primary.setTSIGKey(new TSIG(TSIG.algorithmToName(settings.algorithm()), settings.keyName(), settings.secret()));
    }

    public static Rfc2136Cutover create(FailoverConfig config) {
        return new Rfc2136Cutover(config.dns(), Duration.ofMillis(config.runbook().vendorTimeoutMs()));
    }

    @Override
    public boolean configured() {
        return true;
    }

    @Override
    public StepState read(String platform) {
        String wanted = dns.recordName() + " CNAME " + targetHost(platform) + " TTL " + dns.ttl();
        String current = currentValue();
        return new StepState("dns", current == null ? "no CNAME " + dns.recordName() : current, wanted, wanted.equals(current), null);
    }

    /** "name CNAME value TTL n" as the primary serves it, or null when it has no CNAME there. */
    String currentValue() {
        Message answer = send(Message.newQuery(Record.newRecord(record, Type.CNAME, DClass.IN)), "query");
        for (Record r : answer.getSection(Section.ANSWER)) {
            if (r instanceof CNAMERecord c && c.getName().equals(record)) {
                return dns.recordName() + " CNAME " + c.getTarget().toString(true).toLowerCase(Locale.ROOT) + " TTL " + c.getTTL();
            }
        }
        return null;
    }

    @Override
    public String upsert(String platform) {
        String target = targetHost(platform);
        Update update = new Update(zone);
        try {
            update.replace(record, Type.CNAME, dns.ttl(), target + ".");
        } catch (IOException e) {
            throw new IllegalArgumentException("not a host name: " + target, e); // FailoverConfig checked it
        }
        send(update, "UPDATE");
        LOG.info("RFC 2136 UPDATE {} CNAME {} TTL {} accepted by {} (zone {}, key {})", dns.recordName(), target, dns.ttl(),
                settings.server(), settings.zone(), settings.keyName());
        return target;
    }

    /** The primary applied the UPDATE when it said NOERROR; this names the zone serial it serves now, for the journal. */
    @Override
    public String awaitInSync(String target) {
        Message soa = send(Message.newQuery(Record.newRecord(zone, Type.SOA, DClass.IN)), "SOA query");
        String serial = soa.getSection(Section.ANSWER).stream().filter(SOARecord.class::isInstance)
                .map(r -> String.valueOf(((SOARecord) r).getSerial())).findFirst().orElse("unknown");
        return "RFC 2136 UPDATE to " + target + " applied by " + hostPort() + " (zone " + settings.zone() + " serial " + serial + ")";
    }

    private Message send(Message request, String what) {
        Message answer;
        try {
            answer = primary.send(request);
        } catch (IOException e) {
            throw new StepFailedException("RFC 2136 " + what + " to " + hostPort() + " got no answer (" + e.getMessage() + ")", true);
        }
        int rcode = answer.getRcode();
        // A refusal is believed unverified (a server that refuses our key cannot sign with it): it only ever stops us.
        if (rcode != Rcode.NOERROR && !(rcode == Rcode.NXDOMAIN && request.getHeader().getOpcode() == Opcode.QUERY)) {
            String tsigError = answer.getTSIG() == null || answer.getTSIG().getError() == Rcode.NOERROR ? ""
                    : ", TSIG " + Rcode.TSIGstring(answer.getTSIG().getError());
            throw new StepFailedException("RFC 2136 " + what + " refused by " + hostPort() + ": " + Rcode.string(rcode) + tsigError
                    + hint(rcode), !FINAL.contains(rcode));
        }
        if (!answer.isVerified()) {
            throw new StepFailedException("RFC 2136 " + what + ": the answer of " + hostPort() + (answer.isSigned()
                    ? " does not verify with key " + settings.keyName() + " (" + settings.algorithm() + "): not the same secret, or not that server"
                    : " is not signed with key " + settings.keyName() + "; an unsigned answer is not trusted"), false);
        }
        return answer;
    }

    private String hint(int rcode) {
        return switch (rcode) {
            case Rcode.NOTAUTH -> " (the server does not know key " + settings.keyName() + " with this secret and algorithm, or"
                    + " is not authoritative for " + settings.zone() + "; check failover.dns.rfc2136.tsig-* and the clocks)";
            case Rcode.REFUSED -> " (key " + settings.keyName() + " may not update " + dns.recordName() + ": allow it in the zone's"
                    + " update-policy or allow-update)";
            case Rcode.NOTZONE -> " (" + dns.recordName() + " is not in zone " + settings.zone() + "; check failover.dns.rfc2136.zone)";
            default -> "";
        };
    }

    private String targetHost(String platform) {
        return dns.targets().get(Platform.parse("platform", platform));
    }

    private String hostPort() {
        return settings.server().getAddress().getHostAddress() + ":" + settings.server().getPort();
    }

    @Override
    public void close() {
        // SimpleResolver holds no connection between requests
    }
}
