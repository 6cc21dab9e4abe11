package dev.ccaasfailover.context;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccaasfailover.http.Json;
import dev.ccaasfailover.testsupport.RunningMiddleware;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.ccaasfailover.context.ContextEvents.*;
import static dev.ccaasfailover.testsupport.RunningMiddleware.CONTEXT_TOKEN;
import static dev.ccaasfailover.testsupport.RunningMiddleware.INGEST_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

/** POST /events, GET /context, GET /calls over HTTP against the real app on the embedded store. */
class ContextHttpTest {

    static RunningMiddleware app;
    /** Yesterday at midnight: recent enough that retention (90 days) keeps everything the tests write. */
    static final java.time.Instant T0 = java.time.Instant.now().minus(java.time.Duration.ofDays(1))
            .truncatedTo(java.time.temporal.ChronoUnit.DAYS);

    /** ISO-8601 text T0 + seconds. */
    static String ts(long seconds) {
        return T0.plusSeconds(seconds).toString();
    }

    /** The canonical (millisecond) form of T0 + seconds. */
    static String canon(long seconds) {
        return CanonicalEvent.format(T0.plusSeconds(seconds));
    }

    static long ms(long seconds) {
        return T0.plusSeconds(seconds).toEpochMilli();
    }

    @BeforeAll
    static void start() throws Exception {
        app = RunningMiddleware.start(Map.of());
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        return Json.MAPPER.readTree(r.body());
    }

