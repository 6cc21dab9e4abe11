package dev.ccaasfailover.carrier;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ccaasfailover.http.ApiException;
import dev.ccaasfailover.http.Json;
import dev.ccaasfailover.runbook.StepFailedException;
import dev.ccaasfailover.runbook.StepState;
import org.apache.camel.Body;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The carrier's failover trunk (the guide's edge case 1): for the callers whose carrier still resolves the voice
 * record to the dead primary, only the carrier's own failover (origination URLs tried by priority) reaches the
 * secondary. This reads the trunk, says how it differs from its {@link CarrierShape} (GET /status, a WARN when that
 * changes, at start-up too) and writes the shape on request (POST /carrier/apply).
 *
 * <p>The shape checked is the normal one, the primary preferred. {@code prefer: secondary} on apply is the
 * operator's priority swap (new calls straight to the secondary); the check then reports the swap as drift until
 * the trunk is restored.
 */
public class CarrierFailoverTrunk {

    private static final Logger LOG = LoggerFactory.getLogger(CarrierFailoverTrunk.class);
    private static final Set<String> APPLY_FIELDS = Set.of("dryRun", "prefer");

    private final TwilioTrunk trunk;
    private final CarrierShape normal;
    private final Clock clock;
    private final String primary;
    private final boolean swapInRuns;
    private volatile Map<String, Object> lastCheck;

    /**
     * @param primary    the primary platform's id: a run towards it restores the normal shape, a run away from it swaps
     * @param swapInRuns failover.carrier.twilio.swap: the runbook's carrier step acts (else it is skipped)
     */
    public CarrierFailoverTrunk(TwilioTrunk trunk, CarrierShape normal, Clock clock, String primary, boolean swapInRuns) {
        this.trunk = trunk;
        this.normal = normal;
        this.clock = clock;
        this.primary = primary;
        this.swapInRuns = swapInRuns;
        this.lastCheck = trunk == null ? null : Map.of("trunkSid", trunk.trunkSid(), "checked", false);
    }

    /** Without failover.carrier.twilio.trunk-sid: no checks, nothing in /status, apply refused, the run step skipped. */
    public static CarrierFailoverTrunk off() {
        return new CarrierFailoverTrunk(null, null, null, null, false);
    }

    // ---- the runbook's carrier step (routes/failover-step-carrier.camel.yaml) ----

    /**
     * The carrier step's state for a run towards {@code targetPlatform}: the target's URL preferred (priority 10), the
     * other next (20). Holds when the trunk needs no write; not applicable without a trunk or with swap off.
     */
    public StepState read(String targetPlatform) {
        if (trunk == null) {
            return new StepState("carrier", "n/a", "n/a", true, "carrier.twilio.trunk-sid not set");
        }
        if (!swapInRuns) {
            return new StepState("carrier", "n/a", "n/a", true, "carrier.twilio.swap=false (the trunk is checked, not swapped)");
        }
        List<OriginationUrl> urls = listForStep();
        boolean holds = towards(targetPlatform).plan(urls).isEmpty();
        String current = urls.stream().filter(OriginationUrl::enabled)
                .sorted(java.util.Comparator.comparingInt(OriginationUrl::priority))
                .map(u -> u.sipUrl() + " priority " + u.priority()).collect(java.util.stream.Collectors.joining(", "));
        return new StepState("carrier", current.isEmpty() ? "no enabled origination URL" : current,
                targetPlatform + " preferred (priority " + CarrierShape.PREFERRED_PRIORITY + "), the other at "
                        + CarrierShape.OTHER_PRIORITY, holds, null);
    }

    /** The carrier step's action: the writes that prefer {@code targetPlatform}, in their safe order. */
    public String swap(String targetPlatform) {
        List<TrunkWrite> writes = towards(targetPlatform).plan(listForStep());
        try {
            applyInOrder(writes);
        } catch (WriteRefused refused) {
            throw stepFailure(refused.where() + " refused (" + refused.applied() + " applied)", refused.cause());
        }
        return "carrier trunk " + trunk.trunkSid() + ": " + writes.size() + " write(s), " + targetPlatform + " preferred";
    }

    /** Applies the writes in their safe order and stops at the first refusal: each write is safe on its own. */
    private void applyInOrder(List<TrunkWrite> writes) throws WriteRefused {
        for (int applied = 0; applied < writes.size(); applied++) {
            try {
                writes.get(applied).applyTo(trunk);
            } catch (TwilioCallException e) {
                throw new WriteRefused(applied, writes.size(), e);
            }
        }
    }

