package dev.ccaasfailover.health;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccaasfailover.config.FailoverConfig;
import dev.ccaasfailover.config.FailoverConfig.HealthSettings;
import dev.ccaasfailover.config.Platform;
import dev.ccaasfailover.health.CallerLossModel.Carrier;
import dev.ccaasfailover.health.CallerLossModel.DeadAnswer;
import dev.ccaasfailover.health.CallerLossModel.Destination;
import dev.ccaasfailover.health.CallerLossModel.Dial;
import dev.ccaasfailover.health.CallerLossModel.OriginationUrl;
import dev.ccaasfailover.health.CallerLossModel.Resolver;
import dev.ccaasfailover.testsupport.BenchmarkReport;
import dev.ccaasfailover.testsupport.RunbookFixture;
import dev.ccaasfailover.testsupport.RunningMiddleware;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Callers during a regional Genesys outage (issue 19): a seeded discrete-event simulation of one hour of calls, the
 * Genesys region a black hole for 30 minutes, carriers resolving the voice CNAME through resolvers that honour its TTL
 * or cache it for 15 minutes (the guide's edge case 1), callers hanging up on silence and redialling once. Detection
 * comes from the service's own schedule code ({@link DetectionSimulation}: LayerSchedule + LayerTracker on a virtual
 * clock) at the defaults of application.properties, the guide's rule (30 s × 3) for the baseline; the dns step's
 * time is measured once on the Route 53 simulator. Same arrival trace and resolvers for every scenario.
 * Run: {@code mvn -B -o -q test-compile && mvn -B -o -Pbench surefire:test -Dtest=CallerLossBenchmark}.
 */
class CallerLossBenchmark {

    static final long SEED = 20261204L;
    static final FailoverConfig SHIPPED = FailoverConfig.load(key -> null);
    /** The guide's record TTL (§2): "typically 60 seconds". */
    static final int GUIDE_TTL_S = 60;

    /** The model's numbers; where each comes from is in the report's model list (**A** = assumption). */
    record Model(
            double callsPerSecond,     // issue 19: 10 calls/s
            double horizonS,           // issue 19: 60 minutes of arrivals
            double onsetS,             // issue 19: the outage from minute 10
            double outageS,            // issue 19: for 30 minutes
            int resolvers,             // A: 200 carrier resolvers, each call on one at random
            double staleShare,         // issue 19 reading of the guide's edge case 1: 40 % cache for 15 min
            double staleCacheS,        // guide, edge case 1: caches "that expire only every 15 minutes"
            double setupS,             // A: INVITE to IVR prompt on a live platform, 1 s
            double patienceS,          // issue 19: a caller hangs up after 8 s of silence
            double redialP,            // issue 19: half redial once
            double redialMinS,         // issue 19 "about a minute later"; A: uniform 45..75 s
            double redialMaxS,
            double moveOnAfterS,       // A: the carrier leaves an unanswered URL after 4 s (Twilio: undocumented)
            DeadAnswer deadAnswer,     // issue 19: a regional outage, modelled as a black hole (no SIP answer)
            double refusalS,           // A: a 4xx/5xx from a dead edge arrives within 0.2 s (only when it refuses)
            double dnsStepS,           // measured: trigger → dns step finished on the Route 53 simulator
            double propagationS,       // A: Route 53 serves a change within 60 s (AWS: "generally within 60 seconds")
            double carrierStepS,       // A: the runbook's carrier step (list + two URL updates) takes 1 s, ∥ dns
            double ivrMinS,            // A: time in the IVR, uniform 20..100 s
            double ivrMaxS,
            double agentMeanS,         // A: time after the IVR (queue + agent), exponential, mean 4 min
            double heartbeatS,         // guide, edge case 2: the IVR publishes its state every 10 s
            double delayedS) {         // issue 19: a caller is "delayed" when the IVR answers more than 4 s after the dial

        static Model defaults(double dnsStepS) {
            return new Model(10, 3600, 600, 1800, 200, 0.40, 900, 1.0, 8, 0.5, 45, 75, 4, DeadAnswer.NOTHING, 0.2,
                    dnsStepS, 60, 1.0, 20, 100, 240, 10, 4);
        }

        Model withStaleShare(double share) {
            return new Model(callsPerSecond, horizonS, onsetS, outageS, resolvers, share, staleCacheS, setupS, patienceS,
                    redialP, redialMinS, redialMaxS, moveOnAfterS, deadAnswer, refusalS, dnsStepS, propagationS,
                    carrierStepS, ivrMinS, ivrMaxS, agentMeanS, heartbeatS, delayedS);
        }

        Model withCarrier(double moveOnAfter, DeadAnswer dead) {
            return new Model(callsPerSecond, horizonS, onsetS, outageS, resolvers, staleShare, staleCacheS, setupS, patienceS,
                    redialP, redialMinS, redialMaxS, moveOnAfter, dead, refusalS, dnsStepS, propagationS,
                    carrierStepS, ivrMinS, ivrMaxS, agentMeanS, heartbeatS, delayedS);
        }

        Model withPropagation(double s) {
            return new Model(callsPerSecond, horizonS, onsetS, outageS, resolvers, staleShare, staleCacheS, setupS, patienceS,
                    redialP, redialMinS, redialMaxS, moveOnAfterS, deadAnswer, refusalS, dnsStepS, s,
                    carrierStepS, ivrMinS, ivrMaxS, agentMeanS, heartbeatS, delayedS);
        }

        boolean genesysDead(double t) {
            return t >= onsetS && t < onsetS + outageS;
        }

        Carrier carrier() {
            return new Carrier(moveOnAfterS, setupS, refusalS);
        }
    }