    static void assertError(HttpResponse<String> r, int status, String field) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        JsonNode body = json(r);
        assertThat(body.get("status").asInt()).isEqualTo(status);
        if (field != null) {
            assertThat(body.get("field").asText()).isEqualTo(field);
            assertThat(body.get("message").asText()).startsWith(field + ":");
        }
    }

    @Test
    void genesysCallThenNiceCallGiveTheNiceIvrTheCallersHistoryNewestFirst() throws Exception {
        String ani = "tel:+1 317-555-0142";
        String batch = "[" + String.join(",",
                customerStart("eb-1", "conv-1", ani, ms(0)),
                acdStart("eb-2", "conv-1", ani, ms(5), "q-billing"),
                acdEndTransfer("eb-3", "conv-1", ms(40), "agent-9"),
                customerEnd("eb-4", "conv-1", ani, ms(300)),
                dataActionIvrState("conv-2", ani, "MainMenu", "billing", ts(3600)),
                canonical("c-1", "CallStarted", "genesys", "conv-2", "13175550142", ts(3600), "\"intent\":\"billing\",\"unknownField\":1"))
                + "]";
        HttpResponse<String> posted = app.post("/events", INGEST_TOKEN, batch);
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);
        JsonNode result = json(posted);
        assertThat(result.get("accepted").asInt()).isEqualTo(6);
        assertThat(result.get("results")).hasSize(6);
        assertThat(result.at("/results/2/result").asText()).isEqualTo("stored");

        app.post("/events", INGEST_TOKEN, dataActionIvrState("conv-2", "+13175550142", "BillingMenu", "billing", ts(3610)));
        app.post("/events", INGEST_TOKEN, studio("contactStarted", "nice-77", "3175550142", ts(3900), null));

        HttpResponse<String> r = app.get("/context/+13175550142", CONTEXT_TOKEN);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode ctx = json(r);
        assertThat(ctx.get("phoneNumber").asText()).isEqualTo("+13175550142");
        JsonNode calls = ctx.get("previousInteractions");
        assertThat(calls.findValuesAsText("callId")).containsExactly("nice-77", "conv-2", "conv-1");
        assertThat(calls.get(0).get("platform").asText()).isEqualTo("nice");
        JsonNode first = calls.get(2);
        assertThat(first.get("startedAt").asText()).isEqualTo(canon(0));
        assertThat(first.get("endedAt").asText()).isEqualTo(canon(300));
        assertThat(first.get("queueId").asText()).isEqualTo("q-123");
        assertThat(first.get("agentId").asText()).isEqualTo("agent-9");
        assertThat(first.get("outcome").asText()).isEqualTo("transferred");
        assertThat(ctx.get("currentIntent").asText()).isEqualTo("billing");
        assertThat(ctx.get("agentPreference").asText()).isEqualTo("agent-9");
        assertThat(ctx.at("/lastIvrState/currentStep").asText()).isEqualTo("BillingMenu");
        assertThat(ctx.at("/lastIvrState/platform").asText()).isEqualTo("genesys");
        assertThat(ctx.at("/lastIvrState/callId").asText()).isEqualTo("conv-2");

        JsonNode call = json(app.get("/calls/conv-1", CONTEXT_TOKEN));
        assertThat(call.get("events").findValuesAsText("type"))
                .containsExactly("CallStarted", "QueueEntered", "TransferInitiated", "CallEnded");
        assertThat(call.at("/events/2/phoneNumber").asText()).isEqualTo("+13175550142");

        JsonNode byCall = json(app.get("/calls/conv-2/context", CONTEXT_TOKEN));
        assertThat(byCall.get("callId").asText()).isEqualTo("conv-2");
        assertThat(byCall.at("/lastIvrState/currentStep").asText()).isEqualTo("BillingMenu");
    }

    @Test
    void onlyTheLastFiveCallsAreReturnedAndAnEventsAgentPreferenceWins() throws Exception {
        List<String> events = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            events.add(canonical("five-" + i, "CallStarted", i % 2 == 0 ? "genesys" : "nice", "five-call-" + i,
                    "+14155550100", ts(-86400L * (7 - i)), "\"agentId\":\"a-" + i + "\""));
        }
        events.add(canonical("five-pref", "CallEnded", "nice", "five-call-6", "+14155550100", ts(-86400L + 600),
                "\"agentPreference\":\"a-favourite\""));
        assertThat(app.post("/events", INGEST_TOKEN, "[" + String.join(",", events) + "]").statusCode()).isEqualTo(202);

        JsonNode ctx = json(app.get("/context/%2B14155550100", CONTEXT_TOKEN));
        assertThat(ctx.get("previousInteractions").findValuesAsText("callId"))
                .containsExactly("five-call-6", "five-call-5", "five-call-4", "five-call-3", "five-call-2");
        assertThat(ctx.get("agentPreference").asText()).isEqualTo("a-favourite");
        assertThat(ctx.get("currentIntent").isNull()).isTrue();
    }

    @Test
    void aRepeatedEventIdIs202MarkedDuplicateAndStoredOnce() throws Exception {
        String e = canonical("dup-1", "CallStarted", "nice", "dup-call", "+16175550123", ts(-7200), null);
        assertThat(json(app.post("/events", INGEST_TOKEN, e)).at("/results/0/result").asText()).isEqualTo("stored");
        HttpResponse<String> again = app.post("/events", INGEST_TOKEN, "[" + e + "," + e + "]");
        assertThat(again.statusCode()).isEqualTo(202);
        assertThat(json(again).get("duplicates").asInt()).isEqualTo(2);
        assertThat(json(app.get("/calls/dup-call", CONTEXT_TOKEN)).get("events")).hasSize(1);
    }

    @Test
    void aVendorKindWithNothingForContextIsAcknowledgedAsIgnored() throws Exception {
        String userStart = eventBridge("eb-ign", "user.start", "conv-ign", "{\"eventTime\":" + ms(0) + ",\"conversationId\":\"conv-ign\"}");
        HttpResponse<String> r = app.post("/events", INGEST_TOKEN, userStart);
        assertThat(r.statusCode()).isEqualTo(202);
        assertThat(json(r).at("/results/0/result").asText()).isEqualTo("ignored");
    }

    @Test
    void aChatOrEmailWithoutAPhoneNumberIsIgnoredAndTheRestOfItsBatchStored() throws Exception {
        String chat = customerStart("eb-chat", "conv-chat", "Jane Web Visitor", ms(0), "CHAT");
        String email = customerStart("eb-email", "conv-email", "jane@example.com", ms(1), "EMAIL");
        String sms = customerStart("eb-sms", "conv-sms", "tel:+13125550191", ms(2), "MESSAGE");
        String voice = customerStart("eb-voice", "conv-voice", "tel:+13125550191", ms(3));
        HttpResponse<String> r = app.post("/events", INGEST_TOKEN, "[" + chat + "," + email + "," + sms + "," + voice + "]");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        JsonNode body = json(r);
        assertThat(body.get("accepted").asInt()).isEqualTo(2);
        assertThat(body.get("ignored").asInt()).isEqualTo(2);
        assertThat(body.at("/results/0/result").asText()).isEqualTo("ignored");
        assertThat(body.at("/results/0/reason").asText()).contains("CHAT with no phone number");
        assertThat(body.at("/results/1/reason").asText()).contains("EMAIL with no phone number");
        assertThat(app.get("/calls/conv-chat", CONTEXT_TOKEN).statusCode()).isEqualTo(404);
        // a message from a phone number is part of that caller's history, as a call is
        JsonNode ctx = json(app.get("/context/+13125550191", CONTEXT_TOKEN));
        assertThat(ctx.get("previousInteractions")).extracting(i -> i.get("callId").asText())
                .containsExactlyInAnyOrder("conv-voice", "conv-sms");
        // a voice call whose ani is not a number still refuses its batch, naming the field
        assertError(app.post("/events", INGEST_TOKEN, customerStart("eb-v2", "conv-v2", "Jane", ms(4))), 400, "phoneNumber");
    }

    @Test
    void oneBadElementRejectsTheWholeArrayAndWritesNothing() throws Exception {
        String good = canonical("batch-good", "CallStarted", "genesys", "batch-call", "+13125550111", ts(-7200), null);
        String bad = canonical("batch-bad", "CallStarted", "genesys", "batch-call", "not-a-number", ts(-7200), null);
        assertError(app.post("/events", INGEST_TOKEN, "[" + good + "," + bad + "]"), 400, "[1].phoneNumber");
        assertThat(app.get("/calls/batch-call", CONTEXT_TOKEN).statusCode()).isEqualTo(404);
    }

    @Test
    void aFullArrayWithTwoBadElementsNamesTheFirstAndWritesNothing() throws Exception {
        List<String> events = new ArrayList<>();
        for (int i = 0; i < EventIngest.MAX_EVENTS; i++) {
            String phone = i == 120 ? "not-a-number" : "+13125550111";
            String type = i == 450 ? "Teleported" : "CallStarted";
            events.add(canonical("halves-" + i, type, "genesys", "halves-call-" + i, phone, ts(-7200), null));
        }
        assertError(app.post("/events", INGEST_TOKEN, "[" + String.join(",", events) + "]"), 400, "[120].phoneNumber");
        assertThat(app.get("/calls/halves-call-0", CONTEXT_TOKEN).statusCode()).isEqualTo(404);
        assertThat(app.get("/calls/halves-call-499", CONTEXT_TOKEN).statusCode()).isEqualTo(404);
    }

    @Test
    void clientMistakesAre400WithTheFieldNamed() throws Exception {
        assertError(app.post("/events", INGEST_TOKEN, "{not json"), 400, "body");
        assertError(app.post("/events", INGEST_TOKEN, ""), 400, "body");
        assertError(app.post("/events", INGEST_TOKEN, " \r\n\t "), 400, "body");
        assertError(app.post("/events", INGEST_TOKEN, "[]"), 400, "body");
        assertError(app.post("/events", INGEST_TOKEN, "42"), 400, "body");
        assertError(app.post("/events", INGEST_TOKEN,
                canonical("x1", "CallStarted", "genesys", "c", "+13175550142", "yesterday", null)), 400, "timestamp");
        assertError(app.post("/events", INGEST_TOKEN,
                canonical("x2", "CallStarted", "genesys", "c", "+13175550142", "2026-04-01T10:00:00", null)), 400, "timestamp");
        assertError(app.post("/events", INGEST_TOKEN,
                canonical("x3", "Teleported", "genesys", "c", "+13175550142", ts(-7200), null)), 400, "type");
        assertError(app.post("/events", INGEST_TOKEN,
                canonical("x4", "CallStarted", "avaya", "c", "+13175550142", ts(-7200), null)), 400, "platform");
        assertError(app.post("/events", INGEST_TOKEN,
                "{\"eventId\":\"x5\",\"type\":\"CallStarted\",\"platform\":\"nice\",\"phoneNumber\":\"+13175550142\",\"timestamp\":\"" + ts(0) + "\"}"),
                400, "callId");
        assertError(app.post("/events", INGEST_TOKEN,
                canonical("x6", "IVRState", "nice", "c", "+13175550142", ts(-7200), null)), 400, "currentStep");
        assertError(app.post("/events", INGEST_TOKEN, eventBridge("eb-x", "conference.start", "c", "{}")), 400, "type");
        assertError(app.post("/events", INGEST_TOKEN, "{\"hello\":\"world\"}"), 400, "type");
        assertError(app.post("/events", INGEST_TOKEN, acdEndTransfer("eb-orphan", "never-seen", ms(40), "a")),
                400, "phoneNumber");
        StringBuilder tooMany = new StringBuilder("[");
        for (int i = 0; i < 501; i++) {
            tooMany.append(i == 0 ? "" : ",").append(canonical("m" + i, "CallStarted", "nice", "m", "+13175550142", ts(-7200), null));
        }
        assertError(app.post("/events", INGEST_TOKEN, tooMany.append("]").toString()), 400, "body");
        assertError(app.get("/context/12", CONTEXT_TOKEN), 400, "phoneNumber");
        assertError(app.get("/calls/no-such-call", CONTEXT_TOKEN), 404, null);
    }

    @Test
    void aBodyOver256KiBIs413WithAJsonBody() throws Exception {
        String big = "[" + "\"x\",".repeat(70_000) + "\"x\"]";
        assertThat(big.length()).isGreaterThan(262_144);
        assertError(app.post("/events", INGEST_TOKEN, big), 413, null);
    }

    @Test
    void unknownCallerIs200WithEmpties() throws Exception {
        HttpResponse<String> r = app.get("/context/+12025550199", CONTEXT_TOKEN);
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode ctx = json(r);
        assertThat(ctx.get("phoneNumber").asText()).isEqualTo("+12025550199");
        assertThat(ctx.get("previousInteractions")).isEmpty();
        assertThat(ctx.get("currentIntent").isNull()).isTrue();
        assertThat(ctx.get("agentPreference").isNull()).isTrue();
        assertThat(ctx.get("lastIvrState").isNull()).isTrue();
    }

    @Test
    void rolesAreEnforced() throws Exception {
        assertError(app.post("/events", null, "{}"), 401, null);
        assertError(app.post("/events", CONTEXT_TOKEN, "{}"), 403, null);
        assertError(app.get("/context/+13175550142", INGEST_TOKEN), 403, null);
        assertError(app.get("/calls/x", null), 401, null);
    }

    /** ISO-8601 text of now plus the given duration (negative: in the past). */
    static String fromNow(java.time.Duration d) {
        return java.time.Instant.now().plus(d).toString();
    }

    @Test
    void anEventDatedPastNowPlusTheSkewOrOlderThanTheRetentionIs400NamingTimestampAndStoresNothing() throws Exception {
        String phone = "+13125550177";
        String farFuture = canonical("when-2999", "CallStarted", "genesys", "when-2999", phone, "2999-01-01T00:00:00Z",
                "\"intent\":\"for-ever\"");
        assertError(app.post("/events", INGEST_TOKEN, farFuture), 400, "timestamp");
        String tenMinutesAhead = canonical("when-ahead", "CallStarted", "genesys", "when-ahead", phone,
                fromNow(java.time.Duration.ofMinutes(10)), null);
        assertError(app.post("/events", INGEST_TOKEN, tenMinutesAhead), 400, "timestamp");
        String pastRetention = canonical("when-old", "CallStarted", "genesys", "when-old", phone,
                fromNow(java.time.Duration.ofDays(-91)), null);
        HttpResponse<String> old = app.post("/events", INGEST_TOKEN, pastRetention);
        assertError(old, 400, "timestamp");
        assertThat(json(old).get("message").asText()).contains("retention");
        // a vendor's epoch-millisecond time is held to the same window
        assertError(app.post("/events", INGEST_TOKEN, customerStart("when-eb", "when-eb", phone,
                java.time.Instant.now().plus(java.time.Duration.ofDays(3650)).toEpochMilli())), 400, "timestamp");
        // in an array the element is named, and the good elements beside it are not written either
        String good = canonical("when-good", "CallStarted", "genesys", "when-good", phone, fromNow(java.time.Duration.ofMinutes(-1)), null);
        assertError(app.post("/events", INGEST_TOKEN, "[" + good + "," + farFuture + "]"), 400, "[1].timestamp");

        for (String call : List.of("when-2999", "when-ahead", "when-old", "when-eb", "when-good")) {
            assertThat(app.get("/calls/" + call, CONTEXT_TOKEN).statusCode()).as(call).isEqualTo(404);
        }
        JsonNode ctx = json(app.get("/context/" + phone, CONTEXT_TOKEN));
        assertThat(ctx.get("previousInteractions")).isEmpty();
        assertThat(ctx.get("currentIntent").isNull()).isTrue();
    }

    @Test
    void anEventWithinTheSkewOrJustInsideTheRetentionIsStored() throws Exception {
        String phone = "+13125550178";
        String slightlyAhead = canonical("when-skew", "CallStarted", "genesys", "when-skew", phone,
                fromNow(java.time.Duration.ofMinutes(2)), null);
        String oldButKept = canonical("when-89d", "CallStarted", "genesys", "when-89d", phone,
                fromNow(java.time.Duration.ofDays(-89)), null);
        HttpResponse<String> r = app.post("/events", INGEST_TOKEN, "[" + slightlyAhead + "," + oldButKept + "]");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        assertThat(json(r).get("accepted").asInt()).isEqualTo(2);
        assertThat(app.get("/calls/when-89d", CONTEXT_TOKEN).statusCode()).isEqualTo(200);
    }

    @Test
    void duplicateKeysAndDataAfterTheJsonValueAre400AndStoreNothing() throws Exception {
        String phone = "+13125550179";
        String one = canonical("strict-1", "CallStarted", "genesys", "strict-call-1", phone, ts(100), null);
        String two = canonical("strict-2", "CallStarted", "genesys", "strict-call-2", phone, ts(200), null);
        // Jackson kept the last of two equal keys: a filter reading the first saw another call
        String twoCallIds = one.replace("\"callId\":\"strict-call-1\"", "\"callId\":\"strict-call-1\",\"callId\":\"strict-call-3\"");
        for (String body : List.of(twoCallIds, one + two, one + " " + two, "[" + one + "]" + "[" + two + "]", one + "x",
                "[" + one + "]]", one + "}", "[" + one + "," + two + "],")) {
            assertError(app.post("/events", INGEST_TOKEN, body), 400, "body");
        }
        for (String call : List.of("strict-call-1", "strict-call-2", "strict-call-3")) {
            assertThat(app.get("/calls/" + call, CONTEXT_TOKEN).statusCode()).as(call).isEqualTo(404);
        }
        assertThat(json(app.get("/context/" + phone, CONTEXT_TOKEN)).get("previousInteractions")).isEmpty();
        // whitespace after the value is not data
        assertThat(app.post("/events", INGEST_TOKEN, one + " \r\n").statusCode()).isEqualTo(202);
    }

    @Test
    void aCallNamedNullIsThatCallNotAMissingParameter() throws Exception {
        String phone = "+13125550180";
        assertThat(app.post("/events", INGEST_TOKEN, canonical("call-named-null", "CallStarted", "genesys", "null", phone,
                ts(50), null)).statusCode()).isEqualTo(202);
        HttpResponse<String> call = app.get("/calls/null", CONTEXT_TOKEN);
        assertThat(call.statusCode()).as(call.body()).isEqualTo(200);
        assertThat(json(call).get("callId").asText()).isEqualTo("null");
        assertThat(json(app.get("/calls/null/context", CONTEXT_TOKEN)).get("phoneNumber").asText()).isEqualTo(phone);
        // and quotes around an id are part of it (Camel's method-string binding stripped them)
        assertError(app.get("/calls/'null'", CONTEXT_TOKEN), 400, "callId");
    }
}
