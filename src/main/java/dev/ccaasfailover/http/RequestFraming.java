package dev.ccaasfailover.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Refuses, with 400 and the JSON error body, the three framings Vert.x gets wrong (RFC 9112): an HTTP version other
 * than 1.0 and 1.1 (Vert.x answers 501 with no body, a server error for a client's mistake), more than one Host header
 * (§3.2: "MUST respond with a 400"; Vert.x takes the first) and a malformed chunk (Vert.x closes the connection
 * without an answer). It sits in the connection's Netty pipeline right after Vert.x's response encoder, so it sees
 * decoded request heads and chunks before Vert.x does, and the responses Vert.x writes: it answers a bad chunk if no
 * answer has begun, else it sends the answer out before Vert.x closes the connection. After a refusal the connection's remaining input is dropped and the connection closed,
 * since nothing that follows can be trusted to be a request.
 */
final class RequestFraming extends ChannelDuplexHandler {

    private boolean refused;
    private boolean answerStarted;

    private RequestFraming() {
    }

    /** Called from the server's connection handler, before the connection reads its first byte. */
    static void install(HttpConnection connection) {
        Channel channel = ((ConnectionBase) connection).channel();
        if (channel.pipeline().get("httpEncoder") != null) {
            channel.pipeline().addAfter("httpEncoder", "requestFraming", new RequestFraming());
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (refused) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpRequest request) {
            answerStarted = false;
            String problem = headProblem(request);
            if (problem != null) {
                refuse(ctx, msg, problem);
                return;
            }
        } else if (msg instanceof HttpContent content && content.decoderResult().isFailure()) {
            if (!answerStarted) {
                refuse(ctx, msg, "body: malformed chunked encoding");
                return;
            }
            // An answer written before the body was read (a 401) is still in Vert.x's write batch; Vert.x closes the
            // connection on this chunk, and a close drops what was not flushed.
            ctx.channel().flush();
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (msg instanceof HttpResponse) {
            answerStarted = true;
        }
        super.write(ctx, msg, promise);
    }

    static String headProblem(HttpRequest request) {
        HttpVersion version = request.protocolVersion();
        if (version != HttpVersion.HTTP_1_1 && version != HttpVersion.HTTP_1_0) {
            return "HTTP version '" + clip(version.text()) + "' not supported; send HTTP/1.1";
        }
        if (request.headers().getAll(HttpHeaderNames.HOST).size() > 1) {
            return "Host: sent more than once (RFC 9112 section 3.2)";
        }
        return null;
    }

    private void refuse(ChannelHandlerContext ctx, Object msg, String message) {
        refused = true;
        ReferenceCountUtil.release(msg);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", 400);
        body.put("message", message);
        if (message.startsWith("Host:")) {
            body.put("field", "Host");
        } else if (message.startsWith("body:")) {
            body.put("field", "body");
        }
        byte[] json = Json.write(body).getBytes(StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.BAD_REQUEST,
                Unpooled.wrappedBuffer(json));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json")
                .set(HttpHeaderNames.CONTENT_LENGTH, json.length)
                .set(HttpHeaderNames.CONNECTION, "close");
        ctx.writeAndFlush(response).addListener(done -> ctx.channel().close());
    }

    private static String clip(String text) {
        String printable = text.replaceAll("[^\\x21-\\x7e]", "?");
        return printable.length() > 20 ? printable.substring(0, 20) + "..." : printable;
    }

}
