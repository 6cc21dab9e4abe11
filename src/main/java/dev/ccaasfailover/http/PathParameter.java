package dev.ccaasfailover.http;

import dev.ccaasfailover.context.EventTranslator;

/**
 * The check of an id taken from a request path ({@code /calls/{callId}}, {@code /runs/{runId}}, ...). Routes bind
 * such values with {@code @Header} on the bean method, not as {@code method(${header.x})}: Camel evaluates a
 * method-string parameter and then turns the text {@code null} into null and strips quotes around it, so
 * {@code /calls/null} or {@code /calls/'c-1'} would not be the call the client named.
 */
public final class PathParameter {

    private PathParameter() {
    }

    /** The value when it is an id as ingest accepts ids (1 to 200 letters, digits or ._:@/+=#~-), else 400 naming it. */
    public static String id(String name, String value) {
        if (value == null || !EventTranslator.isId(value)) {
            throw ApiException.badRequest(name, "not a valid id (1 to 200 letters, digits or ._:@/+=#~-)");
        }
        return value;
    }
}
