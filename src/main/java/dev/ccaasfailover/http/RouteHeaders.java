package dev.ccaasfailover.http;

import org.apache.camel.Exchange;
import org.apache.camel.component.platform.http.vertx.HttpMessage;
import org.apache.camel.spi.HeaderFilterStrategy;

import java.util.Locale;
import java.util.Set;

/**
 * The header filter of every platform-http consumer: which parts of a request become Camel headers (only what the
 * routes read) and which Camel headers become response headers (only what the routes set). platform-http's default
 * copies every request header, query parameter and form field in, and every message header out, so
 * {@code ?Set-Cookie=...} came back as a response header, {@code ?Authorization=Bearer ...} passed as a token, and a
 * parameter name that is not a legal header name failed the answer with a 500.
 */
public final class RouteHeaders implements HeaderFilterStrategy {

    /** Request headers the routes read: the bearer token, and SNS's own headers for the SNS endpoint. Lower case. */
    static final Set<String> REQUEST_HEADERS_READ = Set.of("authorization",
            "x-amz-sns-message-type", "x-amz-sns-message-id", "x-amz-sns-topic-arn", "x-amz-sns-subscription-arn");

    /** Query parameters the routes read ({@code GET /runs?limit=}). Lower case. */
    static final Set<String> QUERY_PARAMETERS_READ = Set.of("limit");

    /** Response headers the routes set. Lower case. (Content-Type is written by platform-http itself.) */
    static final Set<String> RESPONSE_HEADERS_SET = Set.of("content-type", "retry-after", "location");

    /** Inbound. {@code true} drops the header. platform-http asks for request headers first, then query, then form. */
    @Override
    public boolean applyFilterToExternalHeaders(String name, Object value, Exchange exchange) {
        String key = name.toLowerCase(Locale.ROOT);
        boolean taken = exchange.getIn().getHeaders().containsKey(name);
        if (QUERY_PARAMETERS_READ.contains(key)) {
            return taken;
        }
        if (REQUEST_HEADERS_READ.contains(key)) {
            // The same name as a query parameter or form field is not the header: the value must be the request's
            // own header value, and only the first one counts (a query copy of it would make the header a list).
            return taken || !isRequestHeader(exchange, name, value);
        }
        return true;
    }

    /** Outbound. {@code true} keeps the Camel header out of the response. */
    @Override
    public boolean applyFilterToCamelHeaders(String name, Object value, Exchange exchange) {
        return !RESPONSE_HEADERS_SET.contains(name.toLowerCase(Locale.ROOT));
    }

    private static boolean isRequestHeader(Exchange exchange, String name, Object value) {
        return exchange.getIn() instanceof HttpMessage http && http.getRequest() != null
                && value != null && value.equals(http.getRequest().getHeader(name));
    }
}
