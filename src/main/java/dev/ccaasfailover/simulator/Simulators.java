package dev.ccaasfailover.simulator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Genesys, NICE and Route 53 simulators and a SIP trunk (UAS over UDP) per platform, on free loopback ports, with
 * a small demo organisation, for the product's {@code --drill} mode and for tests. Closing it closes them all.
 */
public final class Simulators implements AutoCloseable {

    public static final String TRUNK_BASE_SETTINGS_ID = "tbs-genesys-1";
    public static final String HOSTED_ZONE_ID = "Z0SIMULATED";
    public static final String HOSTED_ZONE_NAME = "voiceservices.example.com";
    public static final String RECORD_NAME = "inbound.voiceservices.example.com";
    public static final String GENESYS_TRUNK_HOST = "genesys-primary.trunk.example.com";
    public static final String NICE_TRUNK_HOST = "nice-secondary.trunk.example.com";
    public static final String GENESYS_QUEUE_BILLING = "q-billing";
    public static final String GENESYS_QUEUE_SUPPORT = "q-support";
    public static final String NICE_SKILL_BILLING = "4001";
    public static final String NICE_SKILL_SUPPORT = "4002";
    public static final String CARRIER_TRUNK_SID = "TK0d1e5e1f0a1c0de0d1e5e1f0a1c0de00";
    public static final String GENESYS_ORIGINATION_URL = "sip:" + GENESYS_TRUNK_HOST + ":5060;transport=tcp";
    public static final String NICE_ORIGINATION_URL = "sip:" + NICE_TRUNK_HOST + ":5060;transport=tcp";

    private static final Logger LOG = LoggerFactory.getLogger(Simulators.class);

    private final GenesysSimulator genesys;
    private final NiceSimulator nice;
    private final Route53Simulator route53;
    private final TwilioSimulator twilio;
    private SipUas genesysTrunk;
    private SipUas niceTrunk;

    private Simulators(GenesysSimulator genesys, NiceSimulator nice, Route53Simulator route53, TwilioSimulator twilio) {
        this.genesys = genesys;
        this.nice = nice;
        this.route53 = route53;
        this.twilio = twilio;
    }

    /** Starts all four (Genesys, NICE, Route 53, the carrier's Twilio trunk) on free ports and seeds the demo organisation. */
    public static Simulators startDemo() {
        GenesysSimulator genesys = new GenesysSimulator(0);
        NiceSimulator nice = new NiceSimulator(0);
        Route53Simulator route53 = new Route53Simulator(0);
        TwilioSimulator twilio = new TwilioSimulator(0);
        Simulators all = new Simulators(genesys, nice, route53, twilio);
        try {
            genesys.start();
            nice.start();
            route53.start();
            twilio.start();
            all.genesysTrunk = SipUas.start(dev.ccaasfailover.sip.SipTransport.UDP, 0);
            all.niceTrunk = SipUas.start(dev.ccaasfailover.sip.SipTransport.UDP, 0);
            all.seedDemo();
        } catch (RuntimeException | java.io.IOException e) {
            all.close();
            throw e instanceof RuntimeException r ? r : new java.io.UncheckedIOException((java.io.IOException) e);
        }
        LOG.info("simulators up: genesys {} nice {} route53 {}", genesys.baseUrl(), nice.baseUrl(), route53.baseUrl());
        return all;
    }

    /** One person of the demo organisation, on both platforms. */
    public record DemoAgent(String genesysUserId, int niceAgentId, String email) { }

    private static final String[][] PEOPLE = {
            {"alice.agent", "Alice Agent", "Available", "IDLE"},
            {"bob.builder", "Bob Builder", "On Queue", "INTERACTING"},
            {"carol.chen", "Carol Chen", "Break", "OFF_QUEUE"},
            {"dave.diaz", "Dave Diaz", "Meal", "OFF_QUEUE"},
            {"erin.evans", "Erin Evans", "Offline", "OFF_QUEUE"},
            {"frank.fox", "Frank Fox", "On Queue", "IDLE"},
    };

    public static java.util.List<DemoAgent> demoAgents() {
        java.util.List<DemoAgent> agents = new java.util.ArrayList<>();
        for (int i = 0; i < PEOPLE.length; i++) {
            agents.add(new DemoAgent("u-" + PEOPLE[i][0], 1001 + i, PEOPLE[i][0] + "@example.com"));
        }
        return agents;
    }