    /** One caller's draws, fixed by the seed and shared by every scenario (common random numbers). */
    record Caller(int id, double dialAt, int resolver, boolean redials, double redialDelayS, double ivrS, double agentS) { }

    /** The arrival trace, and each resolver's refresh phase as a fraction of its period (its period depends on the model). */
    record Trace(List<Caller> callers, double[] phases) {
        static Trace generate(Model m, long seed) {
            SplittableRandom r = new SplittableRandom(seed);
            List<Caller> callers = new ArrayList<>();
            double t = 0;
            while (true) {
                t += -Math.log(1 - r.nextDouble()) / m.callsPerSecond(); // Poisson arrivals
                if (t >= m.horizonS()) {
                    break;
                }
                callers.add(new Caller(callers.size(), t, r.nextInt(m.resolvers()), r.nextDouble() < m.redialP(),
                        m.redialMinS() + r.nextDouble() * (m.redialMaxS() - m.redialMinS()),
                        m.ivrMinS() + r.nextDouble() * (m.ivrMaxS() - m.ivrMinS()),
                        -Math.log(1 - r.nextDouble()) * m.agentMeanS()));
            }
            double[] phases = new double[m.resolvers()];
            Arrays.setAll(phases, i -> r.nextDouble());
            return new Trace(callers, phases);
        }

        /** The first staleShare × resolvers cache for 15 min, the others for the record's TTL. */
        Resolver resolver(Model m, int i, int ttlS) {
            boolean stale = i < Math.round(m.staleShare() * m.resolvers());
            double period = stale ? m.staleCacheS() : ttlS;
            return new Resolver(period, phases[i] * period);
        }
    }

    /** A design: its detection schedule, the record's TTL, and the carrier's origination URLs before and after failover. */
    record Scenario(String name, HealthSettings schedule, int ttlS, boolean failoverTrunk, boolean prioritySwap) {
        List<OriginationUrl> urls(boolean swapped) {
            if (swapped) {
                return List.of(new OriginationUrl(10, Destination.NICE), new OriginationUrl(20, Destination.VOICE_CNAME));
            }
            return failoverTrunk
                    ? List.of(new OriginationUrl(10, Destination.VOICE_CNAME), new OriginationUrl(20, Destination.NICE))
                    : List.of(new OriginationUrl(10, Destination.VOICE_CNAME));
        }
    }

    /** Every caller ends in exactly one of these. */
    enum Outcome { DONE_BEFORE_ONSET, CUT_GAVE_UP, REACHED, REACHED_DELAYED, LOST }

