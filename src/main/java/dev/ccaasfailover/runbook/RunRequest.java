package dev.ccaasfailover.runbook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ccaasfailover.http.ApiException;
import dev.ccaasfailover.http.Json;

import java.util.Iterator;
import java.util.Set;

/**
 * An operator's POST /failover or /failback body: {"reason": "...", "dryRun": false, "force": false}. Unknown fields
 * are refused and dryRun must be written out as a boolean: a mistyped "dryrun", a null or a forgotten field must
 * never turn what was meant as a dry run into a real failover. (Repeated keys and trailing data are refused by the
 * mapper.)
 */
public record RunRequest(RunKind kind, String reason, boolean dryRun, boolean force) {

    private static final Set<String> FIELDS = Set.of("reason", "dryRun", "force");

    /**
     * The request bytes go to Jackson's UTF-8 parser as they are: decoded to a String first, bytes that are not UTF-8
     * would become U+FFFD and a malformed request would be acted on.
     */
    public static RunRequest parse(String kind, String body) {
        return parse(kind, body == null ? null : body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    public static RunRequest parse(String kind, byte[] body) {
        RunKind k = RunKind.parse(kind);
        if (body == null || new String(body, java.nio.charset.StandardCharsets.ISO_8859_1).isBlank()) {
            throw ApiException.badRequest("body", "required: {\"reason\": \"...\", \"dryRun\": false, \"force\": false}");
        }
        JsonNode json;
        Json.requireUtf8(body);
        try {
            json = Json.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("body", "not valid JSON (" + e.getOriginalMessage() + ")");
        } catch (java.io.IOException e) {
            throw ApiException.badRequest("body", "not readable (" + e.getMessage() + ")");
        }
        if (json == null || !json.isObject()) {
            throw ApiException.badRequest("body", "must be a JSON object");
        }
        for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw ApiException.badRequest(name, "unknown field; allowed: reason, dryRun, force");
            }
        }
        JsonNode reason = json.get("reason");
        if (reason == null || reason.isNull()) {
            throw ApiException.badRequest("reason", "required: say why, it goes into the journal");
        }
        if (!reason.isTextual() || reason.asText().isBlank()) {
            throw ApiException.badRequest("reason", "must be a non-empty string");
        }
        if (reason.asText().length() > 500) {
            throw ApiException.badRequest("reason", "at most 500 characters");
        }
        JsonNode dryRun = json.get("dryRun");
        if (dryRun == null || dryRun.isNull()) {
            throw ApiException.badRequest("dryRun", "required: true for the plan only, false for a real run");
        }
        JsonNode force = json.get("force");
        return new RunRequest(k, reason.asText().trim(), bool(dryRun, "dryRun"), force != null && bool(force, "force"));
    }

    private static boolean bool(JsonNode v, String field) {
        if (!v.isBoolean()) {
            throw ApiException.badRequest(field, "must be true or false (a JSON boolean, not a string or number)");
        }
        return v.booleanValue();
    }
}
