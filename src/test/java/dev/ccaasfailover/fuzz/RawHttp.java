package dev.ccaasfailover.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Sends bytes the JDK client refuses to send (bad escapes, control bytes in headers, smuggling framing, odd request
 * lines) on a fresh loopback socket and reads one response: status, headers and body (Content-Length or chunked).
 */
final class RawHttp {

    /** A response as both clients report it; status 0 means the server answered nothing. */
    record Response(int status, List<String[]> headers, byte[] body, String noAnswer) {

        String header(String name) {
            for (String[] h : headers) {
                if (h[0].equalsIgnoreCase(name)) {
                    return h[1];
                }
            }
            return null;
        }
    }

    private RawHttp() {
    }

    static Response send(int port, byte[] request, int timeoutMs) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), timeoutMs);
            s.setSoTimeout(timeoutMs);
            OutputStream out = s.getOutputStream();
            try {
                out.write(request);
                out.flush();
            } catch (IOException e) {
                // The server may answer and close before it has read everything (413, 431): read what it said.
            }
            return read(s.getInputStream());
        } catch (IOException e) {
            return new Response(0, List.of(), new byte[0], e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /** The final response: interim 1xx answers (100 Continue) are read past. */
    private static Response read(InputStream in) throws IOException {
        Response r = readOne(in);
        for (int i = 0; i < 5 && r.status() >= 100 && r.status() < 200 && r.status() != 101; i++) {
            r = readOne(in);
        }
        return r;
    }

    private static Response readOne(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int state = 0;
        try {
            while (state < 4) {
                int c = in.read();
                if (c < 0) {
                    break;
                }
                head.write(c);
                state = (c == '\r' && (state == 0 || state == 2)) || (c == '\n' && (state == 1 || state == 3)) ? state + 1 : c == '\r' ? 1 : 0;
            }
        } catch (SocketTimeoutException e) {
            return new Response(0, List.of(), new byte[0], head.size() == 0 ? "no answer within the timeout" : "headers incomplete at the timeout");
        } catch (IOException e) {
            if (head.size() == 0) {
                return new Response(0, List.of(), new byte[0], "connection closed without an answer (" + e.getMessage() + ")");
            }
        }
        if (head.size() == 0) {
            return new Response(0, List.of(), new byte[0], "connection closed without an answer");
        }
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        String[] statusLine = lines[0].split(" ", 3);
        int status;
        try {
            status = Integer.parseInt(statusLine[1]);
        } catch (RuntimeException e) {
            return new Response(0, List.of(), head.toByteArray(), "not an HTTP status line: " + HostileRequest.clip(lines[0], 80));
        }
        List<String[]> headers = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.add(new String[]{lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim()});
            }
        }
        Response r = new Response(status, headers, new byte[0], null);
        byte[] body;
        try {
            String length = r.header("Content-Length");
            String te = r.header("Transfer-Encoding");
            if (length != null) {
                body = in.readNBytes(Integer.parseInt(length.trim()));
            } else if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
                body = chunked(in);
            } else if (status == 204 || status == 304 || status / 100 == 1) {
                body = new byte[0];
            } else {
                body = in.readAllBytes();
            }
        } catch (SocketTimeoutException e) {
            body = new byte[0];
        }
        return new Response(status, headers, body, null);
    }

    private static byte[] chunked(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String size = line(in);
            int n = Integer.parseInt(size.split(";")[0].trim(), 16);
            if (n == 0) {
                line(in);
                return body.toByteArray();
            }
            body.write(in.readNBytes(n));
            line(in);
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            if (c != '\r') {
                b.write(c);
            }
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }
}