    record Result(Scenario scenario, double decisionAt, double dnsServedAt, int[] outcomes, int affected, int cut,
                  int cutWithState, int found, int lostAfterDecision, int viaLaterUrl) {
        int count(Outcome o) {
            return outcomes[o.ordinal()];
        }

        int lost() {
            return count(Outcome.LOST);
        }

        double lostShare() {
            return 100.0 * lost() / affected;
        }
    }

    /** Onset → Down decision of the service's schedule code, the SIP path a black hole from the onset. */
    static double decisionAt(HealthSettings s, double onset, long seed) {
        // The service was started at a moment unrelated to the outage: its first probe at a seeded phase in one interval.
        double firstProbe = new SplittableRandom(seed).nextDouble() * s.sipIntervalMs() / 1000.0;
        return new DetectionSimulation(s, t -> t < onset).run(firstProbe, onset + 900).stream()
                .filter(d -> d.change().to() == HealthStatus.Down && d.atSeconds() >= onset)
                .findFirst().orElseThrow().atSeconds();
    }

    private record Attempt(double at, Caller caller, boolean redial) { }

    /** One scenario over the trace: every dial an event in time order; a failed first dial or a cut call may redial once. */
    static Result simulate(Model m, Trace trace, Scenario sc) {
        double onset = m.onsetS();
        double decision = decisionAt(sc.schedule(), onset, SEED);
        double dnsServed = decision + m.dnsStepS() + m.propagationS();
        double swapAt = sc.prioritySwap() ? decision + m.carrierStepS() : Double.POSITIVE_INFINITY;
        int n = trace.callers().size();
        Outcome[] outcome = new Outcome[n];
        boolean[] withState = new boolean[n];
        double[] firstDial = new double[n]; // a new caller's dial; a cut caller's redial
        PriorityQueue<Attempt> queue = new PriorityQueue<>((x, y) -> x.at() != y.at()
                ? Double.compare(x.at(), y.at()) : Integer.compare(x.caller().id(), y.caller().id()));
        int affected = 0;
        int cut = 0;
        int cutWithState = 0;
        for (Caller c : trace.callers()) {
            double ivrFrom = c.dialAt() + m.setupS();
            if (c.dialAt() < onset && ivrFrom + c.ivrS() + c.agentS() <= onset) {
                set(outcome, c, Outcome.DONE_BEFORE_ONSET);
            } else if (c.dialAt() < onset) {
                // In a call at the onset: its media went silent; the caller hangs up after the same patience.
                cut++;
                affected++;
                withState[c.id()] = CallerLossModel.ivrStateWritten(ivrFrom, c.ivrS(), onset, m.heartbeatS());
                if (c.redials()) {
                    cutWithState += withState[c.id()] ? 1 : 0;
                    firstDial[c.id()] = onset + m.patienceS() + c.redialDelayS();
                    queue.add(new Attempt(firstDial[c.id()], c, true));
                } else {
                    set(outcome, c, Outcome.CUT_GAVE_UP);
                }
            } else {
                affected += m.genesysDead(c.dialAt()) ? 1 : 0;
                firstDial[c.id()] = c.dialAt();
                queue.add(new Attempt(c.dialAt(), c, false));
            }
        }

        int found = 0;
        int lostAfter = 0;
        int viaLater = 0;
        while (!queue.isEmpty()) {
            Attempt a = queue.poll();
            Caller c = a.caller();
            double t = a.at();
            boolean answersGenesys = trace.resolver(m, c.resolver(), sc.ttlS()).answersOld(t, dnsServed);
            Dial d = CallerLossModel.dial(sc.urls(t >= swapAt), answersGenesys, !m.genesysDead(t), m.deadAnswer(), m.carrier(),
                    m.patienceS());
            if (d.reached()) {
                set(outcome, c, t + d.atS() - firstDial[c.id()] > m.delayedS() ? Outcome.REACHED_DELAYED : Outcome.REACHED);
                viaLater += d.viaLaterUrl() ? 1 : 0;
                // NICE's IVR asks the store for the caller's context; it holds the state the Genesys IVR published.
                found += a.redial() && withState[c.id()] && d.reachedOn() == Platform.NICE ? 1 : 0;
            } else if (!a.redial() && c.redials()) {
                queue.add(new Attempt(t + d.atS() + c.redialDelayS(), c, true));
            } else {
                set(outcome, c, Outcome.LOST);
                lostAfter += firstDial[c.id()] >= decision ? 1 : 0;
            }
        }

        int[] counts = new int[Outcome.values().length];
        for (Outcome o : outcome) {
            if (o == null) {
                throw new IllegalStateException("a caller ended in no outcome");
            }
            counts[o.ordinal()]++;
        }
        return new Result(sc, decision, dnsServed, counts, affected, cut, cutWithState, found, lostAfter, viaLater);
    }

