package dev.ccaasfailover.simulator;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Route 53 (API 2013-04-01, REST-XML) for the real AWS SDK v2 {@code Route53Client} with
 * {@code endpointOverride}: ChangeResourceRecordSets (all-or-nothing), GetChange (PENDING until the
 * propagation delay has passed, then INSYNC), ListResourceRecordSets and GetHostedZone.
 * SigV4 is not verified; an {@code AWS4-HMAC-SHA256} Authorization header is required.
 * <p>Size: the Route 53 XML API subset we use (change batches, GetChange, list records), one file per simulated
 * service.
 */
public class Route53Simulator extends SimulatedHttpServer {

    private static final String API = "/2013-04-01";
    private static final int MAX_ITEMS = 300;
    private static final Set<String> TYPES = Set.of("A", "AAAA", "CAA", "CNAME", "DS", "HTTPS", "MX", "NAPTR", "NS",
            "PTR", "SOA", "SPF", "SRV", "SSHFP", "SVCB", "TLSA", "TXT");
    private static final char[] ID_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".toCharArray();

    private record Zone(String id, String name, TreeMap<Route53RecordSet.Key, Route53RecordSet> records) {
    }

    private record ChangeRecord(String id, Instant submittedAt, Instant inSyncAt, String comment) {
    }

    private final Map<String, Zone> zones = new ConcurrentHashMap<>();
    private final Map<String, ChangeRecord> changes = new ConcurrentHashMap<>();
    private final Router router = new Router(false);
    private final SecureRandom random = new SecureRandom();
    private volatile long propagationDelayMs;

    public Route53Simulator(int port) {
        super("route53", port);
        router.add("POST", API + "/hostedzone/{zoneId}/rrset", (req, p) -> changeRecordSets(p.get("zoneId"), req))
                .add("GET", API + "/hostedzone/{zoneId}/rrset", (req, p) -> listRecordSets(p.get("zoneId"), req))
                .add("GET", API + "/hostedzone/{zoneId}", (req, p) -> getHostedZone(p.get("zoneId")))
                .add("GET", API + "/change/{changeId}", (req, p) -> getChange(p.get("changeId")));
    }

    @Override
    public Route53Simulator start() {
        super.start();
        return this;
    }

    // ---- configuration and seeding ----

    /** How long a change stays PENDING before GetChange answers INSYNC (default 0). */
    public void setPropagationDelayMs(long millis) {
        this.propagationDelayMs = millis;
    }

    /** Every change still PENDING answers INSYNC from now on (a propagation that ends early, at a test's choice). */
    public void syncPendingChanges() {
        Instant now = now();
        changes.replaceAll((id, c) -> c.inSyncAt().isAfter(now) ? new ChangeRecord(c.id(), c.submittedAt(), now, c.comment()) : c);
    }

    /** A public hosted zone with its apex NS and SOA records, as Route 53 creates them. */
    public void addHostedZone(String id, String name) {
        String zoneId = normaliseZoneId(id);
        String zoneName = Route53RecordSet.normaliseName(name);
        Zone zone = new Zone(zoneId, zoneName, new TreeMap<>(Route53RecordSet.LISTING_ORDER));
        List<String> nameServers = List.of("ns-101.awsdns-sim.com.", "ns-202.awsdns-sim.net.",
                "ns-303.awsdns-sim.org.", "ns-404.awsdns-sim.co.uk.");
        put(zone, new Route53RecordSet(zoneName, "NS", null, 172_800, nameServers));
        put(zone, new Route53RecordSet(zoneName, "SOA", null, 900,
                List.of(nameServers.get(0) + " awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400")));
        zones.put(zoneId, zone);
    }

    /** Seeds or replaces a simple record directly (no change id, no request recorded). */
    public void putRecord(String zoneId, String name, String type, long ttl, String... values) {
        Zone zone = zoneOrThrow(zoneId, IllegalArgumentException::new);
        synchronized (zone) {
            put(zone, new Route53RecordSet(name, type, null, ttl, List.of(values)));
        }
    }

    /** The current simple record (no SetIdentifier) of that name and type. */
    public Optional<Route53RecordSet> record(String zoneId, String name, String type) {
        Zone zone = zoneOrThrow(zoneId, IllegalArgumentException::new);
        synchronized (zone) {
            return Optional.ofNullable(zone.records().get(
                    new Route53RecordSet.Key(Route53RecordSet.normaliseName(name), type.toUpperCase(Locale.ROOT), null)));
        }
    }

    private static void put(Zone zone, Route53RecordSet set) {
        zone.records().put(set.key(), set);
    }

    // ---- request handling ----

    @Override
    protected SimResponse handle(SimRequest request) throws Exception {
        String auth = request.header("Authorization");
        if (auth == null || !auth.startsWith("AWS4-HMAC-SHA256")) {
            throw new SimHttpException(403, "MissingAuthenticationToken", "Missing Authentication Token");
        }
        return router.dispatch(request);
    }

