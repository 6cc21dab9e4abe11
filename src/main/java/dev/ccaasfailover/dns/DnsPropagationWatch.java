package dev.ccaasfailover.dns;

import dev.ccaasfailover.config.FailoverConfig;
import dev.ccaasfailover.config.Platform;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The split-brain watch (the guide's edge case 1): Route 53 being INSYNC says nothing of the carriers' caches, some
 * of which keep a record for 15 minutes whatever its TTL. After a cutover this asks each configured resolver
 * ({@code failover.dns.propagation.resolvers}) for the voice CNAME on every {@link #tick} (route
 * dns-propagation-tick, every {@code poll-ms}), directly (no cache of ours), until every one answers the new target or
 * {@code timeout-ms} passes. Each resolver that moves is logged,
 * the picture is in GET /status ({@code dnsPropagation}), and at the timeout one WARN names the resolvers still
 * sending callers to the old platform. It cannot empty a carrier's cache: the carrier-side answer is a failover
 * trunk (README, split-brain DNS), which the runbook's trunk step makes work by switching the old trunk off.
 */
public final class DnsPropagationWatch {

    private static final Logger LOG = LoggerFactory.getLogger(DnsPropagationWatch.class);
    private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(2);

    /** What one resolver answers: the record's target (null when it has none), its TTL left, and since when. */
    public record ResolverView(String resolver, String state, String answer, Long ttlSeconds, String checkedAt,
                               String propagatedAt) {
        static final String PROPAGATED = "propagated";
        static final String STALE = "stale";
        static final String NO_ANSWER = "no-answer";
    }

    private final FailoverConfig.DnsSettings dns;
    private final Clock clock;
    private Watch current; // guarded by this

    public DnsPropagationWatch(FailoverConfig.DnsSettings dns, Clock clock) {
        this.dns = dns;
        this.clock = clock;
    }

    /**
     * Starts watching for the record to point at the target platform's host (a new cutover replaces a watch still
     * running). Nothing to do without resolvers, or when the record or target is not configured.
     */
    public synchronized void watch(String targetPlatform, String runId) {
        FailoverConfig.PropagationSettings settings = dns.propagation();
        String expected = dns.targets().get(Platform.parse("targetPlatform", targetPlatform));
        if (!settings.enabled() || dns.recordName() == null || expected == null) {
            return;
        }
        // Replaces a watch still running; a round under way for it records nothing.
        Watch w = new Watch(dns.recordName(), expected, runId, clock.instant(), settings.resolvers());
        current = w;
        LOG.info("DNS propagation run={}: asking {} resolver(s) every {} s for {} until each answers {} (at most {} s)",
                runId, settings.resolvers().size(), settings.pollMs() / 1000, w.record, expected, settings.timeoutMs() / 1000);
    }

    /**
     * Gauge {@code failover.dns.propagation.stale}: resolvers of the latest watch not (yet) answering its target, 0
     * when they all do or before any cutover. Above 0 after the watch ended is a split brain worth an alert.
     */
    public void bindMetrics(MeterRegistry registry) {
        if (registry != null) {
            Gauge.builder("failover.dns.propagation.stale", this::staleResolvers)
                    .description("Resolvers of the latest cutover's watch not answering the new target").register(registry);
        }
    }

    synchronized int staleResolvers() {
        return current == null ? 0 : (int) stale(current);
    }

    /** The latest watch, for GET /status; null before the first cutover. */
    public synchronized Map<String, Object> status() {
        if (current == null) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("runId", current.runId);
        m.put("record", current.record);
        m.put("expected", current.expected);
        m.put("startedAt", current.startedAt.toString());
        m.put("state", current.state.name().toLowerCase(Locale.ROOT));
        m.put("resolvers", List.copyOf(current.views.values()));
        return m;
    }

    /**
     * One round, when a watch runs: the resolvers not yet answering the target are asked without holding the lock
     * (a silent resolver takes its whole query timeout, and GET /status must not wait for it), then the answers are
     * recorded under it.
     *
     * @return the watch's final picture when this round ended it (state complete or split), else null
     */
    public Map<String, Object> tick() {
        Watch w;
        List<InetSocketAddress> toAsk;
        synchronized (this) {
            w = current;
            if (w == null || w.state != State.WATCHING) {
                return null;
            }
            toAsk = w.resolvers.stream().filter(r -> !propagated(w.views.get(name(r)))).toList();
        }
        Instant now = clock.instant();
        List<ResolverView> answers = toAsk.stream().map(r -> ask(r, w, now)).toList();
        return record(w, answers, now);
    }

    /** Records a round's answers; @return the final picture when this round ended the watch, else null */
    private synchronized Map<String, Object> record(Watch w, List<ResolverView> answers, Instant now) {
        if (w != current || w.state != State.WATCHING) {
            return null; // replaced by a newer cutover meanwhile
        }
        for (ResolverView after : answers) {
            ResolverView before = w.views.put(after.resolver(), after);
            if (before == null || !before.state().equals(after.state()) || !Objects.equals(before.answer(), after.answer())) {
                LOG.info("DNS propagation run={}: {} answers {} ({}{})", w.runId, after.resolver(),
                        after.answer() == null ? "nothing" : after.answer(), after.state(),
                        after.ttlSeconds() == null ? "" : ", TTL " + after.ttlSeconds() + " s");
            }
        }
        long stale = stale(w);
        long waited = Duration.between(w.startedAt, now).toMillis();
        if (stale == 0) {
            w.state = State.COMPLETE;
            LOG.info("DNS propagation run={}: all {} resolver(s) answer {} after {} s", w.runId, w.resolvers.size(),
                    w.expected, waited / 1000);
            return status();
        }
        if (waited >= dns.propagation().timeoutMs()) {
            w.state = State.SPLIT;
            List<String> lagging = w.views.values().stream().filter(v -> !propagated(v))
                    .map(v -> v.resolver() + " (" + (v.answer() == null ? "no answer" : v.answer()) + ")").toList();
            LOG.warn("DNS split-brain run={}: after {} s, {} of {} resolver(s) still do not answer {}: {}. Callers whose"
                            + " carrier resolves there reach the old platform until its cache expires; a carrier failover"
                            + " trunk to the secondary takes those calls (README: split-brain DNS).",
                    w.runId, waited / 1000, stale, w.resolvers.size(), w.expected, String.join(", ", lagging));
            return status();
        }
        return null;
    }

    /** Resolvers of the watch not answering its target (those not asked yet included). */
    private static long stale(Watch w) {
        return w.resolvers.size() - w.views.values().stream().filter(DnsPropagationWatch::propagated).count();
    }

    private static boolean propagated(ResolverView v) {
        return v != null && v.state().equals(ResolverView.PROPAGATED);
    }

    private ResolverView ask(InetSocketAddress resolver, Watch w, Instant now) {
        String key = name(resolver);
        try {
            SimpleResolver r = new SimpleResolver(resolver);
            r.setTimeout(QUERY_TIMEOUT);
            Message response = r.send(Message.newQuery(Record.newRecord(Name.fromString(w.record + "."), Type.CNAME, DClass.IN)));
            CNAMERecord cname = null;
            for (Record a : response.getSection(Section.ANSWER)) {
                if (a instanceof CNAMERecord c) {
                    cname = c;
                }
            }
            if (response.getRcode() != Rcode.NOERROR || cname == null) {
                return new ResolverView(key, ResolverView.NO_ANSWER, null, null, now.toString(), null);
            }
            String target = cname.getTarget().toString(true);
            boolean propagated = target.equalsIgnoreCase(w.expected);
            return new ResolverView(key, propagated ? ResolverView.PROPAGATED : ResolverView.STALE, target, cname.getTTL(),
                    now.toString(), propagated ? now.toString() : null);
        } catch (TextParseException e) {
            throw new IllegalStateException("record name " + w.record + " is not a DNS name", e);
        } catch (IOException e) {
            return new ResolverView(key, ResolverView.NO_ANSWER, null, null, now.toString(), null);
        }
    }

    private static String name(InetSocketAddress resolver) {
        String host = resolver.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + (resolver.getPort() == 53 ? "" : ":" + resolver.getPort());
    }

    private enum State { WATCHING, COMPLETE, SPLIT }

    private static final class Watch {
        final String record;
        final String expected;
        final String runId;
        final Instant startedAt;
        final List<InetSocketAddress> resolvers;
        final Map<String, ResolverView> views = new LinkedHashMap<>();
        State state = State.WATCHING;

        Watch(String record, String expected, String runId, Instant startedAt, List<InetSocketAddress> resolvers) {
            this.record = record;
            this.expected = expected;
            this.runId = runId;
            this.startedAt = startedAt;
            this.resolvers = new ArrayList<>(resolvers);
        }
    }
}
