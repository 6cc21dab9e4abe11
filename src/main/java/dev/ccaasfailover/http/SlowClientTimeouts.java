package dev.ccaasfailover.http;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bounds how long a client may take to send a request (Vert.x itself waits for ever, so slow or idle clients could
 * hold every file descriptor). Header timeout: a connection must deliver a complete request head within
 * {@code failover.http.header-timeout-ms} of opening, or of its previous answer, else it is closed (a trickled
 * header, or a kept-alive connection left waiting). Body timeout: the body must be in within
 * {@code failover.http.body-timeout-ms} of the head, else 408 with the JSON error body and the connection closed.
 * Processing time is not bounded here. The idle timeout (no byte either way) is Vert.x's own option.
 */
final class SlowClientTimeouts {

    private final Vertx vertx;
    private final long headerTimeoutMs;
    private final long bodyTimeoutMs;
    private final Map<HttpConnection, Connection> open = new ConcurrentHashMap<>();

    SlowClientTimeouts(Vertx vertx, long headerTimeoutMs, long bodyTimeoutMs) {
        this.vertx = vertx;
        this.headerTimeoutMs = headerTimeoutMs;
        this.bodyTimeoutMs = bodyTimeoutMs;
    }

    /** Server connection handler (on the connection's event loop, like everything below for that connection). */
    void onConnection(HttpConnection connection) {
        Connection c = new Connection(connection);
        open.put(connection, c);
        connection.closeHandler(v -> {
            c.closed = true;
            c.cancelHeaderTimer();
            open.remove(connection);
        });
        c.awaitHead();
    }

    /** First handler of the server's router: the head of a request is in. */
    void onRequest(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        Connection c = open.get(request.connection());
        if (c != null) {
            c.requestStarted();
        }
        long bodyTimer = request.isEnded() ? -1 : vertx.setTimer(bodyTimeoutMs, id -> {
            if (!request.isEnded() && !ctx.response().headWritten()) {
                JsonErrorPages.writeAndClose(request.response(), 408,
                        "body: not received within " + bodyTimeoutMs + " ms (failover.http.body-timeout-ms)", "body");
            }
        });
        ctx.addEndHandler(done -> {
            if (bodyTimer >= 0) {
                vertx.cancelTimer(bodyTimer);
            }
            if (c != null) {
                c.requestEnded();
            }
        });
        ctx.next();
    }

    /** Requests in progress on one connection (HTTP/2 may carry several) and the header timer while there are none. */
    private final class Connection {
        private final HttpConnection connection;
        private int inProgress;
        private long headerTimer = -1;
        private boolean closed;

        Connection(HttpConnection connection) {
            this.connection = connection;
        }

        void awaitHead() {
            cancelHeaderTimer();
            if (closed) {
                return;
            }
            headerTimer = vertx.setTimer(headerTimeoutMs, id -> {
                if (inProgress == 0) {
                    connection.close();
                }
            });
        }

        void requestStarted() {
            inProgress++;
            cancelHeaderTimer();
        }

        void requestEnded() {
            if (--inProgress == 0) {
                awaitHead();
            }
        }

        void cancelHeaderTimer() {
            if (headerTimer >= 0) {
                vertx.cancelTimer(headerTimer);
                headerTimer = -1;
            }
        }
    }
}
