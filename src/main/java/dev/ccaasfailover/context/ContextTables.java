package dev.ccaasfailover.context;

/**
 * The logical tables of customer context (the store maps each to a DynamoDB table {@code <prefix><name>}):
 * <ul>
 *   <li>{@code events}: pk = caller (E.164), sk = timestamp#eventId; the call events of a caller (not heartbeats),
 *       plus one item at sk = {@value #LATEST_IVR_SK}: the caller's latest IVRState heartbeat, which sorts after
 *       every timestamped key, so a descending Query of the partition returns it first and the calls after it</li>
 *   <li>{@code calls}: pk = callId, sk = timestamp#eventId; every event of a call</li>
 *   <li>{@code dedupe}: pk = eventId, sk = "event"; written in the same atomic write as the others</li>
 * </ul>
 */
public final class ContextTables {
    public static final String EVENTS = "events";
    /** Sort key of the caller's latest-IVR-state item in {@code events}: "~" sorts after any timestamp's digit. */
    public static final String LATEST_IVR_SK = "~ivr";
    public static final String CALLS = "calls";
    public static final String DEDUPE = "dedupe";
    public static final String DEDUPE_SK = "event";

    private ContextTables() {
    }
}
