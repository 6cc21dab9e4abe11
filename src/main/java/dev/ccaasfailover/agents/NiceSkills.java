package dev.ccaasfailover.agents;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccaasfailover.platform.VendorEndpoints;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * NICE agents' skill assignments (docs/vendor-apis.md §5): every page of an agent's skills (endpoint {@code agentSkills}) is read, and only
 * what differs is written: a skill the agent lacks is assigned (POST), one held at another proficiency or inactive is
 * modified (PUT, with {@code isActive}), an equal one is left alone. Agents who need the same new skills are assigned
 * them together through the bulk call (endpoint {@code bulkSkills}, {@code agentAndSkillDetails}).
 *
 * <p>Errors stay per agent: a bulk request's {@code skillResults} name the agent they belong to, a request NICE refuses
 * as a whole fails each agent in it, and every failed agent is read once more, so a write that did land (a retry after
 * a lost answer, refused as "already assigned") counts as done. Bulk writes are add-or-modify and so safe to repeat.
 */
public final class NiceSkills {

    /** Agents per bulk request; NICE's own limit is unconfirmed, so requests are kept modest. */
    static final int BULK_AGENTS = 100;

    /** One assignment as NICE lists it ({@code agentProficiencyValue}, {@code isActive}). */
    public record Assignment(String skillId, String skillName, int proficiency, boolean active) {
    }

    /** What one agent needs: skill id to proficiency, to assign (new) and to modify (held differently). */
    public record Change(Map<String, Integer> assign, Map<String, Integer> modify) {
        public boolean isEmpty() {
            return assign.isEmpty() && modify.isEmpty();
        }
    }

    /**
     * One agent's skills after the phase.
     *
     * @param changes what was (or, in a dry run, would be) written, null when nothing
     * @param failure why NICE did not take it, null when it did
     */
    public record Result(String changes, String failure) {
    }

    /** Skill writes of a run: assignments and modifications sent, and the requests that carried them. */
    public record Writes(int assigned, int modified, int requests) {
        public Map<String, Integer> toMap() {
            Map<String, Integer> m = new LinkedHashMap<>();
            m.put("assigned", assigned);
            m.put("modified", modified);
            m.put("requests", requests);
            return m;
        }
    }

    public record Outcome(Map<String, Result> byAgent, Writes writes) {
    }

    private record Read(String agentId, Change change, String error) {
    }

    private final VendorHttp http;
    private final VendorEndpoints endpoints;
    private final int concurrency;

    public NiceSkills(VendorHttp http, VendorEndpoints endpoints, int concurrency) {
        this.http = http;
        this.endpoints = endpoints;
        this.concurrency = concurrency;
    }

    private String skillsOf(String agentId) {
        return endpoints.path("agentSkills", "agentId", agentId);
    }

    /** Every assignment of one agent, by skill id, over all pages. */
    public Map<String, Assignment> read(String agentId) {
        Map<String, Assignment> have = new LinkedHashMap<>();
        for (JsonNode s : NicePages.all(http, skillsOf(agentId), "agentSkillAssignments")) {
            String id = s.path("skillId").asText();
            have.put(id, new Assignment(id, s.path("skillName").asText(""), s.path("agentProficiencyValue").asInt(0),
                    s.path("isActive").asBoolean(false)));
        }
        return have;
    }

    /** Pure: what must be written so that the agent holds {@code wanted} (skill id to proficiency), active. */
    public static Change diff(Map<String, Integer> wanted, Map<String, Assignment> have) {
        Map<String, Integer> assign = new TreeMap<>();
        Map<String, Integer> modify = new TreeMap<>();
        wanted.forEach((skill, proficiency) -> {
            Assignment h = have.get(skill);
            if (h == null) {
                assign.put(skill, proficiency);
            } else if (!h.active() || h.proficiency() != proficiency) {
                modify.put(skill, proficiency);
            }
        });
        return new Change(assign, modify);
    }

