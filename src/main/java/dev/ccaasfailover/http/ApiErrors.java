package dev.ccaasfailover.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.ccaasfailover.context.PhoneMask;
import dev.ccaasfailover.observe.LogValues;
import dev.ccaasfailover.store.StoreUnavailableException;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns whatever went wrong in an HTTP route into the contract's error body
 * {@code {"status":400,"message":"...","field":"..."}}. Client mistakes keep their 4xx; a store outage is 503 with
 * Retry-After (SNS, SQS and Studio retry, and nothing was acknowledged); anything else is our bug: 500, logged.
 */
public class ApiErrors {

    private static final Logger LOG = LoggerFactory.getLogger(ApiErrors.class);
    static final String RETRY_AFTER_SECONDS = "5";

    public void respond(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        int status;
        String message;
        String field = null;
        if (cause instanceof ApiException api) {
            status = api.status();
            message = api.getMessage();
            field = api.field();
            if (api.retryAfterSeconds() != null) {
                exchange.getMessage().setHeader("Retry-After", String.valueOf(api.retryAfterSeconds()));
            }
        } else if (cause instanceof JsonProcessingException json) {
            status = 400;
            message = "body: not valid JSON (" + json.getOriginalMessage() + ")";
            field = "body";
        } else if (cause instanceof StoreUnavailableException) {
            status = 503;
            message = "store unavailable; nothing was written, retry later";
            exchange.getMessage().setHeader("Retry-After", RETRY_AFTER_SECONDS);
            LOG.warn("Store unavailable for {} {}: {}", LogValues.clip(exchange.getMessage().getHeader(Exchange.HTTP_METHOD)),
                    LogValues.clip(PhoneMask.maskDigitsIn(exchange.getMessage().getHeader(Exchange.HTTP_PATH, String.class))),
                    cause.getMessage());
        } else if (cause instanceof DependencyUnavailableException) {
            status = 503;
            message = "a dependency is unavailable; nothing was done, retry later";
            exchange.getMessage().setHeader("Retry-After", RETRY_AFTER_SECONDS);
            LOG.warn("Dependency unavailable: {}", LogValues.clip(cause.getMessage()));
        } else {
            status = 500;
            message = "internal error (exchange " + exchange.getExchangeId() + "); see the server log";
            // the exception's message may hold what a client sent (a phone number, a token in a form body): logged
            // sanitized, and the trace is that of a sanitized copy (same class name and frames, no client text)
            LOG.error("Unhandled error in exchange {}: {}", exchange.getExchangeId(), sanitized(cause), sanitizedTrace(cause));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        body.put("message", message);
        if (field != null) {
            body.put("field", field);
        }
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getMessage().setBody(Json.write(body));
    }

    private static final java.util.regex.Pattern SECRET = java.util.regex.Pattern.compile(
            "(?i)(authorization\\s*[=:]\\s*)\\S+(\\s+\\S+)?|bearer\\s+\\S+|(token\\s*[=:]\\s*)\\S+");

    /** The class and a message with tokens redacted, phone numbers masked, clipped. */
    static String sanitized(Throwable cause) {
        if (cause == null) {
            return "null";
        }
        String message = cause.getMessage();
        String text = message == null ? "" : SECRET.matcher(message).replaceAll("[redacted]");
        return cause.getClass().getName() + ": " + LogValues.clip(PhoneMask.maskDigitsIn(text));
    }

    /** A copy of the chain, each with its sanitized message and its own stack frames. */
    static Throwable sanitizedTrace(Throwable cause) {
        if (cause == null) {
            return null;
        }
        Throwable copy = new RuntimeException(sanitized(cause), sanitizedTrace(cause.getCause() == cause ? null : cause.getCause()));
        copy.setStackTrace(cause.getStackTrace());
        return copy;
    }
}
