package dev.ccaasfailover.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.regex.Pattern;

/**
 * An Amazon Route 53 ARC cluster's data plane (service model route53-recovery-cluster-2019-12-02, AWS JSON 1.0, target
 * prefix {@code ToggleCustomerAPI}) for the real AWS SDK v2 client: one simulated HTTP endpoint per region, all serving
 * the same routing controls and safety rules, like the five regional endpoints of a real cluster.
 *
 * <p>Built from the vendor's material (the service model in botocore and the SDK, the API reference), not from our
 * client: {@code POST} with {@code X-Amz-Target: ToggleCustomerAPI.<Operation>} and {@code Content-Type:
 * application/x-amz-json-1.0}; GetRoutingControlState, UpdateRoutingControlState, UpdateRoutingControlStates and
 * ListRoutingControls; errors as {@code {"__type": ..., "message": ...}} with the status of the service's Smithy model
 * ({@code @httpError} in aws-models route53-recovery-cluster.json, as the Go SDK's wire snapshots show): validation
 * 400, access denied 403, not found 404, conflict 409, service limit 402, throttling 429 and internal error 500, both
 * with {@code retryAfterSeconds} in the body, an unavailable endpoint 503. The API reference and the Java SDK's error
 * metadata say 400 for all but the internal error; our client decides by {@code __type}, never by status, so either
 * holds (docs/vendor-apis.md §9). Every request must carry a valid SigV4 signature of the accepted key, scoped to the
 * endpoint's own region ({@link SigV4Check}).
 *
 * <p>Safety rules: assertion rules "at least N of these controls On"; an update that would leave a rule unmet is
 * refused with ConflictException unless the rule's ARN is in SafetyRulesToOverride. Faults per endpoint: the
 * {@link SimulatedHttpServer} faults (refuse, slow, hang, error) or {@link #setOutage} (answered, and logged).
 * {@link #calls()} logs every request that reached an endpoint's handler, in order, with the endpoint and the answer.
 */
public final class ArcClusterSimulator implements AutoCloseable {

    public static final String ACCESS_KEY = "AKIDARCSIMULATOR0001";
    public static final String SECRET_KEY = "arc-simulator-secret-key-0000000000000000";
    public static final String SERVICE = "route53-recovery-cluster";
    public static final String CONTENT_TYPE = "application/x-amz-json-1.0";
    private static final String TARGET_PREFIX = "ToggleCustomerAPI.";
    /** The model's Arn shape. */
    private static final Pattern ARN = Pattern.compile("^[A-Za-z0-9:./_-]*$");
    private static final int DEFAULT_MAX_RESULTS = 500;

    /** An answer an endpoint gives before looking at the request. */
    public enum Outage {
        NONE,
        /** 400 EndpointTemporarilyUnavailableException: "The cluster endpoint isn't available. Try another cluster endpoint." */
        ENDPOINT_UNAVAILABLE,
        /** 503 with a JSON error, as from a load balancer in front of a failed endpoint. */
        SERVICE_UNAVAILABLE
    }

    /** One request that reached an endpoint: which endpoint (0-based, in construction order), what, and the answer. */
    public record Call(int endpoint, String region, String operation, String body, int status, String errorType) {
    }

    /** An assertion rule: at least {@code minOn} of {@code controls} must be On after any update. */
    public record AssertionRule(String arn, String name, List<String> controls, int minOn) {
    }

    private record Control(String arn, String name, String controlPanelArn, String controlPanelName, String owner) {
    }

    private final Map<String, Control> controls = new LinkedHashMap<>(); // guarded by this
    private final Map<String, String> states = new LinkedHashMap<>(); // guarded by this
    private final List<AssertionRule> rules = new ArrayList<>(); // guarded by this
    private final List<Endpoint> endpoints = new ArrayList<>();
    private final ConcurrentLinkedQueue<Call> calls = new ConcurrentLinkedQueue<>();
    private final SigV4Check signatures = new SigV4Check(SERVICE, Map.of(ACCESS_KEY, SECRET_KEY));

    /** One endpoint per region, in this order, each on a free port of 127.0.0.1. */
    public ArcClusterSimulator(String... regions) {
        for (int i = 0; i < regions.length; i++) {
            endpoints.add(new Endpoint(i, regions[i]));
        }
    }

    public ArcClusterSimulator start() {
        endpoints.forEach(Endpoint::start);
        return this;
    }

    @Override
    public void close() {
        endpoints.forEach(Endpoint::close);
    }

    // ---- the cluster's configuration (its control plane, outside this API) ----