    /** Write {@code applied + 1} of {@code total} was refused; the ones before it stay applied. */
    private static final class WriteRefused extends Exception {
        private final int applied;
        private final int total;

        WriteRefused(int applied, int total, TwilioCallException cause) {
            super(null, cause, false, false);
            this.applied = applied;
            this.total = total;
        }

        String where() {
            return "write " + (applied + 1) + " of " + total;
        }

        int applied() {
            return applied;
        }

        TwilioCallException cause() {
            return (TwilioCallException) getCause();
        }
    }

    private CarrierShape towards(String targetPlatform) {
        return normal.preferring(targetPlatform.equals(primary) ? CarrierShape.Preferred.PRIMARY : CarrierShape.Preferred.SECONDARY);
    }

    private List<OriginationUrl> listForStep() {
        try {
            return trunk.list();
        } catch (TwilioCallException e) {
            throw stepFailure("the trunk could not be read", e);
        }
    }

    /** No answer, 429 and 5xx are worth another attempt; a 4xx (credentials, a SID, a validation) is not. */
    private static StepFailedException stepFailure(String what, TwilioCallException e) {
        boolean retryable = e.status() == 0 || e.status() == 429 || e.status() >= 500;
        return new StepFailedException("carrier: " + what + ": " + describe(e), retryable);
    }

    public boolean configured() {
        return trunk != null;
    }

    /** Reads the trunk and compares it with the normal shape; logs a WARN when the findings change (and at the first). */
    public synchronized List<String> check() {
        if (trunk == null) {
            return List.of();
        }
        Map<String, Object> previous = lastCheck;
        Map<String, Object> now = new LinkedHashMap<>();
        now.put("trunkSid", trunk.trunkSid());
        now.put("checked", true);
        now.put("checkedAt", clock.instant().toString());
        List<String> drift;
        try {
            drift = normal.check(trunk.list());
            now.put("inShape", drift.isEmpty());
            now.put("drift", drift);
        } catch (TwilioCallException e) {
            drift = List.of();
            now.put("inShape", null);
            now.put("error", describe(e));
        }
        lastCheck = Map.copyOf(withoutNulls(now));
        boolean changed = !java.util.Objects.equals(previous.get("drift"), now.get("drift"))
                || !java.util.Objects.equals(previous.get("error"), now.get("error"));
        if (changed) {
            if (now.containsKey("error") && now.get("error") != null) {
                LOG.warn("Carrier trunk {} could not be read: {}", trunk.trunkSid(), now.get("error"));
            } else if (!drift.isEmpty()) {
                LOG.warn("Carrier trunk {} is not in its failover shape: {}; POST /carrier/apply {{\"dryRun\": true}} shows the fix",
                        trunk.trunkSid(), String.join("; ", drift));
            } else {
                LOG.info("Carrier trunk {} is in its failover shape (primary priority {}, secondary {})", trunk.trunkSid(),
                        CarrierShape.PREFERRED_PRIORITY, CarrierShape.OTHER_PRIORITY);
            }
        }
        return drift;
    }

    /** GET /status: the latest check under {@code carrier}. */
    public void addTo(@Body Map<String, Object> status) {
        if (trunk != null) {
            status.put("carrier", lastCheck);
        }
    }