    /**
     * Brings every agent's skills to what {@code wanted} says (agent id to skill id to proficiency); with
     * {@code dryRun} only reads. Agents with nothing wanted are not read.
     */
    public Outcome sync(Map<String, Map<String, Integer>> wanted, boolean dryRun) {
        List<String> agents = wanted.entrySet().stream().filter(e -> !e.getValue().isEmpty()).map(Map.Entry::getKey).toList();
        Map<String, Result> results = new ConcurrentHashMap<>();
        Map<String, Change> changes = new LinkedHashMap<>();
        Map<String, Map<String, Assignment>> held = new ConcurrentHashMap<>();
        List<Read> reads = BoundedParallel.map(agents, concurrency, "nice-skills-read", id -> {
            try {
                held.put(id, read(id));
                return new Read(id, diff(wanted.get(id), held.get(id)), null);
            } catch (VendorCallException e) {
                return new Read(id, null, e.getMessage());
            }
        });
        for (Read r : reads) {
            if (r.error() != null) {
                results.put(r.agentId(), new Result(null, "skills not read: " + r.error()));
            } else if (!r.change().isEmpty()) {
                changes.put(r.agentId(), r.change());
            }
        }
        changes.forEach((id, c) -> results.put(id, new Result(describe(c, held.get(id)), null)));
        if (dryRun || changes.isEmpty()) {
            return new Outcome(results, new Writes(0, 0, 0));
        }

        AtomicInteger assigned = new AtomicInteger();
        AtomicInteger modified = new AtomicInteger();
        Map<String, List<String>> failures = new ConcurrentHashMap<>();
        List<Runnable> writes = new ArrayList<>();
        // Agents who need the same new skills share a bulk request; an agent alone uses its own POST.
        Map<Map<String, Integer>, List<String>> byNewSkills = new LinkedHashMap<>();
        changes.forEach((id, c) -> {
            if (!c.assign().isEmpty()) {
                byNewSkills.computeIfAbsent(c.assign(), k -> new ArrayList<>()).add(id);
            }
            if (!c.modify().isEmpty()) {
                writes.add(() -> {
                    modified.addAndGet(c.modify().size());
                    write("PUT", skillsOf(id), endpoints.body("agentSkills", "skills", skillList(c.modify())), List.of(id), failures);
                });
            }
        });
        byNewSkills.forEach((skills, ids) -> {
            for (int from = 0; from < ids.size(); from += BULK_AGENTS) {
                List<String> chunk = ids.subList(from, Math.min(ids.size(), from + BULK_AGENTS));
                writes.add(() -> {
                    assigned.addAndGet(skills.size() * chunk.size());
                    if (chunk.size() == 1) {
                        write("POST", skillsOf(chunk.get(0)), endpoints.body("agentSkills", "skills", skillList(skills)), chunk, failures);
                    } else {
                        write("POST", endpoints.path("bulkSkills"),
                                endpoints.body("bulkSkills", "agentIds", chunk, "skills", skillList(skills)), chunk, failures);
                    }
                });
            }
        });
        BoundedParallel.map(writes, concurrency, "nice-skills-write", w -> {
            w.run();
            return Boolean.TRUE;
        });

        // A failed agent is read again: what NICE holds now is the answer (a write that landed despite an error counts).
        List<String> failed = List.copyOf(failures.keySet());
        BoundedParallel.map(failed, concurrency, "nice-skills-check", id -> {
            String why = String.join("; ", failures.get(id));
            try {
                Change left = diff(wanted.get(id), read(id));
                if (left.isEmpty()) {
                    return Boolean.TRUE;
                }
                results.put(id, new Result(describe(changes.get(id), held.get(id)), "NICE refused skills: " + why));
            } catch (VendorCallException e) {
                results.put(id, new Result(describe(changes.get(id), held.get(id)), "NICE refused skills: " + why
                        + " (and the re-read failed: " + e.getMessage() + ")"));
            }
            return Boolean.FALSE;
        });
        return new Outcome(results, new Writes(assigned.get(), modified.get(), writes.size()));
    }

    /** Sends one skill write; records each refused skill against the agent it names, or against all the request's agents. */
    private void write(String method, String path, JsonNode body, List<String> agents, Map<String, List<String>> failures) {
        JsonNode answer;
        try {
            answer = http.call(method, path, body);
        } catch (VendorCallException e) {
            agents.forEach(id -> fail(failures, id, e.getMessage()));
            return;
        }
        JsonNode resultSet = answer.path("resultSet");
        int errors = resultSet.path("errorCount").asInt(0);
        if (errors == 0) {
            return;
        }
        boolean detailed = false;
        for (JsonNode r : resultSet.path("skillResults")) {
            if (r.path("success").asBoolean(true)) {
                continue;
            }
            String why = r.path("skillId").asText("?") + ": " + r.path("error").asText("refused");
            String agent = r.path("agentId").asText("");
            // a result that names none of the request's agents counts against all of them
            (agents.contains(agent) ? List.of(agent) : agents).forEach(id -> fail(failures, id, why));
            detailed = true;
        }
        if (!detailed) {
            agents.forEach(id -> fail(failures, id, errors + " error(s) without detail"));
        }
    }

    private static void fail(Map<String, List<String>> failures, String agent, String why) {
        failures.computeIfAbsent(agent, k -> Collections.synchronizedList(new ArrayList<>())).add(why);
    }

    /** The {@code skill} body (assigned or modified active) of each skill, at its proficiency. */
    private List<JsonNode> skillList(Map<String, Integer> skills) {
        List<JsonNode> list = new ArrayList<>();
        skills.forEach((id, proficiency) -> list.add(endpoints.body("skill", "skillId", id, "proficiency", proficiency)));
        return list;
    }

    private static String describe(Change c, Map<String, Assignment> have) {
        List<String> parts = new ArrayList<>();
        if (!c.assign().isEmpty()) {
            parts.add("+skills " + String.join(",", c.assign().keySet()));
        }
        if (!c.modify().isEmpty()) {
            List<String> m = new ArrayList<>();
            c.modify().forEach((id, p) -> {
                Assignment h = have == null ? null : have.get(id);
                m.add(id + (h == null ? "" : !h.active() ? " re-activated" + (h.proficiency() != p ? ", proficiency " + h.proficiency() + "->" + p : "")
                        : " proficiency " + h.proficiency() + "->" + p));
            });
            parts.add("skills " + String.join(", ", m));
        }
        return String.join("; ", parts);
    }
}