    @Override
    protected SimResponse errorResponse(int status, String code, String message) {
        String awsCode = switch (code) {
            case "simulated.error", "internal.server.error" -> status == 503 ? "ServiceUnavailable" : "InternalFailure";
            case "not.found" -> "NotFound";
            case "method.not.allowed" -> "MethodNotAllowed";
            case "bad.request" -> "InvalidInput";
            default -> code;
        };
        String requestId = UUID.randomUUID().toString();
        return SimResponse.xml(status, Route53Xml.error(status >= 500 ? "Receiver" : "Sender", awsCode, message, requestId))
                .withHeader("x-amzn-RequestId", requestId);
    }

    /** Route 53 throttles with 400 Throttling, not 429. */
    @Override
    protected SimResponse rateLimitedResponse(int retryAfterSeconds) {
        return errorResponse(400, "Throttling", "Rate exceeded").withHeader("Retry-After", String.valueOf(retryAfterSeconds));
    }

    /** Applies every change to a copy of the zone; only when all of them are valid does the copy replace it. */
    private SimResponse changeRecordSets(String zoneIdParam, SimRequest request) {
        Zone zone = zoneOrThrow(zoneIdParam, msg -> new SimHttpException(404, "NoSuchHostedZone", msg));
        List<Route53Xml.Change> batch = Route53Xml.parseChangeBatch(request.body());
        ChangeRecord change;
        synchronized (zone) {
            TreeMap<Route53RecordSet.Key, Route53RecordSet> working = new TreeMap<>(zone.records());
            List<String> problems = new ArrayList<>();
            for (Route53Xml.Change c : batch) {
                apply(zone, working, c, problems);
            }
            if (!problems.isEmpty()) {
                throw new SimHttpException(400, "InvalidChangeBatch", problems.toString());
            }
            zone.records().clear();
            zone.records().putAll(working);
            Instant submitted = now();
            change = new ChangeRecord("C" + randomId(13), submitted, submitted.plusMillis(propagationDelayMs), null);
            changes.put(change.id(), change);
        }
        log.info("route53 change {} applied to zone {}: {}", change.id(), zone.id(),
                batch.stream().map(c -> c.action() + " " + c.recordSet().name() + " " + c.recordSet().type()
                        + " " + c.recordSet().values()).toList());
        return SimResponse.xml(200, new Route53Xml.Writer("ChangeResourceRecordSetsResponse")
                .start("ChangeInfo").element("Id", "/change/" + change.id()).element("Status", "PENDING")
                .element("SubmittedAt", timestamp(change.submittedAt())).end().finish());
    }

    private static void apply(Zone zone, TreeMap<Route53RecordSet.Key, Route53RecordSet> records,
                              Route53Xml.Change change, List<String> problems) {
        Route53RecordSet set = change.recordSet();
        String described = "[name='" + set.name() + "', type='" + set.type() + "'"
                + (set.setIdentifier() == null ? "" : ", set-identifier='" + set.setIdentifier() + "'") + "]";
        if (change.alias()) {
            throw new SimHttpException(400, "InvalidInput", "alias records are not supported by the simulator");
        }
        if (!TYPES.contains(set.type())) {
            throw new SimHttpException(400, "InvalidInput", "Invalid request: unknown record type " + set.type());
        }
        if (!change.hasTtl() || set.values().isEmpty()) {
            throw new SimHttpException(400, "InvalidInput", "Invalid request: Expected exactly one of [AliasTarget, all of [TTL, "
                    + "and ResourceRecords], or TrafficPolicyInstanceId], but found none in Change with [Action="
                    + change.action() + ", Name=" + set.name() + ", Type=" + set.type() + "]");
        }
        if (!set.name().equals(zone.name()) && !set.name().endsWith("." + zone.name())) {
            problems.add("RRSet with DNS name " + set.name() + " is not permitted in zone " + zone.name());
            return;
        }
        if (set.type().equals("CNAME") && set.values().size() > 1) {
            problems.add("RRSet of type CNAME with DNS name " + set.name() + " has more than one value");
            return;
        }
        Route53RecordSet existing = records.get(set.key());
        switch (change.action().toUpperCase(Locale.ROOT)) {
            case "CREATE" -> {
                if (existing != null) {
                    problems.add("Tried to create resource record set " + described + " but it already exists");
                } else if (conflictsWithCname(records, set)) {
                    problems.add("RRSet of type " + set.type() + " with DNS name " + set.name()
                            + " is not permitted as it conflicts with other records with the same DNS name in zone " + zone.name());
                } else {
                    records.put(set.key(), set);
                }
            }
            case "UPSERT" -> {
                if (existing == null && conflictsWithCname(records, set)) {
                    problems.add("RRSet of type " + set.type() + " with DNS name " + set.name()
                            + " is not permitted as it conflicts with other records with the same DNS name in zone " + zone.name());
                } else {
                    records.put(set.key(), set);
                }
            }
            case "DELETE" -> {
                if (existing == null) {
                    problems.add("Tried to delete resource record set " + described + " but it was not found");
                } else if (!existing.sameContentAs(set)) {
                    problems.add("Tried to delete resource record set " + described
                            + " but the values provided do not match the current values");
                } else if (set.name().equals(zone.name()) && (set.type().equals("SOA") || set.type().equals("NS"))) {
                    problems.add("A HostedZone must contain at least one NS record and one SOA record for the zone itself.");
                } else {
                    records.remove(set.key());
                }
            }
            default -> throw new SimHttpException(400, "InvalidInput", "Invalid request: unknown action " + change.action());
        }
    }

