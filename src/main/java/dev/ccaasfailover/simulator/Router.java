package dev.ccaasfailover.simulator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps method + path template ({@code /api/v2/users/{userId}}) to a handler. Templates are matched
 * against the raw (still encoded) path, one segment per placeholder, so an encoded slash inside an id
 * stays inside its segment; placeholder values are decoded before the handler sees them.
 */
final class Router {

    @FunctionalInterface
    interface Handler {
        SimResponse handle(SimRequest request, Map<String, String> pathParams) throws Exception;
    }

    private record Route(String method, Pattern pattern, List<String> names, Handler handler) {
    }

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{(\\w+)}");

    private final List<Route> routes = new ArrayList<>();
    private final boolean caseInsensitive;

    Router(boolean caseInsensitive) {
        this.caseInsensitive = caseInsensitive;
    }

    Router add(String method, String template, Handler handler) {
        List<String> names = new ArrayList<>();
        StringBuilder regex = new StringBuilder();
        Matcher m = PLACEHOLDER.matcher(template);
        int last = 0;
        while (m.find()) {
            regex.append(Pattern.quote(template.substring(last, m.start()))).append("([^/]+)");
            names.add(m.group(1));
            last = m.end();
        }
        regex.append(Pattern.quote(template.substring(last))).append("/?");
        int flags = caseInsensitive ? Pattern.CASE_INSENSITIVE : 0;
        routes.add(new Route(method, Pattern.compile(regex.toString(), flags), names, handler));
        return this;
    }

    SimResponse dispatch(SimRequest request) throws Exception {
        boolean pathKnown = false;
        for (Route route : routes) {
            Matcher m = route.pattern().matcher(request.rawPath());
            if (!m.matches()) {
                continue;
            }
            pathKnown = true;
            if (!route.method().equalsIgnoreCase(request.method())) {
                continue;
            }
            Map<String, String> params = new LinkedHashMap<>();
            for (int i = 0; i < route.names().size(); i++) {
                params.put(route.names().get(i), SimRequest.decode(m.group(i + 1)));
            }
            return route.handler().handle(request, params);
        }
        if (pathKnown) {
            throw new SimHttpException(405, "method.not.allowed", request.method() + " is not allowed on " + request.path());
        }
        throw new SimHttpException(404, "not.found", "no such resource: " + request.path());
    }
}
