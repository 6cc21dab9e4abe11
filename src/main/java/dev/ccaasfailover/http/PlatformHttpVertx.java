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
                        .connectionHandler(connection -> {
                            RequestFraming.install(connection);
                            timeouts.onConnection(connection);
                        });
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
                router.route().order(Integer.MIN_VALUE + 2).handler(PlatformHttpVertx::refuseUnusableContentType);
                router.route().order(Integer.MIN_VALUE + 3).handler(PlatformHttpVertx::refuseBadQueryEscapes);
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

    /**
     * A query with a bad percent-escape ({@code ?a=%u0041}) is a 400 here: Vert.x decodes the query lazily, and the
     * first handler to ask for a parameter (Camel's management health check among them) would throw, a 500.
     */
    private static void refuseBadQueryEscapes(RoutingContext ctx) {
        try {
            ctx.queryParams();
        } catch (IllegalArgumentException e) {
            ctx.fail(400);
            return;
        }
        ctx.next();
    }

    /**
     * The one check of a body's Content-Type before Camel's {@code consumes} (which matches the media type only): a
     * wildcard ({@code *}/{@code *}, {@code application/*}) is no media type for a body; JSON is UTF-8 (RFC 8259), so a
     * JSON body with a charset other than utf-8 is refused; and a text body in a charset this JVM does not know (which
     * Camel's conversion of the body to String would throw on, a 500) is refused too. All 415, JSON body naming
     * Content-Type.
     */
    static void refuseUnusableContentType(RoutingContext ctx) {
        String header = ctx.request().getHeader("Content-Type");
        if (header == null || !unusableContentType(header)) {
            ctx.next();
        } else {
            ctx.fail(415);
        }
    }

    /** True for a Content-Type no endpoint of ours can read a body in (see {@link #refuseUnusableContentType}). */
    static boolean unusableContentType(String header) {
        String[] parts = header.split(";");
        String type = parts[0].trim().toLowerCase(Locale.ROOT);
        if (type.contains("*")) {
            return true;
        }
        boolean json = type.equals("application/json") || type.endsWith("+json");
        for (int i = 1; i < parts.length; i++) {
            String parameter = parts[i].trim();
            int eq = parameter.indexOf('=');
            if (eq < 0 || !parameter.substring(0, eq).trim().equalsIgnoreCase("charset")) {
                continue;
            }
            String charset = parameter.substring(eq + 1).trim();
            if (charset.length() >= 2 && charset.startsWith("\"") && charset.endsWith("\"")) {
                charset = charset.substring(1, charset.length() - 1);
            }
            if (json) {
                if (!charset.equalsIgnoreCase("utf-8")) {
                    return true;
                }
            } else if (!knownCharset(charset)) {
                return true;
            }
        }
        return false;
    }

    private static boolean knownCharset(String name) {
        try {
            return java.nio.charset.Charset.isSupported(name);
        } catch (IllegalArgumentException e) {
            return false;
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