    /** A routing control in the control panel its ARN names, in state "On" or "Off". */
    public synchronized void addRoutingControl(String arn, String name, String state) {
        int cut = arn.indexOf("/routingcontrol/");
        if (cut < 0 || !(state.equals("On") || state.equals("Off"))) {
            throw new IllegalArgumentException("not a routing control ARN or state: " + arn + " " + state);
        }
        String panel = arn.substring(0, cut);
        String owner = arn.split(":")[4];
        controls.put(arn, new Control(arn, name, panel, "panel-" + panel.substring(panel.lastIndexOf('/') + 1), owner));
        states.put(arn, state);
    }

    public synchronized void addAssertionRule(String ruleArn, String name, int minOn, String... controlArns) {
        rules.add(new AssertionRule(ruleArn, name, List.of(controlArns), minOn));
    }

    public synchronized String state(String arn) {
        return states.get(arn);
    }

    /** Sets a state directly (no request, no safety rule): the test's starting point. */
    public synchronized void setState(String arn, String state) {
        if (!states.containsKey(arn)) {
            throw new IllegalArgumentException("unknown routing control " + arn);
        }
        states.put(arn, state);
    }

    /** Accepts requests signed with this key too (besides {@link #ACCESS_KEY}). */
    public void acceptKey(String accessKeyId, String secretAccessKey) {
        signatures.accept(accessKeyId, secretAccessKey);
    }

    // ---- endpoints, faults and the log ----

    public SimulatedHttpServer endpoint(int index) {
        return endpoints.get(index);
    }

    public void setOutage(int index, Outage outage) {
        endpoints.get(index).outage = outage;
    }

    /** The endpoint's URL as DescribeCluster gives it (with its /v1 path). */
    public String endpointUrl(int index) {
        return endpoints.get(index).baseUrl() + "/v1";
    }

    public String region(int index) {
        return endpoints.get(index).region;
    }

