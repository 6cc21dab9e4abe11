package dev.ccaasfailover.context;

import dev.ccaasfailover.http.ApiException;
import dev.ccaasfailover.http.PathParameter;
import dev.ccaasfailover.store.Store;
import dev.ccaasfailover.store.StoreItem;
import org.apache.camel.Header;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the secondary's IVR asks when a caller lands: the caller's last calls on both platforms, the current intent,
 * the agent to prefer and the last IVR step. A read is one Query of the caller's partition of {@code events},
 * newest first: never a Scan. The caller's latest IVR state is one item of that partition whose sort key sorts
 * after every call event's ({@link ContextTables#LATEST_IVR_SK}), so it comes first and 10-second heartbeats never
 * crowd calls out of the read.
 */
public class CustomerContext {

    public static final int INTERACTIONS = 5;
    /** Call events read per caller: enough for the last 5 calls with their queue, transfer and end events. */
    static final int EVENTS_READ = 100;
    static final int CALL_EVENTS_READ = 1000;

    private final Store store;
    private final PhoneNormalizer phones;

    public CustomerContext(Store store, PhoneNormalizer phones) {
        this.store = store;
        this.phones = phones;
    }

    /** GET /context/{phoneNumber}. */
    public Map<String, Object> forPhone(@Header("phoneNumber") String rawPhone) {
        String phone = phones.toE164(rawPhone).orElseThrow(() -> ApiException.badRequest("phoneNumber",
                "not a phone number (region " + phones.defaultRegion() + " for numbers without a country code)"));
        List<StoreItem> items = store.query(ContextTables.EVENTS, phone, EVENTS_READ + 1);
        List<CanonicalEvent> events = new ArrayList<>(Math.min(items.size(), EVENTS_READ));
        List<CanonicalEvent> lastIvr = List.of();
        for (StoreItem item : items) {
            if (ContextTables.LATEST_IVR_SK.equals(item.sk())) {
                lastIvr = List.of(EventIngest.readEvent(item.data()));
            } else if (events.size() < EVENTS_READ) {
                events.add(EventIngest.readEvent(item.data()));
            }
        }
        return build(phone, events, lastIvr);
    }

    /** GET /calls/{callId}: that call's events, oldest first. */
    public Map<String, Object> call(@Header("callId") String callId) {
        PathParameter.id("callId", callId);
        List<CanonicalEvent> events = new ArrayList<>(read(store.query(ContextTables.CALLS, callId, CALL_EVENTS_READ)));
        if (events.isEmpty()) {
            throw ApiException.notFound("call " + callId);
        }
        java.util.Collections.reverse(events);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("callId", callId);
        body.put("events", events);
        return body;
    }

    /** GET /calls/{callId}/context: the context of that call's caller. */
    public Map<String, Object> forCall(@Header("callId") String callId) {
        PathParameter.id("callId", callId);
        List<CanonicalEvent> newest = read(store.query(ContextTables.CALLS, callId, 1));
        if (newest.isEmpty()) {
            throw ApiException.notFound("call " + callId);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("callId", callId);
        body.putAll(forPhone(newest.get(0).phoneNumber()));
        return body;
    }

    /** Pure: the context from a caller's call events and heartbeats, each newest first. */
    static Map<String, Object> build(String phone, List<CanonicalEvent> events, List<CanonicalEvent> heartbeats) {
        Map<String, Interaction> calls = new LinkedHashMap<>();
        for (CanonicalEvent e : events) { // newest first
            calls.computeIfAbsent(e.callId(), id -> new Interaction(id, e.platform())).add(e);
        }
        List<Interaction> ordered = new ArrayList<>(calls.values());
        ordered.sort(Comparator.comparing(Interaction::sortTime).reversed());

        CanonicalEvent lastIvr = heartbeats.isEmpty() ? null : heartbeats.get(0);
        String currentIntent = null;
        String intentAt = "";
        for (Interaction i : ordered) {
            if (i.endedAt == null && i.intent != null) {
                currentIntent = i.intent;
                intentAt = i.intentAt;
                break;
            }
        }
        if (lastIvr != null && lastIvr.intent() != null && !endedCall(calls, lastIvr.callId())
                && lastIvr.timestamp().compareTo(intentAt) > 0) {
            currentIntent = lastIvr.intent();
        }

        String agentPreference = null;
        for (CanonicalEvent e : events) {
            if (e.agentPreference() != null) {
                agentPreference = e.agentPreference();
                break;
            }
        }
        if (agentPreference == null) {
            for (CanonicalEvent e : events) {
                if (e.agentId() != null) {
                    agentPreference = e.agentId();
                    break;
                }
            }
        }

        Map<String, Object> body = new LinkedHashMap<>();
        body.put("phoneNumber", phone);
        body.put("previousInteractions", ordered.stream().limit(INTERACTIONS).map(Interaction::toMap).toList());
        body.put("currentIntent", currentIntent);
        body.put("agentPreference", agentPreference);
        if (lastIvr == null) {
            body.put("lastIvrState", null);
        } else {
            Map<String, Object> ivr = new LinkedHashMap<>();
            ivr.put("currentStep", lastIvr.currentStep());
            ivr.put("callId", lastIvr.callId());
            ivr.put("platform", lastIvr.platform());
            ivr.put("timestamp", lastIvr.timestamp());
            if (lastIvr.intent() != null) {
                ivr.put("intent", lastIvr.intent());
            }
            body.put("lastIvrState", ivr);
        }
        return body;
    }

    private static boolean endedCall(Map<String, Interaction> calls, String callId) {
        Interaction i = calls.get(callId);
        return i != null && i.endedAt != null;
    }

    private static List<CanonicalEvent> read(List<StoreItem> items) {
        List<CanonicalEvent> events = new ArrayList<>(items.size());
        for (StoreItem item : items) {
            events.add(EventIngest.readEvent(item.data()));
        }
        return events;
    }

    /** One call folded from its events, fed newest first (so the first value seen is the latest). */
    private static final class Interaction {
        final String callId;
        final String platform;
        String startedAt;
        String firstSeen;
        String endedAt;
        String queueId;
        String intent;
        String intentAt;
        String agentId;
        boolean transferred;

        Interaction(String callId, String platform) {
            this.callId = callId;
            this.platform = platform;
        }

        void add(CanonicalEvent e) {
            firstSeen = e.timestamp();
            switch (e.type()) {
                case CallStarted -> startedAt = e.timestamp();
                case CallEnded -> {
                    if (endedAt == null) {
                        endedAt = e.timestamp();
                    }
                }
                case TransferInitiated -> transferred = true;
                default -> { }
            }
            if (queueId == null) {
                queueId = e.queueId();
            }
            if (intent == null && e.intent() != null) {
                intent = e.intent();
                intentAt = e.timestamp();
            }
            if (agentId == null) {
                agentId = e.agentId();
            }
        }

        String sortTime() {
            return startedAt != null ? startedAt : firstSeen;
        }

        String outcome() {
            if (transferred) {
                return "transferred";
            }
            return endedAt != null ? "completed" : "in-progress";
        }

        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("callId", callId);
            m.put("platform", platform);
            m.put("startedAt", sortTime());
            m.put("endedAt", endedAt);
            m.put("queueId", queueId);
            m.put("intent", intent);
            m.put("agentId", agentId);
            m.put("outcome", outcome());
            return m;
        }
    }
}
