package dev.ccaasfailover.carrier;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The shape the carrier trunk should have, what differs from it, and the writes that reach it. Pure logic: the
 * caller reads the trunk ({@link TwilioTrunk#list}) and applies the plan.
 *
 * <p>The shape: an enabled origination URL for each platform, the preferred one at priority {@value #PREFERRED_PRIORITY}
 * and the other at {@value #OTHER_PRIORITY} (Twilio tries the lowest number first), both at weight {@value #WEIGHT};
 * every other URL disabled. Normally the primary is preferred (the guide's primary 10, secondary 20); after a
 * failover the secondary is (the priority swap).
 *
 * <p>SIP URLs are compared as RFC 3261 §19.1.4 compares them: scheme and host ignore case, the user part does not,
 * URI parameters are compared in any order, and a port counts when present. {@code sip:host} and
 * {@code sip:host:5060} are different destinations: without a port Twilio may resolve the host through DNS SRV.
 */
public final class CarrierShape {

    public static final int PREFERRED_PRIORITY = 10;
    public static final int OTHER_PRIORITY = 20;
    public static final int WEIGHT = 10;

    public enum Preferred { PRIMARY, SECONDARY }

    private enum Role {
        PRIMARY("primary"), SECONDARY("secondary");

        final String word;

        Role(String word) {
            this.word = word;
        }
    }

    private final String primarySipUrl;
    private final String secondarySipUrl;
    private final Preferred preferred;

    public CarrierShape(String primarySipUrl, String secondarySipUrl, Preferred preferred) {
        this.primarySipUrl = Objects.requireNonNull(primarySipUrl, "primarySipUrl");
        this.secondarySipUrl = Objects.requireNonNull(secondarySipUrl, "secondarySipUrl");
        this.preferred = Objects.requireNonNull(preferred, "preferred");
        if (comparable(primarySipUrl).equals(comparable(secondarySipUrl))) {
            throw new IllegalArgumentException("the primary and secondary SIP URLs are the same: " + primarySipUrl);
        }
    }

    /** The same platforms with another one preferred. */
    public CarrierShape preferring(Preferred platform) {
        return new CarrierShape(primarySipUrl, secondarySipUrl, platform);
    }

    public Preferred preferred() {
        return preferred;
    }

    /** What differs from the shape, in plain words; empty when the trunk has it. */
    public List<String> check(List<OriginationUrl> urls) {
        Analysis analysis = analyse(urls);
        List<String> findings = new ArrayList<>();
        for (Role role : Role.values()) {
            Optional<OriginationUrl> url = analysis.platform(role);
            if (url.isEmpty()) {
                findings.add("no origination URL for the " + role.word + " " + sipUrl(role));
                continue;
            }
            OriginationUrl found = url.get();
            String named = "the " + role.word + " " + found.sipUrl() + " (" + found.sid() + ")";
            if (!found.enabled()) {
                findings.add(named + " is disabled");
            }
            if (found.priority() != priority(role)) {
                findings.add(named + " has priority " + found.priority() + ", not " + priority(role));
            }
            if (found.weight() != WEIGHT) {
                findings.add(named + " has weight " + found.weight() + ", not " + WEIGHT);
            }
        }
        Optional<OriginationUrl> first = analysis.platform(preferredRole());
        Optional<OriginationUrl> second = analysis.platform(otherRole());
        if (first.isPresent() && second.isPresent() && first.get().priority() >= second.get().priority()) {
            findings.add("the preferred " + preferredRole().word + " " + first.get().sipUrl() + " has priority "
                    + first.get().priority() + ", not lower than the " + otherRole().word + "'s " + second.get().priority());
        }
        for (Duplicate duplicate : analysis.duplicates()) {
            findings.add("another enabled URL " + duplicate.url().sipUrl() + " (" + duplicate.url().sid()
                    + ") also points to the " + duplicate.role().word);
        }
        for (OriginationUrl extra : analysis.extras()) {
            findings.add("an extra enabled URL " + extra.sipUrl() + " (" + extra.sid() + ") points to neither platform");
        }
        return List.copyOf(findings);
    }

    /**
     * The writes that give the trunk the shape, in order: first each platform's URL is created or enabled and given
     * its priority (the preferred platform first), then every other enabled URL is disabled. Nothing is disabled
     * before both platforms are enabled, so the trunk never passes through a state without an enabled URL (Twilio
     * error 32010 at call time). No deletes: a disabled URL carries no traffic, and leaving it keeps someone's
     * configuration visible and reversible. A swap passes through a moment where both platforms share priority 10,
     * which still routes every call.
     */
    public List<TrunkWrite> plan(List<OriginationUrl> urls) {
        Analysis analysis = analyse(urls);
        List<TrunkWrite> writes = new ArrayList<>();
        for (Role role : List.of(preferredRole(), otherRole())) {
            Optional<OriginationUrl> url = analysis.platform(role);
            if (url.isEmpty()) {
                writes.add(new TrunkWrite.Create(friendlyName(role), sipUrl(role), priority(role), WEIGHT, true));
                continue;
            }
            OriginationUrl found = url.get();
            OriginationUrlChange change = OriginationUrlChange.none();
            if (!found.enabled()) {
                change = change.enabled(true);
            }
            if (found.priority() != priority(role)) {
                change = change.priority(priority(role));
            }
            if (found.weight() != WEIGHT) {
                change = change.weight(WEIGHT);
            }
            if (!change.isEmpty()) {
                writes.add(new TrunkWrite.Update(found.sid(), change));
            }
        }
        analysis.duplicates().forEach(d -> writes.add(new TrunkWrite.Update(d.url().sid(), OriginationUrlChange.none().enabled(false))));
        analysis.extras().forEach(e -> writes.add(new TrunkWrite.Update(e.sid(), OriginationUrlChange.none().enabled(false))));
        return List.copyOf(writes);
    }

    // ---- analysis ----

    private record Duplicate(Role role, OriginationUrl url) {
    }

    /** Each platform's URL (if any), the other enabled URLs pointing to a platform, and enabled URLs to neither. */
    private record Analysis(OriginationUrl primary, OriginationUrl secondary, List<Duplicate> duplicates,
                            List<OriginationUrl> extras) {
        Optional<OriginationUrl> platform(Role role) {
            return Optional.ofNullable(role == Role.PRIMARY ? primary : secondary);
        }
    }

    private Analysis analyse(List<OriginationUrl> urls) {
        List<OriginationUrl> primaries = new ArrayList<>();
        List<OriginationUrl> secondaries = new ArrayList<>();
        List<OriginationUrl> extras = new ArrayList<>();
        String primaryKey = comparable(primarySipUrl);
        String secondaryKey = comparable(secondarySipUrl);
        for (OriginationUrl url : urls) {
            String key = url.sipUrl() == null ? "" : comparable(url.sipUrl());
            if (key.equals(primaryKey)) {
                primaries.add(url);
            } else if (key.equals(secondaryKey)) {
                secondaries.add(url);
            } else if (url.enabled()) {
                extras.add(url);
            }
        }
        List<Duplicate> duplicates = new ArrayList<>();
        OriginationUrl primary = keepOne(primaries, Role.PRIMARY, duplicates);
        OriginationUrl secondary = keepOne(secondaries, Role.SECONDARY, duplicates);
        return new Analysis(primary, secondary, List.copyOf(duplicates), List.copyOf(extras));
    }

    /** The URL to keep for a platform: an enabled one at its priority if any, else enabled, else the first listed. */
    private OriginationUrl keepOne(List<OriginationUrl> candidates, Role role, List<Duplicate> duplicates) {
        if (candidates.isEmpty()) {
            return null;
        }
        OriginationUrl kept = candidates.stream()
                .min(Comparator.comparing((OriginationUrl u) -> !u.enabled())
                        .thenComparing(u -> u.priority() != priority(role)))
                .orElseThrow();
        candidates.stream().filter(u -> u != kept && u.enabled()).forEach(u -> duplicates.add(new Duplicate(role, u)));
        return kept;
    }

    private Role preferredRole() {
        return preferred == Preferred.PRIMARY ? Role.PRIMARY : Role.SECONDARY;
    }

    private Role otherRole() {
        return preferred == Preferred.PRIMARY ? Role.SECONDARY : Role.PRIMARY;
    }

    private int priority(Role role) {
        return role == preferredRole() ? PREFERRED_PRIORITY : OTHER_PRIORITY;
    }

    private String sipUrl(Role role) {
        return role == Role.PRIMARY ? primarySipUrl : secondarySipUrl;
    }

    private static String friendlyName(Role role) {
        return "ccaas-failover " + role.word;
    }

    /**
     * A SIP URL in a form where equal strings mean the same destination (RFC 3261 §19.1.4): scheme and host in lower
     * case, the user part as written, parameters lower-cased and sorted, the port kept when present.
     */
    static String comparable(String sipUrl) {
        String text = sipUrl.trim();
        int colon = text.indexOf(':');
        String scheme = colon < 0 ? "" : text.substring(0, colon).toLowerCase(Locale.ROOT);
        String rest = colon < 0 ? text : text.substring(colon + 1);
        String headers = "";
        int question = rest.indexOf('?');
        if (question >= 0) {
            headers = rest.substring(question);
            rest = rest.substring(0, question);
        }
        String[] parts = rest.split(";");
        String address = parts[0];
        int at = address.lastIndexOf('@');
        String user = at < 0 ? "" : address.substring(0, at + 1);
        String hostPort = (at < 0 ? address : address.substring(at + 1)).toLowerCase(Locale.ROOT);
        List<String> parameters = new ArrayList<>();
        for (int i = 1; i < parts.length; i++) {
            if (!parts[i].isEmpty()) {
                parameters.add(parts[i].toLowerCase(Locale.ROOT));
            }
        }
        parameters.sort(null);
        StringBuilder result = new StringBuilder(scheme).append(':').append(user).append(hostPort);
        parameters.forEach(p -> result.append(';').append(p));
        return result.append(headers).toString();
    }
}