    /** The value of failover.dns.route53-arc.cluster-endpoints for all endpoints, in order. */
    public String clusterEndpointsSetting() {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < endpoints.size(); i++) {
            parts.add(endpointUrl(i) + "@" + region(i));
        }
        return String.join(",", parts);
    }

    public List<Call> calls() {
        return List.copyOf(calls);
    }

    public List<Call> calls(String operation) {
        return calls.stream().filter(c -> c.operation().equals(operation)).toList();
    }

    public void clearCalls() {
        calls.clear();
        endpoints.forEach(SimulatedHttpServer::clearRequests);
    }

    // ---- the API ----

    private final class Endpoint extends SimulatedHttpServer {
        final int index;
        final String region;
        volatile Outage outage = Outage.NONE;

        Endpoint(int index, String region) {
            super("arc-" + region, 0);
            this.index = index;
            this.region = region;
        }

        @Override
        protected SimResponse handle(SimRequest request) {
            String target = request.header("X-Amz-Target");
            String operation = target != null && target.startsWith(TARGET_PREFIX) ? target.substring(TARGET_PREFIX.length()) : String.valueOf(target);
            try {
                SimResponse response = answer(request, operation);
                calls.add(new Call(index, region, operation, request.body(), response.status(), null));
                return response;
            } catch (SimHttpException e) {
                calls.add(new Call(index, region, operation, request.body(), e.status(), e.code()));
                throw e;
            }
        }

        private SimResponse answer(SimRequest request, String operation) {
            switch (outage) {
                case ENDPOINT_UNAVAILABLE -> throw error("EndpointTemporarilyUnavailableException",
                        "The cluster endpoint isn't available. Try another cluster endpoint.", null);
                case SERVICE_UNAVAILABLE -> throw new SimHttpException(503, "ServiceUnavailableException", "Service Unavailable");
                default -> { }
            }
            String path = request.rawPath();
            if (!request.method().equals("POST") || !(path.equals("/") || path.equals("/v1") || path.equals("/v1/"))) {
                throw new SimHttpException(404, "UnknownOperationException", null);
            }
            signatures.verify(request, region);
            String contentType = request.header("Content-Type");
            if (contentType == null || !contentType.split(";")[0].trim().equalsIgnoreCase(CONTENT_TYPE)) {
                throw new SimHttpException(400, "SerializationException", "Content-Type must be " + CONTENT_TYPE);
            }
            if (request.header("X-Amz-Target") == null || !request.header("X-Amz-Target").startsWith(TARGET_PREFIX)) {
                throw new SimHttpException(400, "UnknownOperationException", null);
            }
            JsonNode body = parse(request.body());
            ObjectNode result = switch (operation) {
                case "GetRoutingControlState" -> getState(body);
                case "UpdateRoutingControlState" -> {
                    String arn = arn(body, "RoutingControlArn");
                    update(Map.of(arn, stateValue(body.get("RoutingControlState"), "RoutingControlState")), overrides(body));
                    yield Json.object();
                }
                case "UpdateRoutingControlStates" -> {
                    update(entries(body), overrides(body));
                    yield Json.object();
                }
                case "ListRoutingControls" -> list(body);
                default -> throw new SimHttpException(400, "UnknownOperationException", null);
            };
            return json(200, result);
        }

        @Override
        protected SimResponse errorResponse(int status, String code, String message) {
            String type = switch (code) {
                case "simulated.error", "internal.server.error" -> status == 503 ? "ServiceUnavailableException" : "InternalServerException";
                case "bad.request" -> "SerializationException";
                case "not.found" -> "UnknownOperationException";
                default -> code;
            };
            ObjectNode body = Json.object().put("__type", type);
            if (message != null) {
                body.put("message", message);
            }
            if (pendingDetails.get() != null) {
                body.setAll(pendingDetails.get());
                pendingDetails.remove();
            }
            return json(status, body);
        }

        /** ThrottlingException, 429, with retryAfterSeconds in the body (the model's member) and the header. */
        @Override
        protected SimResponse rateLimitedResponse(int retryAfterSeconds) {
            pendingDetails.set(Json.object().put("retryAfterSeconds", retryAfterSeconds));
            return errorResponse(STATUS.get("ThrottlingException"), "ThrottlingException", "Rate exceeded")
                    .withHeader("Retry-After", String.valueOf(retryAfterSeconds));
        }
    }

    /** Extra members of the error being thrown on this thread (resourceId, reason, fields...). */
    private final ThreadLocal<ObjectNode> pendingDetails = new ThreadLocal<>();

    /** Each modelled error's {@code @httpError} status in the Smithy model. */
    static final Map<String, Integer> STATUS = Map.of("ValidationException", 400, "AccessDeniedException", 403,
            "ResourceNotFoundException", 404, "ConflictException", 409, "ServiceLimitExceededException", 402,
            "ThrottlingException", 429, "InternalServerException", 500, "EndpointTemporarilyUnavailableException", 503);

    private SimHttpException error(String type, String message, ObjectNode details) {
        pendingDetails.set(details);
        return new SimHttpException(STATUS.get(type), type, message);
    }

    private SimHttpException validation(String field, String message) {
        ObjectNode details = Json.object().put("reason", "fieldValidationFailed");
        details.putArray("fields").addObject().put("name", field).put("message", message);
        return error("ValidationException", "1 validation error detected: Value at '" + field + "' failed to satisfy"
                + " constraint: " + message, details);
    }

    private static SimResponse json(int status, ObjectNode body) {
        try {
            return new SimResponse(status, CONTENT_TYPE, Json.MAPPER.writeValueAsString(body).getBytes(StandardCharsets.UTF_8), Map.of())
                    .withHeader("x-amzn-RequestId", UUID.randomUUID().toString());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return Json.object();
        }
        try {
            JsonNode node = Json.MAPPER.readTree(body);
            if (!node.isObject()) {
                throw new SimHttpException(400, "SerializationException", "Start of structure or map found where not expected.");
            }
            return node;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new SimHttpException(400, "SerializationException", "body is not valid JSON");
        }
    }

    /** A required member of the Arn shape: a string of 1 to 255 characters of [A-Za-z0-9:./_-]. */
    private String arn(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            throw validation(field, "Member must not be null");
        }
        return checkedArn(text(v, field), field);
    }

    /** A string member: a number, boolean, array or object in its place cannot be read as one. */
    private static String text(JsonNode v, String field) {
        if (!v.isTextual()) {
            throw new SimHttpException(400, "SerializationException", "Unexpected value type in payload: " + field);
        }
        return v.asText();
    }

    private String checkedArn(String value, String field) {
        if (value.isEmpty() || value.length() > 255) {
            throw validation(field, "Member must have length between 1 and 255");
        }
        if (!ARN.matcher(value).matches()) {
            throw validation(field, "Member must satisfy regular expression pattern: ^[A-Za-z0-9:.\\/_-]*$");
        }
        return value;
    }

    /** The RoutingControlState enum: exactly "On" or "Off". */
    private String stateValue(JsonNode v, String field) {
        if (v == null || v.isNull()) {
            throw validation(field, "Member must not be null");
        }
        String s = v.asText();
        if (!v.isTextual() || !(s.equals("On") || s.equals("Off"))) {
            throw validation(field, "Member must satisfy enum value set: [On, Off]");
        }
        return s;
    }

    private Map<String, String> entries(JsonNode body) {
        JsonNode list = body.get("UpdateRoutingControlStateEntries");
        if (list == null || list.isNull()) {
            throw validation("UpdateRoutingControlStateEntries", "Member must not be null");
        }
        if (!list.isArray()) {
            throw new SimHttpException(400, "SerializationException", "Unexpected value type in payload: UpdateRoutingControlStateEntries");
        }
        Map<String, String> changes = new LinkedHashMap<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode entry = list.get(i);
            String prefix = "UpdateRoutingControlStateEntries." + (i + 1) + ".member.";
            JsonNode arnNode = entry.get("RoutingControlArn");
            if (arnNode == null || arnNode.isNull()) {
                throw validation(prefix + "RoutingControlArn", "Member must not be null");
            }
            String arn = checkedArn(text(arnNode, prefix + "RoutingControlArn"), prefix + "RoutingControlArn");
            String state = stateValue(entry.get("RoutingControlState"), prefix + "RoutingControlState");
            if (changes.put(arn, state) != null) {
                throw validation(prefix + "RoutingControlArn", "Member must be unique within the request");
            }
        }
        return changes;
    }

    private Set<String> overrides(JsonNode body) {
        Set<String> arns = new HashSet<>();
        JsonNode list = body.get("SafetyRulesToOverride");
        if (list != null && !list.isNull()) {
            if (!list.isArray()) {
                throw new SimHttpException(400, "SerializationException", "Unexpected value type in payload: SafetyRulesToOverride");
            }
            for (JsonNode n : list) {
                arns.add(checkedArn(text(n, "SafetyRulesToOverride"), "SafetyRulesToOverride"));
            }
        }
        return arns;
    }

    private synchronized ObjectNode getState(JsonNode body) {
        String arn = arn(body, "RoutingControlArn");
        Control c = control(arn);
        return Json.object().put("RoutingControlArn", arn).put("RoutingControlState", states.get(arn)).put("RoutingControlName", c.name());
    }

    /** All changes or none: unknown controls and unmet (not overridden) safety rules refuse the whole request. */
    private synchronized void update(Map<String, String> changes, Set<String> overridden) {
        changes.keySet().forEach(this::control);
        Map<String, String> after = new LinkedHashMap<>(states);
        after.putAll(changes);
        for (AssertionRule rule : rules) {
            if (overridden.contains(rule.arn()) || rule.controls().stream().noneMatch(changes::containsKey)) {
                continue;
            }
            long on = rule.controls().stream().filter(a -> "On".equals(after.get(a))).count();
            if (on < rule.minOn()) {
                throw error("ConflictException", "Cannot update routing control states: safety rule " + rule.name() + " ("
                        + rule.arn() + ") requires at least " + rule.minOn() + " of its routing controls On", Json.object()
                        .put("resourceId", rule.arn()).put("resourceType", "SafetyRule"));
            }
        }
        states.putAll(changes);
    }

    private synchronized ObjectNode list(JsonNode body) {
        String panel = body.hasNonNull("ControlPanelArn") ? arn(body, "ControlPanelArn") : null;
        if (panel != null && controls.values().stream().noneMatch(c -> c.controlPanelArn().equals(panel))) {
            throw error("ResourceNotFoundException", "Control panel " + panel + " not found",
                    Json.object().put("resourceId", panel).put("resourceType", "ControlPanel"));
        }
        int max = DEFAULT_MAX_RESULTS;
        if (body.hasNonNull("MaxResults")) {
            if (!body.get("MaxResults").isIntegralNumber()) {
                throw new SimHttpException(400, "SerializationException", "Unexpected value type in payload: MaxResults");
            }
            max = body.get("MaxResults").asInt();
            if (max < 1) {
                throw validation("MaxResults", "Member must have value greater than or equal to 1");
            }
        }
        int from = 0;
        if (body.hasNonNull("NextToken")) {
            String token = text(body.get("NextToken"), "NextToken");
            if (token.isEmpty() || token.length() > 8096 || !token.matches("[\\S]*")) {
                throw validation("NextToken", "Member must have length between 1 and 8096 and match ^[\\S]*$");
            }
            try {
                from = Integer.parseInt(token);
            } catch (NumberFormatException e) {
                throw validation("NextToken", "Member is not a token this cluster issued");
            }
        }
        List<Control> selected = controls.values().stream().filter(c -> panel == null || c.controlPanelArn().equals(panel)).toList();
        ObjectNode out = Json.object();
        ArrayNode items = out.putArray("RoutingControls");
        for (int i = from; i < Math.min(selected.size(), from + max); i++) {
            Control c = selected.get(i);
            items.addObject().put("ControlPanelArn", c.controlPanelArn()).put("ControlPanelName", c.controlPanelName())
                    .put("RoutingControlArn", c.arn()).put("RoutingControlName", c.name())
                    .put("RoutingControlState", states.get(c.arn())).put("Owner", c.owner());
        }
        if (from + max < selected.size()) {
            out.put("NextToken", String.valueOf(from + max));
        }
        return out;
    }

    private Control control(String arn) {
        Control c = controls.get(arn);
        if (c == null) {
            throw error("ResourceNotFoundException", "Routing control " + arn + " not found",
                    Json.object().put("resourceId", arn).put("resourceType", "RoutingControl"));
        }
        return c;
    }
}
