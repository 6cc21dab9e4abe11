package dev.ccaasfailover.health;

import dev.ccaasfailover.config.Platform;

import java.util.Comparator;
import java.util.List;

/**
 * The pieces of {@link CallerLossBenchmark}'s simulation that have logic of their own, pinned by
 * {@code CallerLossModelTest}: a carrier resolver's cache, the carrier's walk through its origination URLs, one dial's
 * fate against the caller's patience, and whether a caller's IVR state reached the store before the outage.
 */
final class CallerLossModel {

    private CallerLossModel() {
    }

    /**
     * A carrier's resolver: fetches the voice CNAME afresh every {@code cacheS} seconds, at {@code phaseS} + k × cacheS,
     * and answers from its cache in between (a TTL-honouring resolver has {@code cacheS} = the record's TTL).
     */
    record Resolver(double cacheS, double phaseS) {
        /** Whether its answer at {@code t} is still the record as it was before it changed at {@code changedAt}. */
        boolean answersOld(double t, double changedAt) {
            if (t < changedAt) {
                return true;
            }
            double lastFetch = phaseS + Math.floor((t - phaseS) / cacheS) * cacheS;
            return lastFetch < changedAt;
        }
    }

    /** Where an origination URL sends the INVITE: the voice CNAME (through the carrier's resolver) or NICE's trunk. */
    enum Destination { VOICE_CNAME, NICE }

    record OriginationUrl(int priority, Destination destination) { }

    /** How a dead platform answers an INVITE: not at all (a region black-holed) or with a 4xx/5xx at once. */
    enum DeadAnswer { NOTHING, REFUSAL }

    /**
     * How the carrier treats URLs: it moves on to the next priority on a 4xx/5xx (guide, edge case 1; Twilio: "if an
     * error occurs"), and after {@code moveOnAfterS} without an answer ({@link Double#POSITIVE_INFINITY}: never on
     * silence). Which of these Twilio does is not documented (VENDOR-APIS.md §7): an assumption, run both ways.
     */
    record Carrier(double moveOnAfterS, double setupS, double refusalS) { }

    /**
     * One dial: {@code reachedOn} the platform whose IVR answered (null: none did), {@code atS} seconds after dialling
     * when it answered or the caller hung up, and whether a later URL than the first took it.
     */
    record Dial(Platform reachedOn, double atS, boolean viaLaterUrl) {
        boolean reached() {
            return reachedOn != null;
        }
    }

    /**
     * Walks the URLs in priority order (lowest number first, as Twilio does). NICE is always up (its capacity is not
     * modelled); Genesys is up unless {@code genesysAlive} is false. The caller hangs up after {@code patienceS} of
     * silence, and at once on a failure tone when no URL is left.
     */
    static Dial dial(List<OriginationUrl> urls, boolean resolverAnswersGenesys, boolean genesysAlive, DeadAnswer dead,
                     Carrier carrier, double patienceS) {
        List<OriginationUrl> walk = urls.stream().sorted(Comparator.comparingInt(OriginationUrl::priority)).toList();
        double elapsed = 0;
        for (int i = 0; i < walk.size(); i++) {
            Platform to = walk.get(i).destination() == Destination.NICE || !resolverAnswersGenesys ? Platform.NICE : Platform.GENESYS;
            boolean last = i == walk.size() - 1;
            if (to == Platform.NICE || genesysAlive) {
                double answered = elapsed + carrier.setupS();
                return answered <= patienceS ? new Dial(to, answered, i > 0) : new Dial(null, patienceS, false);
            }
            if (dead == DeadAnswer.REFUSAL) {
                elapsed += carrier.refusalS();
                if (last) {
                    return new Dial(null, elapsed, false);
                }
                continue;
            }
            // No answer: silence until the carrier gives up on the URL, if it does so before the caller does.
            if (last || elapsed + carrier.moveOnAfterS() >= patienceS) {
                return new Dial(null, patienceS, false);
            }
            elapsed += carrier.moveOnAfterS();
        }
        throw new IllegalArgumentException("no origination URL");
    }

    /**
     * Whether a caller cut at {@code cutAt} had an IVR state in the store: the IVR publishes it every
     * {@code heartbeatS} while the call is in it (guide, edge case 2), the first one {@code heartbeatS} in, so a caller
     * cut before the first heartbeat has none. A caller past the IVR has the last one it published.
     */
    static boolean ivrStateWritten(double ivrFrom, double ivrS, double cutAt, double heartbeatS) {
        return Math.min(cutAt, ivrFrom + ivrS) - ivrFrom >= heartbeatS;
    }
}
