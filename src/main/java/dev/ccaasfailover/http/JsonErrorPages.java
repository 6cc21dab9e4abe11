package dev.ccaasfailover.http;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Some requests are refused by platform-http's Vert.x router before any Camel route runs: a body over
 * {@code camel.server.maxBodySize} (413) and a method and path no route serves (404). Vert.x answers those with an
 * empty or HTML body; these handlers give them the contract's JSON error body instead. (The REST definitions
 * declare no {@code consumes}, so a JSON body sent as text/plain, as SNS does, is read rather than refused with 415.)
 */
public final class JsonErrorPages {

    private static final Logger LOG = LoggerFactory.getLogger(JsonErrorPages.class);

    private JsonErrorPages() {
    }

    /** Call once the HTTP server has started (the router exists then). */
    public static void install(CamelContext context, long maxBodySize) {
        // Named by port when the server is not on the default one; the management server has its own router.
        int port = Integer.parseInt(context.getPropertiesComponent().resolveProperty("camel.server.port").orElse("8080"));
        Router router = VertxPlatformHttpRouter.lookup(context, VertxPlatformHttpRouter.getRouterNameFromPort(port));
        if (router == null) {
            router = VertxPlatformHttpRouter.lookup(context);
        }
        if (router == null) {
            LOG.warn("No platform-http router found: requests refused before a route (413, 404) get Vert.x's own bodies");
            return;
        }
        router.route().order(Integer.MIN_VALUE).failureHandler(ctx -> {
            if (ctx.statusCode() == 413) {
                write(ctx, 413, "body: larger than " + maxBodySize + " bytes", "body");
            } else {
                ctx.next();
            }
        });
        // Last of all routes: whatever no endpoint took (management endpoints on a shared port come before it).
        router.route().order(Integer.MAX_VALUE).handler(ctx ->
                write(ctx, 404, "no such endpoint: " + ctx.request().method() + " " + ctx.request().path(), null));
    }

    private static void write(RoutingContext ctx, int status, String message, String field) {
        if (ctx.response().headWritten()) {
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        body.put("message", message);
        if (field != null) {
            body.put("field", field);
        }
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(Json.write(body));
    }
}
