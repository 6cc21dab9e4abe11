package dev.ccaasfailover.sip;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Cuts SIP messages out of a byte stream (TCP, TLS): RFC 3261 §18.3 frames stream messages by the
 * header block's blank line plus Content-Length bytes of body.
 *
 * <p>Hand-written because pkts-sip 3.0.18 frames complete buffers only; its stream builder
 * ({@code SipMessageStreamBuilder}) is an internal, push-style class. Bare CRLFs between messages
 * are RFC 5626 keep-alives and are skipped. Not thread-safe: one reader per connection.
 */
public final class SipStreamReader {

    /** A header block larger than this is not a SIP message we want to hold in memory. */
    static final int MAX_HEADER_BYTES = 64 * 1024;
    static final int MAX_BODY_BYTES = 1024 * 1024;

    private final InputStream in;

    public SipStreamReader(InputStream in) {
        this.in = in;
    }

    /**
     * Reads the next complete message (start line, headers, blank line, body).
     *
     * @return the message bytes, or {@code null} when the peer closed the stream between messages
     * @throws IOException on a read error, a time-out of the underlying socket, or a malformed frame
     */
    public byte[] next() throws IOException {
        int first = skipKeepAlives();
        if (first < 0) {
            return null;
        }
        ByteArrayOutputStream message = new ByteArrayOutputStream(512);
        message.write(first);
        readHeaderBlock(message);
        int contentLength = contentLength(message.toString(StandardCharsets.UTF_8));
        if (contentLength > MAX_BODY_BYTES) {
            throw new IOException("SIP body of " + contentLength + " bytes exceeds " + MAX_BODY_BYTES);
        }
        byte[] body = in.readNBytes(contentLength);
        if (body.length < contentLength) {
            throw new EOFException("stream closed inside a SIP body");
        }
        message.write(body);
        return message.toByteArray();
    }

    private int skipKeepAlives() throws IOException {
        int b;
        do {
            b = in.read();
        } while (b == '\r' || b == '\n');
        return b;
    }

    private void readHeaderBlock(ByteArrayOutputStream message) throws IOException {
        // Match the CRLFCRLF that ends the header block; tolerant of nothing else.
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("stream closed inside a SIP header block");
            }
            message.write(b);
            if (message.size() > MAX_HEADER_BYTES) {
                throw new IOException("SIP header block exceeds " + MAX_HEADER_BYTES + " bytes");
            }
            boolean expectCr = matched == 0 || matched == 2;
            if ((expectCr && b == '\r') || (!expectCr && b == '\n')) {
                matched++;
            } else {
                matched = b == '\r' ? 1 : 0;
            }
        }
    }

    /**
     * The Content-Length (or its compact form {@code l}) of a header block; 0 when absent, which
     * RFC 3261 §18.3 forbids on streams but which we read as "no body" rather than hang.
     */
    static int contentLength(String headerBlock) throws IOException {
        for (String line : headerBlock.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            if (name.equals("content-length") || name.equals("l")) {
                String value = line.substring(colon + 1).trim();
                try {
                    int length = Integer.parseInt(value);
                    if (length < 0) {
                        throw new NumberFormatException();
                    }
                    return length;
                } catch (NumberFormatException e) {
                    throw new IOException("bad Content-Length '" + value + "'");
                }
            }
        }
        return 0;
    }
}
