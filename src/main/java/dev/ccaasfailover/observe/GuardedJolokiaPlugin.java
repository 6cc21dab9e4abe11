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
                throw new BadRequestException("a POST needs a JSON request (an object, or an array of them) as its body");
            } else {
                byte[] body = ctx.body().buffer().getBytes();
                requireJsonRequest(body);
                json = requests.handlePostRequest(req.uri(), new ByteArrayInputStream(body),
                        StandardCharsets.UTF_8.name(), params(req.params()));
            }
        } catch (BadRequestException | IllegalArgumentException | java.io.IOException e) {
            status = 400;
            json = requests.handleThrowable(new IllegalArgumentException(e.getMessage()));
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
        ctx.response().setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(json instanceof JSONStructure s ? s.toJSONString() : String.valueOf(json));
    }

    /** Jolokia's own parser throws IllegalStateException on truncated JSON; Jackson's answer is a clear 400. */
    private static void requireJsonRequest(byte[] body) {
        try {
            var tree = Json.MAPPER.readTree(body);
            if (tree == null || !(tree.isObject() || tree.isArray())) {
                throw new BadRequestException("body: a Jolokia request is a JSON object or an array of them");
            }
        } catch (java.io.IOException e) {
            throw new BadRequestException("body: not valid JSON");
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