    /**
     * POST /carrier/apply {@code {"dryRun": true|false, "prefer": "primary"|"secondary"}}: the writes that give the
     * trunk its shape (the primary preferred unless {@code prefer} says otherwise); applied in order unless a dry
     * run, then the trunk is read again. A Twilio refusal stops the writes where they are (each is safe on its own:
     * {@link CarrierShape#plan}) and answers 502 with Twilio's reason.
     */
    public synchronized Map<String, Object> apply(@Body byte[] body) {
        if (trunk == null) {
            throw new ApiException(409, "no carrier trunk configured: set failover.carrier.twilio.trunk-sid (README, Carrier"
                    + " failover trunk)", null);
        }
        ApplyRequest request = ApplyRequest.parse(body);
        CarrierShape shape = normal.preferring(request.prefer());
        List<TrunkWrite> writes;
        try {
            writes = shape.plan(trunk.list());
        } catch (TwilioCallException e) {
            throw new ApiException(502, "the carrier trunk could not be read: " + describe(e), null);
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("trunkSid", trunk.trunkSid());
        answer.put("dryRun", request.dryRun());
        answer.put("prefer", request.prefer().name().toLowerCase(java.util.Locale.ROOT));
        answer.put("writes", writes.stream().map(CarrierFailoverTrunk::view).toList());
        if (request.dryRun()) {
            return answer;
        }
        try {
            applyInOrder(writes);
        } catch (WriteRefused refused) {
            LOG.warn("Carrier trunk {}: {} refused: {}", trunk.trunkSid(), refused.where(), describe(refused.cause()));
            throw new ApiException(502, refused.where() + " refused by the carrier (" + describe(refused.cause()) + "); "
                    + refused.applied() + " applied before it; the trunk still routes calls", null);
        }
        LOG.info("Carrier trunk {}: {} write(s) applied, {} preferred", trunk.trunkSid(), writes.size(), answer.get("prefer"));
        answer.put("applied", writes.size());
        try {
            answer.put("drift", shape.check(trunk.list()));
        } catch (TwilioCallException e) {
            answer.put("drift", List.of("not read back: " + describe(e)));
        }
        check();
        return answer;
    }

    private static Map<String, Object> view(TrunkWrite write) {
        Map<String, Object> v = new LinkedHashMap<>();
        if (write instanceof TrunkWrite.Create c) {
            v.put("action", "create");
            v.put("sipUrl", c.sipUrl());
            v.put("priority", c.priority());
            v.put("weight", c.weight());
            v.put("enabled", c.enabled());
        } else if (write instanceof TrunkWrite.Update u) {
            v.put("action", "update");
            v.put("sid", u.sid());
            v.putAll(withoutNulls(Json.MAPPER.convertValue(u.change(), LinkedHashMap.class)));
        }
        return v;
    }

    private static String describe(TwilioCallException e) {
        return (e.status() == 0 ? "no answer" : "HTTP " + e.status()) + (e.twilioCode() == 0 ? "" : ", Twilio error " + e.twilioCode())
                + ": " + e.getMessage();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Map<String, Object> withoutNulls(Map m) {
        Map<String, Object> out = new LinkedHashMap<>();
        ((Map<String, Object>) m).forEach((k, v) -> {
            if (v != null) {
                out.put(k, v);
            }
        });
        return out;
    }

    record ApplyRequest(boolean dryRun, CarrierShape.Preferred prefer) {
        static ApplyRequest parse(byte[] body) {
            if (body == null || new String(body, java.nio.charset.StandardCharsets.ISO_8859_1).isBlank()) {
                throw ApiException.badRequest("body", "required: {\"dryRun\": true} (the writes only) or {\"dryRun\": false}");
            }
            Json.requireUtf8(body);
            JsonNode json;
            try {
                json = Json.MAPPER.readTree(body);
            } catch (JsonProcessingException e) {
                throw ApiException.badRequest("body", "not valid JSON (" + e.getOriginalMessage() + ")");
            } catch (IOException e) {
                throw ApiException.badRequest("body", "not readable (" + e.getMessage() + ")");
            }
            if (json == null || !json.isObject()) {
                throw ApiException.badRequest("body", "must be a JSON object");
            }
            List<String> names = new ArrayList<>();
            for (Iterator<String> it = json.fieldNames(); it.hasNext(); ) {
                names.add(it.next());
            }
            for (String name : names) {
                if (!APPLY_FIELDS.contains(name)) {
                    throw ApiException.badRequest(name, "unknown field; allowed: dryRun, prefer");
                }
            }
            JsonNode dryRun = json.get("dryRun");
            if (dryRun == null || dryRun.isNull()) {
                throw ApiException.badRequest("dryRun", "required: true for the writes only, false to apply them");
            }
            if (!dryRun.isBoolean()) {
                throw ApiException.badRequest("dryRun", "must be true or false");
            }
            JsonNode prefer = json.get("prefer");
            CarrierShape.Preferred preferred = CarrierShape.Preferred.PRIMARY;
            if (prefer != null && !prefer.isNull()) {
                if (!prefer.isTextual() || !(prefer.asText().equals("primary") || prefer.asText().equals("secondary"))) {
                    throw ApiException.badRequest("prefer", "must be \"primary\" (the normal shape) or \"secondary\" (the swap)");
                }
                preferred = prefer.asText().equals("primary") ? CarrierShape.Preferred.PRIMARY : CarrierShape.Preferred.SECONDARY;
            }
            return new ApplyRequest(dryRun.booleanValue(), preferred);
        }
    }
}
