package dev.ccaasfailover.http;

import io.vertx.ext.web.Router;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * platform-http refuses a body over {@code camel.server.maxBodySize} in Vert.x's body handler, before any Camel
 * route runs, with a bare 413 and no body. This failure handler on the business router gives that 413 the
 * contract's JSON error body; other failures pass on unchanged.
 */
public final class OversizedBodyResponder {

    private static final Logger LOG = LoggerFactory.getLogger(OversizedBodyResponder.class);

    private OversizedBodyResponder() {
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
            LOG.warn("No platform-http router found: a body over {} bytes gets a 413 without a JSON body", maxBodySize);
            return;
        }
        String json = errorBody(maxBodySize);
        router.route().order(Integer.MIN_VALUE).failureHandler(ctx -> {
            if (ctx.statusCode() == 413 && !ctx.response().headWritten()) {
                ctx.response().setStatusCode(413).putHeader("Content-Type", "application/json").end(json);
            } else {
                ctx.next();
            }
        });
    }

    static String errorBody(long maxBodySize) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", 413);
        body.put("message", "body: larger than " + maxBodySize + " bytes");
        body.put("field", "body");
        return Json.write(body);
    }
}
