package dev.ccaasfailover.observe;

import dev.ccaasfailover.http.Json;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.impl.Utils;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.main.ManagementHttpServer;
import org.apache.camel.component.platform.http.plugin.JolokiaPlatformHttpPlugin;
import org.apache.camel.support.service.ServiceSupport;
import org.jolokia.json.JSONObject;
import org.jolokia.json.JSONStructure;
import org.jolokia.server.core.config.ConfigKey;
import org.jolokia.server.core.config.StaticConfiguration;
import org.jolokia.server.core.http.HttpRequestHandler;
import org.jolokia.server.core.request.BadRequestException;
import org.jolokia.server.core.request.EmptyResponseException;
import org.jolokia.server.core.request.JolokiaRequest;
import org.jolokia.server.core.service.JolokiaServiceManagerFactory;
import org.jolokia.server.core.service.api.JolokiaContext;
import org.jolokia.server.core.service.api.JolokiaServiceManager;
import org.jolokia.server.core.service.api.LogHandler;
import org.jolokia.server.core.util.NetworkUtil;
import org.jolokia.service.jmx.LocalRequestHandler;
import org.jolokia.service.serializer.JolokiaSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.management.RuntimeMBeanException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Jolokia on the management server, in place of camel-platform-http-jolokia's plugin (bound as bean "jolokia",
 * which the plugin registry prefers): nothing without the admin token or the Basic credentials, and then only what
 * {@link JolokiaRestrictor} allows. Strangers are turned away by a route ahead of Camel's, before their body is
 * read; the handler checks again, so Jolokia never runs for an unauthenticated request.
 * <p>Size: authentication, request-shape checks and the answer for Jolokia in one guard, so the security boundary is
 * reviewed in one file.
 */
public final class GuardedJolokiaPlugin extends ServiceSupport implements JolokiaPlatformHttpPlugin {

    private static final Logger LOG = LoggerFactory.getLogger(GuardedJolokiaPlugin.class);
    private static final String REALM = "ccaas-failover-management";

    private final JolokiaAccess access;
    private final JolokiaRestrictor restrictor;
    private CamelContext camelContext;
    private JolokiaServiceManager serviceManager;
    private GatedRequestHandler requests;

    public GuardedJolokiaPlugin(JolokiaAccess access) {
        this.access = access;
        this.restrictor = JolokiaRestrictor.fromPolicyFile(access);
    }

    @Override
    protected void doStart() {
        var config = new StaticConfiguration(
                ConfigKey.AGENT_ID, NetworkUtil.getAgentId(hashCode(), "vertx"),
                // Error answers carry no stack traces or serialized exceptions, whatever the request asks for.
                ConfigKey.ALLOW_ERROR_DETAILS, "false",
                ConfigKey.INCLUDE_REQUEST, "false");
        serviceManager = JolokiaServiceManagerFactory.createJolokiaServiceManager(config, new Slf4jLog(), restrictor);
        serviceManager.addService(new JolokiaSerializer());
        serviceManager.addService(new LocalRequestHandler(1));
        requests = new GatedRequestHandler(serviceManager.start(), restrictor);
        installGate();
        if (!access.hasCredentials()) {
            LOG.warn("Jolokia refuses every request: neither failover.security.token.admin nor {} is set "
                    + "(set FAILOVER_TOKEN_ADMIN, or FAILOVER_JOLOKIA_USER and FAILOVER_JOLOKIA_PASSWORD)", JolokiaAccess.PASSWORD_KEY);
        } else {
            LOG.info("Jolokia needs the admin bearer token{}; read-only, exec allowed for {} listed operation(s)",
                    access.basicEnabled() ? " or HTTP Basic" : "", access.execAllow().size());
        }
    }

    /** A route ordered before the management server's own Jolokia route, so a stranger's body is never buffered. */
    private void installGate() {
        ManagementHttpServer server = camelContext == null ? null : camelContext.hasService(ManagementHttpServer.class);
        if (server == null || server.getRouter() == null) {
            throw new IllegalStateException("Jolokia plugin started without Camel's management server; "
                    + "set camel.management.enabled=true or camel.management.jolokiaEnabled=false");
        }
        server.getRouter().route(server.getJolokiaPath() + "/*").order(Integer.MIN_VALUE).handler(ctx -> {
            if (access.authenticates(ctx.request().getHeader(HttpHeaders.AUTHORIZATION))) {
                ctx.next();
            } else {
                refuse(ctx);
            }
        });
    }

    @Override
    protected void doStop() {
        if (serviceManager != null) {
            serviceManager.stop();
        }
    }

    @Override
    public Object getHandler() {
        Handler<RoutingContext> handler = this::handle;
        return handler;
    }