    private static void set(Outcome[] outcome, Caller c, Outcome o) {
        if (outcome[c.id()] != null) {
            throw new IllegalStateException("caller " + c.id() + " ended twice: " + outcome[c.id()] + ", " + o);
        }
        outcome[c.id()] = o;
    }

    static List<Scenario> scenarios() {
        HealthSettings ours = HealthDetectionBenchmark.DEFAULTS;
        int ttl = SHIPPED.dns().ttl();
        return List.of(
                new Scenario("(a) guide: 30 s × 3, DNS change, TTL " + GUIDE_TTL_S + " s — baseline", HealthDetectionBenchmark.GUIDE,
                        GUIDE_TTL_S, false, false),
                new Scenario("(b) ours at the defaults, DNS change, TTL " + ttl + " s", ours, ttl, false, false),
                new Scenario("(c) (b) + carrier failover trunk (Genesys 10, NICE 20)", ours, ttl, true, false),
                new Scenario("(d) (c) + priority swap at failover (NICE 10)", ours, ttl, true, true));
    }

    static List<Result> runAll(Model m, Trace trace) {
        List<Result> out = new ArrayList<>();
        for (Scenario sc : scenarios()) {
            Result r = simulate(m, trace, sc);
            assertThat(Arrays.stream(r.outcomes()).sum()).as("every caller ends in exactly one outcome").isEqualTo(trace.callers().size());
            out.add(r);
        }
        return out;
    }

    /** One automatic failover on the simulators: trigger → the dns step's finishedAt in the journal, in seconds. */
    static double measureDnsStepS() throws Exception {
        try (RunbookFixture fx = RunbookFixture.create(); RunningMiddleware app = fx.startApp()) {
            RunbookFixture.setHealth(app, Platform.NICE, HealthStatus.Up);
            Instant t0 = Instant.now();
            app.context().createProducerTemplate().sendBodyAndHeaders("direct:platform-down", "bench",
                    Map.of("platform", "genesys", "reason", "bench"));
            String runId = RunbookFixture.get(app, "/runs").at("/runs/0/runId").asText();
            JsonNode run = RunbookFixture.awaitRunEnded(app, runId);
            for (JsonNode s : run.get("steps")) {
                if (s.get("name").asText().equals("dns")) {
                    return (Instant.parse(s.get("finishedAt").asText()).toEpochMilli() - t0.toEpochMilli()) / 1000.0;
                }
            }
            throw new IllegalStateException("no dns step in run " + runId);
        }
    }

