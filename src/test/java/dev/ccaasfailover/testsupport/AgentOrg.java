package dev.ccaasfailover.testsupport;

import dev.ccaasfailover.simulator.GenesysSimulator;
import dev.ccaasfailover.simulator.NiceSimulator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A contact center of N agents on both simulators for the agent-sync tests and benchmark: mixed presences (including an
 * unknown "Vacation" and Offline), 1-2 queues each out of three mapped and one unmapped queue, every 40th agent missing
 * on NICE (unmatched), one agent with a different NICE e-mail paired by agents.yaml, and a few already in their mapped
 * state on NICE.
 */
public final class AgentOrg {

    /** Genesys presence as answered -> expected NICE state after a sync (null = skipped, left as seeded). */
    public static final String[][] PRESENCES = {
            {"On Queue", "Available"}, {"Available", "Available"}, {"Break", "Unavailable/Break"}, {"Meal", "Unavailable/Meal"},
            {"TRAINING", "Unavailable/Training"}, {"Meeting", "Unavailable/Meeting"}, {"Away", "Unavailable/Away"},
            {"Busy", "Unavailable/Away"}, {"Idle", "Unavailable/Away"}, {"Offline", null}, {"Vacation", "Unavailable/SystemMaintenance"},
            {"On Queue", "Available"}};
    public static final List<String> QUEUES = List.of("q-billing", "q-support", "q-sales", "q-legacy");
    public static final String UNMAPPED_QUEUE = "q-legacy";
    public static final String OVERRIDE_INDEX_EMAIL = "agent00007@example.com";
    public static final String OVERRIDE_NICE_EMAIL = "a.seven@nice.example.com";

    public record Person(int index, String genesysId, String email, String presence, String expectedState, boolean onNice,
                         int niceId, List<String> queues) {
    }

    private AgentOrg() {
    }

    public static List<Person> people(int n) {
        List<Person> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String[] p = PRESENCES[i % PRESENCES.length];
            List<String> queues = new ArrayList<>();
            queues.add(QUEUES.get(i % 3));
            if (i % 4 == 0) {
                queues.add(QUEUES.get((i / 4) % 4 == 3 ? 3 : ((i % 3) + 1) % 3));
            }
            out.add(new Person(i, String.format("g-%05d", i), String.format("agent%05d@example.com", i), p[0], p[1],
                    i % 40 != 39, 200_000 + i, List.copyOf(new java.util.LinkedHashSet<>(queues))));
        }
        return out;
    }

    public static List<Person> seed(GenesysSimulator genesys, NiceSimulator nice, int n) {
        QUEUES.forEach(q -> genesys.addQueue(q, q.substring(2)));
        nice.addTeam("10", "Team");
        nice.addSkill("4001", "Billing");
        nice.addSkill("4002", "Support");
        nice.addSkill("4003", "Sales");
        List<Person> people = people(n);
        for (Person p : people) {
            genesys.addAgent(p.genesysId(), String.format("Agent %05d", p.index()), p.email(), p.presence(),
                    p.presence().equals("Offline") ? "OFF_QUEUE" : "IDLE");
            p.queues().forEach(q -> genesys.addQueueMember(q, p.genesysId()));
            if (p.onNice()) {
                String email = p.email().equals(OVERRIDE_INDEX_EMAIL) ? OVERRIDE_NICE_EMAIL : p.email();
                nice.addAgent(p.niceId(), "agent" + p.index(), email, "10");
                if (loggedInAtStart(p)) { // logged in, already where the sync would put it: must stay unchanged
                    nice.setAgentState(p.niceId(), "Available", 0);
                }
            }
        }
        return people;
    }

    /** Logged in on NICE before the failover (and Available); every other agent is LoggedOut until it logs in. */
    public static boolean loggedInAtStart(Person p) {
        return p.onNice() && p.index() % 10 == 1;
    }

    /** A mappings folder for this org: the shipped presence.yaml, queues for the three mapped queues, one override. */
    public static Path mappingsDir() throws IOException {
        Path dir = Files.createTempDirectory("agent-mappings");
        Files.copy(Path.of("mappings", "presence.yaml"), dir.resolve("presence.yaml"));
        // a configured site reads every mapping file from its folder (no jar fallback): the events mapping as shipped
        Files.copy(Path.of("mappings", "events.yaml"), dir.resolve("events.yaml"));
        Files.writeString(dir.resolve("queues.yaml"), """
                failover:
                  - {genesysQueueId: q-billing, niceSkillId: "4001", proficiency: 1}
                  - {genesysQueueId: q-support, niceSkillId: "4002", proficiency: 2}
                  - {genesysQueueId: q-sales, niceSkillId: "4003"}
                failback:
                  - {niceSkillId: "4001", genesysQueueId: q-billing}
                  - {niceSkillId: "4002", genesysQueueId: q-support}
                  - {niceSkillId: "4003", genesysQueueId: q-sales}
                """);
        Files.writeString(dir.resolve("agents.yaml"), "agents:\n  - {genesys: " + OVERRIDE_INDEX_EMAIL + ", nice: "
                + OVERRIDE_NICE_EMAIL + "}\n");
        return dir;
    }

    /** The skills an agent must hold on NICE after a failover sync. */
    public static List<String> expectedSkills(Person p) {
        List<String> skills = new ArrayList<>();
        for (String q : p.queues()) {
            switch (q) {
                case "q-billing" -> skills.add("4001");
                case "q-support" -> skills.add("4002");
                case "q-sales" -> skills.add("4003");
                default -> { }
            }
        }
        return skills;
    }

    /** The most requests of {@code times} (sorted or not) in any window of {@code windowMillis}. */
    public static int maxInWindow(List<java.time.Instant> times, long windowMillis) {
        List<Long> ms = times.stream().map(java.time.Instant::toEpochMilli).sorted().toList();
        int max = 0;
        int start = 0;
        for (int end = 0; end < ms.size(); end++) {
            while (ms.get(end) - ms.get(start) >= windowMillis) {
                start++;
            }
            max = Math.max(max, end - start + 1);
        }
        return max;
    }
}
