package dev.ccaasfailover.health;

import dev.ccaasfailover.config.FailoverConfig.HealthSettings;
import dev.ccaasfailover.config.Platform;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The health loop: on every tick, starts the probes that are due, feeds each result through its layer's
 * hysteresis, publishes the layer and platform status, and returns the platform decisions for the runbook.
 *
 * <p>Schedule ({@link LayerSchedule}): every {@code sip-interval-ms} (SIP) or {@code interval-ms} (API); after a first Down, a probe every
 * {@code confirm-interval-ms} until the Down is confirmed or cleared, so a hard outage is confirmed within about one
 * time-out plus (threshold - 1) confirm intervals of the first failed probe, instead of (threshold - 1) intervals.
 * Every decision is logged in one line with its reason.
 */
public class HealthMonitor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HealthMonitor.class);

    /** One probe of one layer; never throws for the platform's trouble, only reports it. */
    public interface LayerProbe {
        Observation probe(Duration timeout);
    }

    private final class Slot {
        final Platform platform;
        final Layer layer;
        final LayerProbe probe;
        final LayerSchedule schedule;
        final LayerTracker tracker;
        final RttEwma ewma = new RttEwma(0.3);
        Timer rttTimer;

        Slot(Platform platform, Layer layer, LayerProbe probe, Instant firstDue) {
            this.platform = platform;
            this.layer = layer;
            this.probe = probe;
            this.schedule = new LayerSchedule(settings, layer, firstDue);
            this.tracker = schedule.tracker();
        }
    }

    private final HealthSettings settings;
    private final HealthBoard board;
    private final Clock clock;
    private final QuorumGate quorum;
    private final List<Slot> slots = new ArrayList<>();
    // The newest undelivered decision per platform: kept until the leader takes it (decisions()), so a follower
    // that becomes leader still acts on a Down it confirmed while following.
    private final Map<Platform, PlatformEvent> ready = new EnumMap<>(Platform.class);
    private final Set<Platform> awaitingQuorum = EnumSet.noneOf(Platform.class);
    // Observations the store refused: written again on the next tick, so a Down vote is not lost.
    private final Map<Platform, HealthStatus> unrecorded = new EnumMap<>(Platform.class);
    private final Map<Platform, String> quorumErrors = new java.util.concurrent.ConcurrentHashMap<>();
    private final List<Consumer<ProbeReport>> listeners = new CopyOnWriteArrayList<>();
    private final ExecutorService executor;
    private MeterRegistry meters;

    public HealthMonitor(HealthSettings settings, HealthBoard board, Clock clock,
                         Map<Platform, Map<Layer, LayerProbe>> probes, QuorumGate quorum) {
        this.settings = settings;
        this.board = board;
        this.clock = clock;
        this.quorum = quorum;
        Instant now = clock.instant();
        probes.forEach((platform, layers) -> layers.forEach((layer, probe) -> slots.add(new Slot(platform, layer, probe, now))));
        AtomicInteger n = new AtomicInteger();
        // Up to threshold + 1 probes per layer may be in flight while a Down is being confirmed.
        this.executor = Executors.newFixedThreadPool(Math.max(1, slots.size() * (settings.downThreshold() + 1)), r -> {
            Thread t = new Thread(r, "health-probe-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    public void addListener(Consumer<ProbeReport> listener) {
        listeners.add(listener);
    }

    /** Exports state gauges per platform and layer and an RTT histogram per layer. */
    public synchronized void bindMetrics(MeterRegistry registry) {
        if (meters != null || registry == null) {
            return;
        }
        meters = registry;
        for (Slot s : slots) {
            Gauge.builder("failover.health.layer.status", () -> code(board.layer(s.platform, s.layer).status()))
                    .description("Layer status: 0 Up, 1 Degraded, 2 Down, 3 Unknown")
                    .tags("platform", s.platform.id(), "layer", s.layer.id()).register(registry);
            s.rttTimer = Timer.builder("failover.health.probe.rtt")
                    .description("Round trip of answered probes")
                    .tags("platform", s.platform.id(), "layer", s.layer.id())
                    .publishPercentileHistogram().register(registry);
        }
        for (Platform p : Platform.values()) {
            Gauge.builder("failover.health.platform.status", () -> code(board.platformStatus(p)))
                    .description("Platform status: 0 Up, 1 Degraded, 2 Down, 3 Unknown")
                    .tags("platform", p.id()).register(registry);
        }
    }

    private static int code(HealthStatus s) {
        return switch (s) {
            case Up -> 0;
            case Degraded -> 1;
            case Down -> 2;
            case Unknown -> 3;
        };
    }

    /** Starts the due probes and returns the platform decisions taken since the last tick (probe, then decisions). */
    public synchronized List<PlatformEvent> tick() {
        probe();
        return decisions();
    }

    /**
     * Every instance, every tick: starts the due probes, writes again the observations the store refused, and
     * checks the quorum of every platform waiting for one. Decisions wait for {@link #decisions()}.
     */
    public synchronized void probe() {
        Instant now = clock.instant();
        for (Slot s : slots) {
            if (s.schedule.due(now)) {
                s.schedule.launched(now);
                executor.execute(() -> run(s, now));
            }
        }
        for (var it = unrecorded.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            if (tryRecord(e.getKey(), board.platformStatus(e.getKey()))) {
                it.remove();
            }
        }
        for (var it = awaitingQuorum.iterator(); it.hasNext(); ) {
            Platform p = it.next();
            if (board.platformStatus(p) != HealthStatus.Down) {
                it.remove();
                continue;
            }
            QuorumGate.Tally tally;
            try {
                tally = quorum.tally(p);
            } catch (RuntimeException e) {
                // The store cannot be read: no agreement can be seen, so wait (never fail over alone) and ask again.
                quorumError(p, "observations not read: " + e.getMessage());
                continue;
            }
            if (tally.down() >= quorum.quorum()) {
                it.remove();
                ready.put(p, new PlatformEvent(PlatformEvent.Kind.DOWN, p,
                        tally.down() + " of " + quorum.quorum() + " observers agree", clock.instant()));
                LOG.warn("{}: Down confirmed by quorum ({} of {} observers Down)", p, tally.down(), tally.observers());
            }
        }
    }

    /**
     * The leader's half of a tick: the platform decisions not yet handed on, newest per platform. A Down whose
     * platform is no longer Down here is dropped (it is no longer true).
     */
    public synchronized List<PlatformEvent> decisions() {
        List<PlatformEvent> out = new ArrayList<>();
        for (PlatformEvent e : ready.values()) {
            if (e.kind() != PlatformEvent.Kind.DOWN || board.platformStatus(e.platform()) == HealthStatus.Down) {
                out.add(e);
            }
        }
        ready.clear();
        return out;
    }

    /** Whether a Down of this platform waits for other observers to agree. */
    public synchronized boolean awaitingQuorum(Platform p) {
        return awaitingQuorum.contains(p);
    }

    /**
     * Why a Down did or did not count, for GET /status: {@code required}, {@code agreeing} (observers whose latest
     * observation in the window is Down), {@code observers}, {@code waiting}, {@code lastError}.
     */
    public Map<String, Object> quorumStatus(Platform p) {
        Map<String, Object> v = new java.util.LinkedHashMap<>();
        v.put("required", quorum.quorum());
        if (quorum.quorum() > 1) {
            try {
                QuorumGate.Tally t = quorum.tally(p);
                v.put("agreeing", t.down());
                v.put("observers", t.observers());
            } catch (RuntimeException e) {
                v.put("agreeing", null);
                v.put("observers", null);
                quorumError(p, "observations not read: " + e.getMessage());
            }
            v.put("windowMs", settings.quorumWindowMs());
        }
        synchronized (this) {
            v.put("waiting", awaitingQuorum.contains(p));
        }
        v.put("lastError", quorumErrors.get(p));
        return v;
    }

    private boolean tryRecord(Platform p, HealthStatus status) {
        try {
            quorum.record(p, status);
            return true;
        } catch (RuntimeException e) {
            quorumError(p, "observation not written (retried next tick): " + e.getMessage());
            return false;
        }
    }

    private void quorumError(Platform p, String message) {
        String before = quorumErrors.put(p, clock.instant() + " " + message);
        if (before == null || !before.endsWith(" " + message)) {
            LOG.warn("{}: quorum: {}", p, message); // once per distinct error, not every tick
        }
    }

    private void run(Slot s, Instant sentAt) {
        Observation o;
        try {
            o = s.probe.probe(Duration.ofMillis(settings.timeoutMs()));
        } catch (RuntimeException e) {
            o = Observation.down("probe failed: " + e);
        }
        completed(s, sentAt, o);
    }

    private synchronized void completed(Slot s, Instant sentAt, Observation o) {
        Instant now = clock.instant();
        HealthStatus platformBefore = board.platformStatus(s.platform);
        LayerSchedule.Applied applied = s.schedule.completed(sentAt, now, o);
        if (applied.stale()) {
            LOG.debug("{} {}: result of a probe sent at {} overtaken by a newer one, ignored ({})", s.platform, s.layer.id(), sentAt, o.reason());
            return;
        }
        LayerTracker.Change change = applied.change();
        Double ewma = null;
        if (o.rttMs() != null) {
            ewma = s.ewma.update(Duration.ofMillis(o.rttMs()));
            if (s.rttTimer != null) {
                s.rttTimer.record(Duration.ofMillis(o.rttMs()));
            }
        }
        LayerState previous = board.layer(s.platform, s.layer);
        board.update(s.platform, s.layer, new LayerState(s.tracker.status(), o.rttMs(), ewma,
                describe(s, o), change != null ? now : previous.since()));

        logObservation(s, o, change);
        PlatformEvent event = platformDecision(s.platform, platformBefore, board.platformStatus(s.platform), s, o, now);
        ProbeReport report = new ProbeReport(now, s.platform, s.layer, o, s.tracker.status(), s.tracker.consecutiveDowns(),
                s.tracker.confirming(), change, event);
        for (Consumer<ProbeReport> l : listeners) {
            try {
                l.accept(report);
            } catch (RuntimeException e) {
                LOG.warn("Health listener failed: {}", e.toString());
            }
        }
    }

    private String describe(Slot s, Observation o) {
        if (s.tracker.confirming()) {
            return o.reason() + " (" + s.tracker.consecutiveDowns() + " of " + settings.downThreshold() + " Down, confirming)";
        }
        if (s.tracker.status() == HealthStatus.Down && o.status() != HealthStatus.Down) {
            return o.reason() + " (" + s.tracker.consecutiveUps() + " of " + settings.upThreshold() + " Up to recover)";
        }
        return o.reason();
    }

    private void logObservation(Slot s, Observation o, LayerTracker.Change change) {
        if (change != null) {
            boolean worse = change.to() == HealthStatus.Down || change.to() == HealthStatus.Degraded;
            (worse ? LOG.atWarn() : LOG.atInfo()).log("{} {}: {} -> {} ({})", s.platform, s.layer.id(), change.from(),
                    change.to(), describe(s, o));
        } else if (o.status() == HealthStatus.Down && s.tracker.consecutiveDowns() == 1 && s.tracker.confirming()) {
            LOG.warn("{} {}: first Down ({}); re-probing every {} ms to confirm", s.platform, s.layer.id(), o.reason(),
                    settings.confirmIntervalMs());
        } else {
            LOG.debug("{} {}: {} ({})", s.platform, s.layer.id(), o.status(), o.reason());
        }
    }

    private PlatformEvent platformDecision(Platform p, HealthStatus before, HealthStatus after, Slot cause, Observation o,
                                           Instant now) {
        if (quorum.quorum() > 1 && !tryRecord(p, after)) {
            unrecorded.put(p, after);
        } else {
            unrecorded.remove(p);
        }
        if (after == HealthStatus.Down && before != HealthStatus.Down) {
            String reason = cause.layer.id() + " Down after " + settings.downThreshold() + " consecutive checks: " + o.reason();
            LOG.error("{}: platform Down ({})", p, reason);
            if (quorum.quorum() > 1) {
                awaitingQuorum.add(p);
                LOG.warn("{}: waiting for {} observers to agree within {} ms", p, quorum.quorum(), settings.quorumWindowMs());
                return null;
            }
            PlatformEvent e = new PlatformEvent(PlatformEvent.Kind.DOWN, p, reason, now);
            ready.put(p, e);
            return e;
        }
        if (before == HealthStatus.Down && after != HealthStatus.Down && after != HealthStatus.Unknown) {
            String reason = cause.layer.id() + " answered " + settings.upThreshold() + " times in a row: " + o.reason();
            LOG.warn("{}: platform recovered, now {} ({})", p, after, reason);
            PlatformEvent e = new PlatformEvent(PlatformEvent.Kind.RECOVERED, p, reason, now);
            ready.put(p, e);
            return e;
        }
        return null;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