    /** The same people on both platforms, matched by e-mail, with mixed presences. */
    private void seedDemo() {
        String[][] people = PEOPLE;
        genesys.addQueue(GENESYS_QUEUE_BILLING, "Billing");
        genesys.addQueue(GENESYS_QUEUE_SUPPORT, "Support");
        genesys.addTrunkBaseSettings(TRUNK_BASE_SETTINGS_ID, "Primary carrier trunk", true);
        nice.addTeam("10", "Failover Team");
        nice.addSkill(NICE_SKILL_BILLING, "Billing");
        nice.addSkill(NICE_SKILL_SUPPORT, "Support");
        for (int i = 0; i < people.length; i++) {
            String[] p = people[i];
            String email = p[0] + "@example.com";
            String userId = "u-" + p[0];
            genesys.addAgent(userId, p[1], email, p[2], p[3]);
            genesys.addQueueMember(i % 2 == 0 ? GENESYS_QUEUE_BILLING : GENESYS_QUEUE_SUPPORT, userId);
            nice.addAgent(1001 + i, p[0], email, "10");
        }
        // A quiet afternoon: room on both skills (capacity routing answers agent until a drill or test says otherwise).
        nice.setSkillActivity(NICE_SKILL_BILLING, 6, 2, 0, 4, 0);
        nice.setSkillActivity(NICE_SKILL_SUPPORT, 6, 1, 0, 5, 0);
        route53.addHostedZone(HOSTED_ZONE_ID, HOSTED_ZONE_NAME);
        route53.putRecord(HOSTED_ZONE_ID, RECORD_NAME, "CNAME", 60, GENESYS_TRUNK_HOST);
        // The carrier trunk as often found: the primary only, so callers whose carrier caches DNS have nowhere to go.
        twilio.addTrunk(CARRIER_TRUNK_SID);
        twilio.addOriginationUrl(CARRIER_TRUNK_SID, "genesys", GENESYS_ORIGINATION_URL, 10, 10, true);
    }

    public TwilioSimulator twilio() {
        return twilio;
    }

    /** The carrier trunk's keys (with the runbook's swap on); not in {@link #middlewareProperties()}: tests opt in. */
    public java.util.Map<String, String> carrierProperties() {
        java.util.Map<String, String> p = new java.util.LinkedHashMap<>();
        String c = "failover.carrier.twilio.";
        p.put(c + "trunk-sid", CARRIER_TRUNK_SID);
        p.put(c + "username", twilio.apiKeySid());
        p.put(c + "secret", twilio.apiKeySecret());
        p.put(c + "sip-url.genesys", GENESYS_ORIGINATION_URL);
        p.put(c + "sip-url.nice", NICE_ORIGINATION_URL);
        p.put(c + "base-url", twilio.apiBaseUrl());
        p.put(c + "swap", "true");
        return p;
    }

    public GenesysSimulator genesys() {
        return genesys;
    }

    public NiceSimulator nice() {
        return nice;
    }

    public Route53Simulator route53() {
        return route53;
    }

    public SipUas genesysTrunk() {
        return genesysTrunk;
    }

    public SipUas niceTrunk() {
        return niceTrunk;
    }

    /** The middleware's configuration for talking to these simulators (credentials are the simulators' own). */
    public java.util.Map<String, String> middlewareProperties() {
        java.util.Map<String, String> p = new java.util.LinkedHashMap<>();
        String g = "failover.platform.genesys.";
        p.put(g + "base-url", genesys.baseUrl());
        p.put(g + "token-url", genesys.tokenUrl());
        p.put(g + "client-id", genesys.clientId());
        p.put(g + "client-secret", genesys.clientSecret());
        p.put(g + "api-health-url", genesys.baseUrl() + "/api/v2/organizations/me");
        p.put(g + "sip-uri", genesysTrunk.uri());
        p.put(g + "trunk-base-settings-ids", TRUNK_BASE_SETTINGS_ID);
        String n = "failover.platform.nice.";
        p.put(n + "base-url", nice.baseUrl());
        p.put(n + "token-url", nice.tokenUrl());
        p.put(n + "client-id", nice.clientId());
        p.put(n + "client-secret", nice.clientSecret());
        p.put(n + "access-key-id", nice.accessKeyId());
        p.put(n + "access-key-secret", nice.accessKeySecret());
        p.put(n + "api-health-url", nice.apiBaseUrl() + "/agents?top=1");
        p.put(n + "sip-uri", niceTrunk.uri());
        p.put("failover.dns.provider", "route53");
        p.put("failover.dns.record-name", RECORD_NAME);
        p.put("failover.dns.target.genesys", GENESYS_TRUNK_HOST);
        p.put("failover.dns.target.nice", NICE_TRUNK_HOST);
        p.put("failover.dns.route53.hosted-zone-id", HOSTED_ZONE_ID);
        p.put("failover.dns.route53.endpoint", route53.baseUrl());
        return p;
    }

    @Override
    public void close() {
        genesys.close();
        nice.close();
        route53.close();
        twilio.close();
        if (genesysTrunk != null) {
            genesysTrunk.close();
        }
        if (niceTrunk != null) {
            niceTrunk.close();
        }
    }
}
