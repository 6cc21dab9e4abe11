package dev.ccaasfailover.context;

/**
 * The logical tables of customer context (the store maps each to a DynamoDB table {@code <prefix><name>}):
 * <ul>
 *   <li>{@code events}: pk = caller (E.164), sk = timestamp#eventId; the call events of a caller (not heartbeats)</li>
 *   <li>{@code ivr-states}: pk = caller (E.164), sk = timestamp#eventId; the IVRState heartbeats of a caller</li>
 *   <li>{@code calls}: pk = callId, sk = timestamp#eventId; every event of a call</li>
 *   <li>{@code dedupe}: pk = eventId, sk = "event"; written in the same atomic write as the others</li>
 * </ul>
 */
public final class ContextTables {
    public static final String EVENTS = "events";
    public static final String IVR_STATES = "ivr-states";
    public static final String CALLS = "calls";
    public static final String DEDUPE = "dedupe";
    public static final String DEDUPE_SK = "event";

    private ContextTables() {
    }
}
