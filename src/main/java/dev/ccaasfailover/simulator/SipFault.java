package dev.ccaasfailover.simulator;

/**
 * How the simulator treats one incoming request.
 *
 * @param kind    what to do
 * @param status  the final status for {@link Kind#RESPOND} (ignored otherwise)
 * @param delayMs how long to wait before answering, for {@link Kind#DELAY} and {@link Kind#RESPOND}
 */
public record SipFault(Kind kind, int status, long delayMs) {

    public enum Kind {
        /** 200 OK to OPTIONS (405 to other methods), at once. */
        ANSWER,
        /** Read the request and drop it: no response at all (a dead or black-holed trunk). */
        SILENT,
        /** Answer normally, but only after {@code delayMs}. */
        DELAY,
        /** Answer OPTIONS with {@code status} (e.g. 503, 486) after {@code delayMs}. */
        RESPOND
    }

    public SipFault {
        if (kind == null) {
            throw new IllegalArgumentException("kind is required");
        }
        if (delayMs < 0) {
            throw new IllegalArgumentException("delayMs must be >= 0, was " + delayMs);
        }
        if (kind == Kind.RESPOND && (status < 200 || status > 699)) {
            // 1xx would leave the client transaction open forever: not a final answer.
            throw new IllegalArgumentException("status must be a final SIP status 200-699, was " + status);
        }
    }

    public static SipFault answer() {
        return new SipFault(Kind.ANSWER, 200, 0);
    }

    public static SipFault silent() {
        return new SipFault(Kind.SILENT, 0, 0);
    }

    public static SipFault delay(long ms) {
        return new SipFault(Kind.DELAY, 200, ms);
    }

    public static SipFault respond(int status) {
        return new SipFault(Kind.RESPOND, status, 0);
    }

}
