package dev.ccaasfailover.context;

/** Example payloads of each shape the ingest accepts, following docs/vendor-apis.md §2, §4 and §6. */
final class ContextEvents {

    private ContextEvents() {
    }

    static String canonical(String eventId, String type, String platform, String callId, String phone, String timestamp,
                            String extra) {
        return "{\"eventId\":\"" + eventId + "\",\"type\":\"" + type + "\",\"platform\":\"" + platform + "\",\"callId\":\""
                + callId + "\",\"phoneNumber\":\"" + phone + "\",\"timestamp\":\"" + timestamp + "\""
                + (extra == null || extra.isEmpty() ? "" : "," + extra) + "}";
    }

    /** Genesys → EventBridge conversation detail event; kind e.g. customer.start, acd.start, acd.end, customer.end. */
    static String eventBridge(String id, String kind, String conversationId, String eventBody) {
        return "{\"version\":\"0\",\"id\":\"" + id + "\",\"detail-type\":\"v2.detail.events.conversation.{id}." + kind + "\","
                + "\"source\":\"aws.partner/genesys.com/cloud/org-1/cc-events\",\"account\":\"123456789012\","
                + "\"time\":\"2026-05-01T10:00:00Z\",\"region\":\"us-east-1\",\"resources\":[],"
                + "\"detail\":{\"topicName\":\"v2.detail.events.conversation." + conversationId + "." + kind + "\",\"version\":\"2\","
                + "\"eventBody\":" + eventBody + ",\"metadata\":{\"CorrelationId\":\"b61d\"},\"timestamp\":\"2026-05-01T10:00:00.012Z\"}}";
    }

    static String customerStart(String id, String conv, String ani, long eventTime) {
        return eventBridge(id, "customer.start", conv, "{\"eventTime\":" + eventTime + ",\"conversationId\":\"" + conv
                + "\",\"participantId\":\"p-1\",\"sessionId\":\"s-1\",\"mediaType\":\"VOICE\",\"provider\":\"Edge\","
                + "\"direction\":\"INBOUND\",\"ani\":\"" + ani + "\",\"dnis\":\"tel:+15555550000\"}");
    }

    /** customer.start of another media type (CHAT, EMAIL, MESSAGE, CALLBACK): its ani need not be a phone number. */
    static String customerStart(String id, String conv, String ani, long eventTime, String mediaType) {
        return customerStart(id, conv, ani, eventTime).replace("\"mediaType\":\"VOICE\"", "\"mediaType\":\"" + mediaType + "\"");
    }

    static String acdStart(String id, String conv, String ani, long eventTime, String queueId) {
        return eventBridge(id, "acd.start", conv, "{\"eventTime\":" + eventTime + ",\"conversationId\":\"" + conv
                + "\",\"participantId\":\"p-2\",\"sessionId\":\"s-2\",\"mediaType\":\"VOICE\",\"direction\":\"INBOUND\","
                + "\"ani\":\"" + ani + "\",\"dnis\":\"tel:+15555550000\",\"queueId\":\"" + queueId + "\",\"divisionId\":\"d-1\",\"routingPriority\":0}");
    }

    /** acd.end carries no ani: the phone comes from the call. */
    static String acdEndTransfer(String id, String conv, long eventTime, String agent) {
        return eventBridge(id, "acd.end", conv, "{\"eventTime\":" + eventTime + ",\"conversationId\":\"" + conv
                + "\",\"participantId\":\"p-2\",\"sessionId\":\"s-2\",\"mediaType\":\"VOICE\",\"direction\":\"INBOUND\","
                + "\"queueId\":\"q-123\",\"acdOutcome\":\"ANSWERED\",\"answeredUserId\":\"" + agent
                + "\",\"disconnectType\":\"TRANSFER\",\"connectedDurationMs\":35000}");
    }

    static String customerEnd(String id, String conv, String ani, long eventTime) {
        return eventBridge(id, "customer.end", conv, "{\"eventTime\":" + eventTime + ",\"conversationId\":\"" + conv
                + "\",\"participantId\":\"p-1\",\"sessionId\":\"s-1\",\"mediaType\":\"VOICE\",\"direction\":\"INBOUND\","
                + "\"ani\":\"" + ani + "\",\"dnis\":\"tel:+15555550000\",\"disconnectType\":\"CLIENT\",\"interactingDurationMs\":250000}");
    }

    /** Genesys Architect data action: the IVR heartbeat (every 10 s). */
    static String dataActionIvrState(String conv, String ani, String step, String intent, String timestamp) {
        return "{\"eventType\":\"IVRState\",\"conversationId\":\"" + conv + "\",\"ani\":\"" + ani + "\",\"currentStep\":\""
                + step + "\",\"intent\":\"" + intent + "\",\"timestamp\":\"" + timestamp + "\"}";
    }

    /** NICE Studio REST API action. */
    static String studio(String event, String contactId, String ani, String timestamp, String extra) {
        return "{\"event\":\"" + event + "\",\"contactId\":\"" + contactId + "\",\"ani\":\"" + ani + "\",\"timestamp\":\""
                + timestamp + "\"" + (extra == null ? "" : "," + extra) + "}";
    }
}