    @Test
    void callersLostDuringARegionalOutage() throws Exception {
        double dnsStepS = measureDnsStepS();
        long started = System.nanoTime();
        Model m = Model.defaults(dnsStepS);
        Trace trace = Trace.generate(m, SEED);
        List<Result> main = runAll(m, trace);
        Result a = main.get(0);
        Result b = main.get(1);
        Result c = main.get(2);
        Result d = main.get(3);

        StringBuilder table = new StringBuilder();
        for (Result r : main) {
            table.append(String.format(Locale.ROOT, "| %s | %.1f s | %d | %.1f %% | %d | %d | %d of %d |%n", r.scenario().name(),
                    r.decisionAt() - m.onsetS(), r.lost(), r.lostShare(), r.lostAfterDecision(), r.count(Outcome.REACHED_DELAYED),
                    r.found(), r.cutWithState()));
        }

        // Sensitivity: the same trace and resolver phases, one assumption changed at a time.
        record Variant(String name, Model model) { }
        List<Variant> variants = List.of(
                new Variant("the model above (40 % stale, carrier leaves a silent URL after 4 s, black hole)", m),
                new Variant("20 % of resolvers cache for 15 min", m.withStaleShare(0.20)),
                new Variant("60 % of resolvers cache for 15 min (the guide's 60 % to the failed endpoint, read as caches)", m.withStaleShare(0.60)),
                new Variant("carrier leaves a silent URL after 32 s (RFC 3261 Timer B): the caller has hung up", m.withCarrier(32, DeadAnswer.NOTHING)),
                new Variant("carrier moves on only on a 4xx/5xx (the guide's wording): never on a black hole",
                        m.withCarrier(Double.POSITIVE_INFINITY, DeadAnswer.NOTHING)),
                new Variant("only on a 4xx/5xx, and the dead region refuses INVITEs (503) instead of black-holing them",
                        m.withCarrier(Double.POSITIVE_INFINITY, DeadAnswer.REFUSAL)),
                new Variant("Route 53 serves the change at once (no 60 s propagation)", m.withPropagation(0)));
        StringBuilder sens = new StringBuilder();
        List<List<Result>> byVariant = new ArrayList<>();
        for (Variant v : variants) {
            List<Result> rs = v.model() == m ? main : runAll(v.model(), trace);
            byVariant.add(rs);
            sens.append("| ").append(v.name());
            for (Result r : rs) {
                sens.append(String.format(Locale.ROOT, " | %d (%d)", r.lost(), r.lostAfterDecision()));
            }
            sens.append(String.format(Locale.ROOT, " | %s | %s | %s |%n", ratio(rs.get(2), rs.get(0)), ratio(rs.get(3), rs.get(0)),
                    verdict(rs)));
        }
        List<Result> onlyOnError = byVariant.get(4);
        double elapsed = (System.nanoTime() - started) / 1e9;

        String md = String.format(Locale.ROOT, """
                ## Callers: lost and delayed during a regional Genesys outage

                Command: `mvn -B -o -q test-compile && mvn -B -o -Pbench surefire:test -Dtest=CallerLossBenchmark`
                (a discrete-event simulation on a virtual clock, seed %d: %.1f s of wall time for all %d runs, after one
                failover on the simulators to time the dns step). Baseline: (a), the guide's design, on the same arrival
                trace and the same resolvers in the same run.

                | design | onset → decision | callers lost | of callers affected | lost, first dial after the decision | reached an IVR > 4 s after dialling | redials that found their lastIvrState |
                |---|---|---|---|---|---|---|
                %s
                **Target** (issue 19): (c) and (d) lose at most a quarter of (a)'s callers, and none whose first dial came
                after detection. In this model: (c)/(a) = %s, (d)/(a) = %s: %s. That rests on the carrier leaving an
                unanswered Genesys URL within the caller's patience, which Twilio does not document. If it moves on only
                on a 4xx/5xx, the target is **not met**: (c) loses %d (%s of (a)), and (d) %d (%s of (a)), %d of whom
                dialled in the %.0f s between the decision and the carrier step's end (sensitivity below).

                Trace: %d callers (Poisson, %.0f calls/s for %.0f min); the Genesys region a black hole (no SIP answer)
                from minute %.0f for %.0f min. Callers affected: %d — %d dialled during the outage, %d were in a call at
                its onset (cut; %d of them did not redial: not counted as lost, and the same in every design, since no
                design saves a call on a dead platform; counting them, (c)/(a) = %s, (d)/(a) = %s). Decision → Route 53
                serving the NICE record: %.2f s (the dns step, measured) + %.0f s (propagation, **A**); in (d) the carrier
                tries NICE first from decision + %.0f s. Through the carrier's second URL: (c) %d calls, (d) %d.
                Every caller ends in exactly one outcome (checked in every run), e.g. (a): %s; (d): %s.

                The model (sources; **A** = our assumption):
                - Detection: the service's own `LayerSchedule` + `LayerTracker` through `DetectionSimulation` on a
                  virtual clock, the SIP path black-holed at the onset, the first probe at a seeded phase within one
                  interval: (b)–(d) at the defaults of `application.properties` loaded through `FailoverConfig` (SIP
                  OPTIONS every %d ms, %d Downs, %d ms confirmations, %d ms time-out); (a) on the guide's rule (every
                  30 s, three consecutive Downs, 5 s time-out: guide §1). One onset, so one phase: the medians over 101
                  onsets are in "Health checks: detection time" above.
                - DNS: the runbook UPSERTs the voice CNAME; TTL %d s in (b)–(d) (`failover.dns.ttl`), 60 s in (a) (guide
                  §2). Decision → record served = the dns step as the journal timed it in one automatic failover on the
                  Route 53 simulator (trigger → `finishedAt`: UPSERT, GetChange INSYNC, verify), the first run of a
                  freshly started service, so cold (the warm median is in "Runbook" above; the difference moves a few
                  callers between runs of this benchmark), + 60 s (**A**: AWS says changes generally reach all Route 53
                  name servers within 60 s; the simulator is INSYNC at once).
                - Resolvers: %d, each caller's carrier on one at random, a redial on the same one (**A**). 60 %% honour
                  the TTL (fetch every TTL), 40 %% cache for 15 min (guide, edge case 1: caches "that expire only every
                  15 minutes", regardless of the TTL; the 40 %% share is issue 19's reading, the guide's sentence says
                  60 %% of calls went to the failed endpoint: both, and 20 %%, below). Each resolver fetches at its own
                  phase, uniform over its period (**A**).
                - Callers (issue 19): a call that meets silence is hung up after 8 s; half the callers redial once, about
                  a minute later (**A**: uniform 45–75 s after hanging up), through the same resolver. A call in progress
                  at the onset goes silent and is hung up the same way. A live platform's IVR answers 1 s after the INVITE
                  (**A**). Time in the IVR uniform 20–100 s, then exponential, mean 4 min (**A**; only used to find who
                  was in a call, and who had been in the IVR long enough to have a heartbeat, at the onset).
                - (a), (b): one origination URL, the voice CNAME. The guide's design also disables the Genesys trunk so
                  that calls reaching it are refused; a black-holed region answers nothing either way. The guide's
                  carrier fallback (edge case 1) is not part of (a) (issue 19's definition of the baseline).
                - (c): origination URLs voice CNAME at priority 10, NICE at 20 (the guide's and `CarrierShape`'s
                  primary 10, secondary 20). The carrier tries the lowest number first (Twilio: lowest priority number
                  most important); a 4xx/5xx moves it on at once (guide, edge case 1; **A** for Twilio) and so does no
                  answer within 4 s (**A**: which responses or time-outs move Twilio to the next URL is not documented,
                  VENDOR-APIS.md §7; sensitivity below). The dead region is a black hole: no SIP answer at all (**A**). A call
                  the carrier moves on reaches NICE's IVR 5 s after dialling: in time (8 s) but delayed (> 4 s).
                - (d): (c), and the runbook's carrier step puts NICE at priority 10 at decision + 1 s (**A**: list and
                  two URL updates, run alongside the dns and trunk steps): from then on new calls go to NICE directly,
                  whatever DNS says. Before that, (d) is (c).
                - NICE is up and has room for everyone (capacity, edge case 3, not modelled).
                - Lost: a caller who dialled during or after the onset, or was cut by it and redialled, and whose dials
                  all failed to reach an IVR. Of callers affected: lost ÷ (callers who first dialled during the outage +
                  callers cut at the onset). "First dial after the decision": a new caller's dial, a cut caller's redial.
                  Reached an IVR > 4 s after dialling: from that first dial, so a successful redial counts as delayed.
                - lastIvrState: the IVR publishes its state every 10 s while the caller is in it (guide, edge case 2;
                  the first one 10 s in: **A**); a caller cut at the onset who had been in the IVR for at least 10 s (or
                  had left it for an agent) has it in the store. The product keeps context for %d days
                  (`failover.store.retention-days`), and serves the latest heartbeat as `lastIvrState` however old, so a
                  redial about a minute later finds it whenever it reaches NICE, whose IVR asks the store. The guide's
                  design stores the same heartbeats centrally (§3, edge case 2), so (a) is counted the same way; the
                  designs differ only in whether the redial reaches NICE. The column reads "found of cut callers with a
                  state who redialled".
                - Not modelled: NICE capacity or licences (edge case 3), agents' availability on NICE, callers who would
                  hang up on a 5 s wait, carriers retrying on their own, failback at the outage's end.

                Sensitivity, the same trace and resolver phases, one assumption changed at a time: callers lost (of them,
                first dial after the decision):

                | variant | (a) | (b) | (c) | (d) | (c)/(a) | (d)/(a) | target |
                |---|---|---|---|---|---|---|---|
                %s
                Reading: the priority swap (d) needs no failure response from Genesys and no DNS, so whatever the carrier
                does it loses only callers who dial between the onset and the carrier step; with a carrier that never
                leaves a silent URL that still includes those of the carrier step's own second (its 1 s is **A**), so
                "none after detection" holds from the carrier step on, not from the decision. The failover trunk alone
                (c) is only as good as the carrier's rule for leaving a silent URL. (b) gains little over (a) on its own:
                faster detection is swamped by the resolvers that cache for 15 minutes.
                """,
                SEED, elapsed, 4 * variants.size(), table, ratio(c, a), ratio(d, a), verdict(main),
                onlyOnError.get(2).lost(), ratio(onlyOnError.get(2), onlyOnError.get(0)), onlyOnError.get(3).lost(),
                ratio(onlyOnError.get(3), onlyOnError.get(0)), onlyOnError.get(3).lostAfterDecision(), m.carrierStepS(),
                trace.callers().size(), m.callsPerSecond(), m.horizonS() / 60, m.onsetS() / 60, m.outageS() / 60,
                a.affected(), a.affected() - a.cut(), a.cut(), a.count(Outcome.CUT_GAVE_UP),
                ratioWithCut(c, a), ratioWithCut(d, a), m.dnsStepS(), m.propagationS(), m.carrierStepS(), c.viaLaterUrl(), d.viaLaterUrl(),
                outcomes(a), outcomes(d),
                HealthDetectionBenchmark.DEFAULTS.sipIntervalMs(), HealthDetectionBenchmark.DEFAULTS.downThreshold(),
                HealthDetectionBenchmark.DEFAULTS.confirmIntervalMs(), HealthDetectionBenchmark.DEFAULTS.timeoutMs(),
                SHIPPED.dns().ttl(), m.resolvers(), SHIPPED.store().retentionDays(), sens);
        BenchmarkReport.write("callers", md);
        System.out.println(md);

        // Sanity of the model, not the target (the report says whether that is met).
        assertThat(a.lost()).as("the guide's design loses more callers than ours with the priority swap").isGreaterThan(d.lost());
        assertThat(b.decisionAt()).as("our defaults decide before the guide's rule").isLessThan(a.decisionAt());
        assertThat(main).allSatisfy(r -> assertThat(r.cut()).isEqualTo(a.cut()));
    }

