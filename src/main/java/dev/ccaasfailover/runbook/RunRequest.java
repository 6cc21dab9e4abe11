package dev.ccaasfailover.runbook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ccaasfailover.http.ApiException;
import dev.ccaasfailover.http.Json;

import java.util.Iterator;
import java.util.Set;

/**
 * An operator's POST /failover or /failback body: {"reason": "...", "dryRun": false, "force": false}. Unknown fields
 * are refused: a mistyped "dryrun" must never turn a dry run into a real failover.
 */
public record RunRequest(RunKind kind, String reason, boolean dryRun, boolean force) {

    private static final Set<String> FIELDS = Set.of("reason", "dryRun", "force");

    public static RunRequest parse(String kind, String body) {
        RunKind k = RunKind.parse(kind);
        if (body == null || body.isBlank()) {
            throw ApiException.badRequest("body", "required: {\"reason\": \"...\", \"dryRun\": false, \"force\": false}");
        }
        JsonNode json;
        try {
            json = Json.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("body", "not valid JSON (" + e.getOriginalMessage() + ")");
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
        return new RunRequest(k, reason.asText().trim(), bool(json, "dryRun"), bool(json, "force"));
    }

    private static boolean bool(JsonNode json, String field) {
        JsonNode v = json.get(field);
        if (v == null || v.isNull()) {
            return false;
        }
        if (!v.isBoolean()) {
            throw ApiException.badRequest(field, "must be true or false");
        }
        return v.booleanValue();
    }
}