    private void handle(RoutingContext ctx) {
        HttpServerRequest req = ctx.request();
        if (!access.authenticates(req.getHeader(HttpHeaders.AUTHORIZATION))) {
            refuse(ctx);
            return;
        }
        int status = 200;
        Object json;
        try {
            SocketAddress remote = req.remoteAddress();
            String host = remote == null ? null : remote.host();
            requests.checkAccess(req.scheme(), host, host, originOrReferer(req));
            if (req.method() == HttpMethod.GET) {
                json = requests.handleGetRequest(req.uri(), Utils.pathOffset(req.path(), ctx), params(req.params()));
            } else if (ctx.body() == null || ctx.body().buffer() == null || ctx.body().length() <= 0) {
                throw new MalformedRequest("a POST needs a JSON request (an object, or an array of them) as its body");
            } else {
                byte[] body = ctx.body().buffer().getBytes();
                requireJsonRequest(body);
                json = requests.handlePostRequest(req.uri(), new ByteArrayInputStream(body),
                        StandardCharsets.UTF_8.name(), params(req.params()));
            }
        } catch (MalformedRequest e) {
            ctx.response().setStatusCode(400).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    .end(Json.write(errorBody(400, e.getMessage())));
            return;
        } catch (BadRequestException | IllegalArgumentException | ClassCastException | IndexOutOfBoundsException
                 | IllegalStateException | java.io.IOException e) {
            // Jolokia's parser and request factory on input the shape check let through: the client's mistake. Its GET
            // path parser indexes past the end of some paths (".../jolokia/..%2F"): that is a path it cannot read.
            status = 400;
            json = requests.handleThrowable(new IllegalArgumentException(
                    e instanceof ClassCastException ? "a request field has the wrong type"
                            : e instanceof IndexOutOfBoundsException ? "the request path cannot be read as a Jolokia request"
                            : e.getMessage()));
        } catch (SecurityException e) {
            status = 403;
            json = requests.handleThrowable(e);
        } catch (EmptyResponseException e) {
            ctx.response().setStatusCode(204).end();
            return;
        } catch (RuntimeException e) {
            status = 500;
            LOG.error("Jolokia request failed", e);
            json = requests.handleThrowable(e instanceof RuntimeMBeanException m ? m.getTargetException() : e);
        }
        plainErrors(json);
        ctx.response().setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(json instanceof JSONStructure s ? s.toJSONString() : String.valueOf(json));
    }

    /** The request types Jolokia knows; which of them may run is {@link JolokiaRestrictor}'s call, per item. */
    static final java.util.Set<String> KNOWN_TYPES = java.util.Set.of("read", "write", "exec", "list", "search", "version",
            "notification", "config");
    static final int MAX_NAME = 1024;
    private static final java.util.regex.Pattern CLASS_PREFIX = java.util.regex.Pattern.compile("^(?:[\\w$]+\\.)+[\\w$]+ : ");

    /** A request the guard refuses before Jolokia sees it: answered 400 with the JSON error body. */
    static final class MalformedRequest extends RuntimeException {
        MalformedRequest(String message) {
            super(message, null, false, false);
        }
    }

    static Map<String, Object> errorBody(int status, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        body.put("message", message);
        body.put("error", message); // Jolokia's field, so Hawtio shows it too
        return body;
    }

    /**
     * Jolokia's error items name Java exception classes ({@code error_type}, "java.lang.X : ..."): each becomes
     * {@code {status, message, error}} with the plain message, in a bulk answer item by item.
     */
    @SuppressWarnings("unchecked")
    static void plainErrors(Object json) {
        if (json instanceof java.util.List<?> list) {
            list.forEach(GuardedJolokiaPlugin::plainErrors);
        } else if (json instanceof Map<?, ?> m && (m.containsKey("error_type") || m.containsKey("error"))) {
            Map<String, Object> item = (Map<String, Object>) m;
            Object error = item.get("error");
            String message = error == null ? "request refused" : CLASS_PREFIX.matcher(String.valueOf(error)).replaceFirst("");
            item.remove("error_type");
            item.remove("error_value");
            item.remove("stacktrace");
            item.remove("request");
            item.put("error", message);
            item.put("message", message);
        }
    }

    /** The shape of each request: a known type as a string, names as strings of sane length, arguments an array. */
    static void requireShape(com.fasterxml.jackson.databind.JsonNode tree) {
        if (tree.isArray()) {
            if (tree.isEmpty()) {
                throw new MalformedRequest("body: an empty array holds no Jolokia request");
            }
            for (var item : tree) {
                requireItemShape(item);
            }
        } else {
            requireItemShape(tree);
        }
    }