    static String outcomes(Result r) {
        return String.format(Locale.ROOT, "%d ended before the onset, %d cut and did not redial, %d reached an IVR within 4 s,"
                        + " %d later, %d lost", r.count(Outcome.DONE_BEFORE_ONSET), r.count(Outcome.CUT_GAVE_UP),
                r.count(Outcome.REACHED), r.count(Outcome.REACHED_DELAYED), r.lost());
    }

    static String ratio(Result x, Result base) {
        return base.lost() == 0 ? "n/a" : String.format(Locale.ROOT, "%.2f", (double) x.lost() / base.lost());
    }

    static String ratioWithCut(Result x, Result base) {
        int gaveUp = base.count(Outcome.CUT_GAVE_UP);
        return String.format(Locale.ROOT, "%.2f", (double) (x.lost() + gaveUp) / (base.lost() + gaveUp));
    }

    /** Issue 19's target on one variant's four results: met, or which design misses which half. */
    static String verdict(List<Result> rs) {
        Result a = rs.get(0);
        List<String> misses = new ArrayList<>();
        for (Result r : rs.subList(2, 4)) {
            List<String> why = new ArrayList<>();
            if (r.lost() * 4 > a.lost()) {
                why.add("> ¼ of (a)");
            }
            if (r.lostAfterDecision() > 0) {
                why.add("lost after detection");
            }
            if (!why.isEmpty()) {
                misses.add(r.scenario().name().substring(0, 3) + " " + String.join(", ", why));
            }
        }
        return misses.isEmpty() ? "met" : "**not met**: " + String.join("; ", misses);
    }
}
