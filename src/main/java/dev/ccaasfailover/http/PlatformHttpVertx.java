package dev.ccaasfailover.http;

import dev.ccaasfailover.config.FailoverConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.impl.VertxInternal;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The Vert.x instance platform-http serves on (business and management servers), bound in the registry, where
 * Camel's VertxPlatformHttpServer looks it up. Camel 4.17 creates its HTTP servers with {@code new HttpServerOptions()}
 * and has no option or customizer for them, so this instance is the one seam left: every HTTP server created through
 * it gets, before it listens, the idle timeout, the JSON answer to requests Vert.x cannot parse (400, 414, 431), the
 * header and body timers ({@link SlowClientTimeouts}) and the JSON error pages on its router ({@link JsonErrorPages}).
 * Everything else is passed to a plain {@link Vertx#vertx()}.
 */
public final class PlatformHttpVertx {

    private PlatformHttpVertx() {
    }

    /** A new Vert.x; close it ({@link Vertx#close()}) when the Camel context stops. */
    public static Vertx create(FailoverConfig.HttpSettings http, long maxBodySize) {
        VertxInternal vertx = (VertxInternal) Vertx.vertx();
        SlowClientTimeouts timeouts = new SlowClientTimeouts(vertx, http.headerTimeoutMs(), http.bodyTimeoutMs());
        return delegate(VertxInternal.class, vertx, (self, method, args) -> {
            if (method.getName().equals("createHttpServer") && args != null && args.length == 1
                    && args[0] instanceof HttpServerOptions options) {
                // HTTP/1.1 only: no client of ours speaks h2c, and without it Vert.x makes the connection (and calls
                // the connection handler, which starts the header timer) on accept, not on the first bytes
                HttpServerOptions hardened = new HttpServerOptions(options).setHttp2ClearTextEnabled(false)
                        .setIdleTimeout(http.idleTimeoutMs()).setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
                HttpServer server = vertx.createHttpServer(hardened)
                        .invalidRequestHandler(JsonErrorPages::invalidRequest)
                        .connectionHandler(timeouts::onConnection);
                return routerInstalling(server, timeouts, maxBodySize);
            }
            return PASS;
        });
    }

    /** The server as Camel sees it: when Camel hands it its router, the router gets the timers and the error pages. */
    private static HttpServer routerInstalling(HttpServer server, SlowClientTimeouts timeouts, long maxBodySize) {
        return delegate(HttpServer.class, server, (self, method, args) -> {
            if (method.getName().equals("requestHandler") && args != null && args[0] instanceof Router router) {
                router.route().order(Integer.MIN_VALUE).handler(timeouts::onRequest);
                router.route().order(Integer.MIN_VALUE + 1).handler(PlatformHttpVertx::refuseFormsWithoutBodyMethod);
                JsonErrorPages.installOn(router, maxBodySize);
                server.requestHandler(router);
                return self;
            }
            return PASS;
        });
    }

    /**
     * Vert.x's body handler throws (a 500) on a form or multipart Content-Type with GET, HEAD or OPTIONS; no endpoint
     * of ours takes a form at all, so such a request is refused as the content type it is.
     */
    private static void refuseFormsWithoutBodyMethod(RoutingContext ctx) {
        HttpMethod method = ctx.request().method();
        String type = ctx.parsedHeaders().contentType().value().toLowerCase(Locale.ROOT);
        boolean form = type.startsWith("multipart/") || type.startsWith("application/x-www-form-urlencoded");
        if (form && !(method == HttpMethod.POST || method == HttpMethod.PUT || method == HttpMethod.PATCH
                || method == HttpMethod.DELETE)) {
            ctx.fail(415);
        } else {
            ctx.next();
        }
    }

    private static final Object PASS = new Object();

    /** One call of the proxy: a result, or {@link #PASS} to hand the call to the target. */
    private interface Interceptor {
        Object call(Object self, Method method, Object[] args) throws Exception;
    }

    @SuppressWarnings("unchecked")
    private static <T> T delegate(Class<T> type, T target, Interceptor interceptor) {
        return (T) Proxy.newProxyInstance(PlatformHttpVertx.class.getClassLoader(), new Class<?>[]{type}, (self, method, args) -> {
            Object result = interceptor.call(self, method, args);
            if (result != PASS) {
                return result;
            }
            if (method.getName().equals("equals") && method.getParameterCount() == 1) {
                return self == args[0];
            }
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        });
    }
}
