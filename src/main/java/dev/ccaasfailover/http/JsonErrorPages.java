package dev.ccaasfailover.http;

import dev.ccaasfailover.context.PhoneMask;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The contract's JSON error body for every request the HTTP layer refuses before (or instead of) a Camel route:
 * Vert.x's own answers are empty, text or HTML. Two places: the router's error handlers (no such endpoint 404,
 * method 405, Accept 406, body timeout 408, body too large 413, Content-Type 415, a bad percent-escape 400, an
 * authentication challenge 401 (its WWW-Authenticate kept), an error of the layer 500)
 * and the server's handler of requests it cannot parse (request line too long 414, headers too large 431, else 400).
 */
public final class JsonErrorPages {

    private static final Logger LOG = LoggerFactory.getLogger(JsonErrorPages.class);

    private JsonErrorPages() {
    }

    /** Error handlers for every 4xx and 5xx on {@code router} (a server's router, or a sub-router that fails alone). */
    static void installOn(Router router, long maxBodySize) {
        for (int code = 400; code <= 599; code++) {
            int status = code;
            router.errorHandler(status, ctx -> routerError(ctx, status, maxBodySize));
        }
        // Vert.x's body handler fails a request whose body broke off (client gone, connection closed) with status
        // 200; without a handler for it, Vert.x logs an ERROR per such request
        router.errorHandler(200, ctx -> write(ctx.response(), 400, "body: the request broke off before its end", "body", true));
    }

    /**
     * Once the servers run: the error handlers on the platform-http sub-routers too. A path parameter with a bad
     * percent-escape fails inside the sub-router, and Vert.x asks that router's handlers only.
     */
    public static void installOnSubRouters(CamelContext context, long maxBodySize) {
        for (String key : new String[]{"camel.server.port", "camel.management.port"}) {
            context.getPropertiesComponent().resolveProperty(key).map(Integer::parseInt).ifPresent(port -> {
                Router router = VertxPlatformHttpRouter.lookup(context, VertxPlatformHttpRouter.getRouterNameFromPort(port));
                if (router != null) {
                    installOn(router, maxBodySize);
                }
            });
        }
    }

    private static void routerError(RoutingContext ctx, int status, long maxBodySize) {
        HttpServerRequest request = ctx.request();
        String field = null;
        String message = switch (status) {
            case 400 -> "malformed request (a bad percent-escape in the path or query, or no Host header)";
            case 401 -> "missing or unknown credentials";
            case 404 -> "no such endpoint: " + request.method() + " " + request.path();
            case 405 -> "method " + request.method() + " not allowed on " + request.path();
            case 406 -> "this endpoint answers application/json; send Accept: application/json";
            case 413 -> "larger than " + maxBodySize + " bytes";
            case 415 -> "not accepted here; send the body as application/json";
            default -> HttpResponseStatus.valueOf(status).reasonPhrase();
        };
        if (status == 413) {
            field = "body";
            message = "body: " + message;
        } else if (status == 415) {
            field = "Content-Type";
            message = "Content-Type: " + message;
        } else if (status == 500) {
            message = "internal error; see the server log";
            LOG.error("HTTP layer failed {} {} with {}", request.method(), PhoneMask.maskDigitsIn(request.path()), status,
                    ctx.failure());
        }
        write(ctx.response(), status, message, field, false);
    }

    /** The server's handler of requests Vert.x could not decode: the same statuses as Vert.x's own, with our body. */
    static void invalidRequest(HttpServerRequest request) {
        Throwable cause = request.decoderResult().cause();
        if (cause instanceof TooLongHttpLineException) {
            writeAndClose(request.response(), 414, "request line longer than "
                    + HttpServerOptions.DEFAULT_MAX_INITIAL_LINE_LENGTH + " bytes", null);
        } else if (cause instanceof TooLongHttpHeaderException) {
            writeAndClose(request.response(), 431, "request headers larger than "
                    + HttpServerOptions.DEFAULT_MAX_HEADER_SIZE + " bytes", null);
        } else {
            writeAndClose(request.response(), 400, "malformed HTTP request", null);
        }
    }

    /** Answers and closes the connection: what follows on it cannot be trusted to be a request. */
    static void writeAndClose(HttpServerResponse response, int status, String message, String field) {
        write(response, status, message, field, true);
    }

    private static void write(HttpServerResponse response, int status, String message, String field, boolean close) {
        if (response.headWritten() || response.closed()) {
            if (close) {
                response.close();
            }
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        body.put("message", message);
        if (field != null) {
            body.put("field", field);
        }
        // nothing a failed handler had set goes out with the error, except an authentication challenge
        String challenge = response.headers().get("WWW-Authenticate");
        response.headers().clear();
        if (challenge != null) {
            response.putHeader("WWW-Authenticate", challenge);
        }
        response.setStatusCode(status).putHeader("Content-Type", "application/json");
        if (close) {
            response.putHeader("Connection", "close");
            response.end(Json.write(body)).onComplete(done -> response.close());
        } else {
            response.end(Json.write(body));
        }
    }
}