    private static void requireItemShape(com.fasterxml.jackson.databind.JsonNode r) {
        if (!r.isObject()) {
            throw new MalformedRequest("body: each Jolokia request is a JSON object");
        }
        var type = r.get("type");
        if (type == null || !type.isTextual()) {
            throw new MalformedRequest("type: a Jolokia request needs a type, a string (read, list, search, version, exec)");
        }
        if (!KNOWN_TYPES.contains(type.textValue())) {
            throw new MalformedRequest("type: not a Jolokia request type (read, list, search, version, exec)");
        }
        for (String field : java.util.List.of("mbean", "operation", "path")) {
            requireName(r, field);
        }
        var attribute = r.get("attribute");
        if (attribute != null && !attribute.isNull()) {
            if (attribute.isArray()) {
                if (attribute.size() > 256) {
                    throw new MalformedRequest("attribute: at most 256 names");
                }
                for (var a : attribute) {
                    if (!a.isTextual() || a.textValue().length() > MAX_NAME) {
                        throw new MalformedRequest("attribute: each name a string of at most " + MAX_NAME + " characters");
                    }
                }
            } else {
                requireName(r, "attribute");
            }
        }
        var arguments = r.get("arguments");
        if (arguments != null && !arguments.isNull() && !arguments.isArray()) {
            throw new MalformedRequest("arguments: an array");
        }
        var config = r.get("config");
        if (config != null && !config.isNull() && !config.isObject()) {
            throw new MalformedRequest("config: an object");
        }
        if (config != null && config.isObject()) {
            for (var v : config) {
                if (!(v.isTextual() || v.isBoolean() || v.canConvertToInt()) || (v.isTextual() && v.textValue().length() > MAX_NAME)) {
                    throw new MalformedRequest("config: each value a string, a boolean or a small integer");
                }
            }
        }
    }

    private static void requireName(com.fasterxml.jackson.databind.JsonNode r, String field) {
        var v = r.get(field);
        if (v != null && !v.isNull() && (!v.isTextual() || v.textValue().length() > MAX_NAME)) {
            throw new MalformedRequest(field + ": a string of at most " + MAX_NAME + " characters");
        }
    }

    /** Jolokia's own parser throws IllegalStateException on truncated JSON; Jackson's answer is a clear 400. */
    private static void requireJsonRequest(byte[] body) {
        try {
            var tree = Json.MAPPER.readTree(body);
            if (tree == null || !(tree.isObject() || tree.isArray())) {
                throw new MalformedRequest("body: a Jolokia request is a JSON object or an array of them");
            }
            requireShape(tree);
        } catch (java.io.IOException e) {
            throw new MalformedRequest("body: not valid JSON");
        }
    }

    private void refuse(RoutingContext ctx) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", 401);
        body.put("message", access.hasCredentials()
                ? "Jolokia needs Authorization: Bearer <admin token>" + (access.basicEnabled() ? " or HTTP Basic" : "")
                : "Jolokia is closed: no admin token and no Jolokia password are configured");
        var response = ctx.response().setStatusCode(401)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader("WWW-Authenticate", "Bearer realm=\"" + REALM + "\"");
        if (access.basicEnabled()) {
            response.headers().add("WWW-Authenticate", "Basic realm=\"" + REALM + "\", charset=\"UTF-8\"");
        }
        response.end(Json.write(body));
    }

    private static Map<String, String[]> params(MultiMap params) {
        Map<String, String[]> out = new HashMap<>();
        for (String name : params.names()) {
            out.put(name, params.getAll(name).toArray(new String[0]));
        }
        return out;
    }

    private static String originOrReferer(HttpServerRequest req) {
        String origin = req.getHeader(HttpHeaders.ORIGIN);
        if (origin == null) {
            origin = req.getHeader(HttpHeaders.REFERER);
        }
        return origin == null ? null : origin.replaceAll("[\\n\\r]*", "");
    }

    @Override
    public String getId() {
        return NAME;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    /**
     * Jolokia's HTTP handler, refusing request types outside the read-only set and exec before they reach a
     * command handler: notification and config requests are not checked by the policy at all.
     */
    static final class GatedRequestHandler extends HttpRequestHandler {
        private final JolokiaRestrictor restrictor;

        GatedRequestHandler(JolokiaContext context, JolokiaRestrictor restrictor) {
            super(context);
            this.restrictor = restrictor;
        }

        @Override
        protected JSONObject executeRequest(JolokiaRequest request) throws EmptyResponseException {
            if (!restrictor.isRequestTypeAllowed(request.getType())) {
                return getErrorJSON(403, new SecurityException("Command type " + request.getType().getName()
                        + " is not allowed here (read-only; exec only for operations in " + JolokiaAccess.EXEC_ALLOW_KEY + ")"), request);
            }
            return super.executeRequest(request);
        }
    }

    private static final class Slf4jLog implements LogHandler {
        @Override
        public void debug(String message) {
            LOG.debug(message);
        }

        @Override
        public void info(String message) {
            LOG.info(message);
        }

        @Override
        public void error(String message, Throwable t) {
            LOG.error(message, t);
        }

        @Override
        public boolean isDebug() {
            return LOG.isDebugEnabled();
        }
    }
}