    /** A CNAME may not share its name with any other record, nor another record with a CNAME. */
    private static boolean conflictsWithCname(TreeMap<Route53RecordSet.Key, Route53RecordSet> records, Route53RecordSet set) {
        return records.values().stream().anyMatch(r -> r.name().equals(set.name())
                && !r.type().equals(set.type()) && (r.type().equals("CNAME") || set.type().equals("CNAME")));
    }

    private SimResponse getChange(String changeIdParam) {
        String id = changeIdParam.substring(changeIdParam.lastIndexOf('/') + 1);
        ChangeRecord change = changes.get(id);
        if (change == null) {
            throw new SimHttpException(404, "NoSuchChange", "A change with the specified change ID does not exist.");
        }
        String status = now().isBefore(change.inSyncAt()) ? "PENDING" : "INSYNC";
        return SimResponse.xml(200, new Route53Xml.Writer("GetChangeResponse").start("ChangeInfo")
                .element("Id", "/change/" + id).element("Status", status)
                .element("SubmittedAt", timestamp(change.submittedAt())).end().finish());
    }

    /** Starts at the first record at or after (name, type) in listing order, like Route 53. */
    private SimResponse listRecordSets(String zoneIdParam, SimRequest request) {
        Zone zone = zoneOrThrow(zoneIdParam, msg -> new SimHttpException(404, "NoSuchHostedZone", msg));
        String name = request.param("name");
        String type = request.param("type");
        String identifier = request.param("identifier");
        if (type != null && name == null) {
            throw new SimHttpException(400, "InvalidInput", "The input is not valid: type requires name");
        }
        int maxItems = MAX_ITEMS;
        if (request.param("maxitems") != null) {
            try {
                maxItems = Math.min(MAX_ITEMS, Integer.parseInt(request.param("maxitems")));
            } catch (NumberFormatException e) {
                throw new SimHttpException(400, "InvalidInput", "maxitems is not a number");
            }
        }
        List<Route53RecordSet> selected;
        synchronized (zone) {
            var view = name == null ? zone.records() : zone.records().tailMap(new Route53RecordSet.Key(
                    Route53RecordSet.normaliseName(name), type == null ? "" : type.toUpperCase(Locale.ROOT),
                    identifier), true);
            selected = new ArrayList<>(view.values());
        }
        boolean truncated = selected.size() > maxItems;
        Route53Xml.Writer xml = new Route53Xml.Writer("ListResourceRecordSetsResponse").start("ResourceRecordSets");
        selected.stream().limit(maxItems).forEach(xml::recordSet);
        xml.end().element("IsTruncated", truncated);
        if (truncated) {
            Route53RecordSet next = selected.get(maxItems);
            xml.element("NextRecordName", next.name()).element("NextRecordType", next.type());
            if (next.setIdentifier() != null) {
                xml.element("NextRecordIdentifier", next.setIdentifier());
            }
        }
        return SimResponse.xml(200, xml.element("MaxItems", maxItems).finish());
    }

    private SimResponse getHostedZone(String zoneIdParam) {
        Zone zone = zoneOrThrow(zoneIdParam, msg -> new SimHttpException(404, "NoSuchHostedZone", msg));
        int count;
        List<String> nameServers;
        synchronized (zone) {
            count = zone.records().size();
            nameServers = zone.records().get(new Route53RecordSet.Key(zone.name(), "NS", null)).values();
        }
        Route53Xml.Writer xml = new Route53Xml.Writer("GetHostedZoneResponse").start("HostedZone")
                .element("Id", "/hostedzone/" + zone.id()).element("Name", zone.name())
                .element("CallerReference", "simulated-" + zone.id())
                .start("Config").element("PrivateZone", false).end()
                .element("ResourceRecordSetCount", count).end()
                .start("DelegationSet").start("NameServers");
        nameServers.forEach(ns -> xml.element("NameServer", ns.substring(0, ns.length() - 1)));
        return SimResponse.xml(200, xml.end().end().finish());
    }

    // ---- helpers ----

    private Zone zoneOrThrow(String zoneId, java.util.function.Function<String, RuntimeException> error) {
        String id = normaliseZoneId(zoneId);
        Zone zone = zones.get(id);
        if (zone == null) {
            throw error.apply("No hosted zone found with ID: " + id);
        }
        return zone;
    }

    /** The SDK may send "Z123" or "/hostedzone/Z123" (its slash percent-encoded into one path segment). */
    static String normaliseZoneId(String id) {
        return id.substring(id.lastIndexOf('/') + 1);
    }

    private String randomId(int length) {
        char[] chars = new char[length];
        for (int i = 0; i < length; i++) {
            chars[i] = ID_CHARS[random.nextInt(ID_CHARS.length)];
        }
        return new String(chars);
    }

    private static String timestamp(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.MILLIS));
    }
}
