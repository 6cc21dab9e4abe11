package dev.ccaasfailover.health;

import java.io.IOException;

/** One OPTIONS client transaction over one transport. */
interface OptionsExchange {

    /**
     * Sends the probe and waits for its final response until {@code deadlineNanos}
     * ({@link System#nanoTime()} scale).
     *
     * @return the final response, or null when none arrived before the deadline
     * @throws IOException refused ports, unknown hosts, TLS and other I/O failures; a connect or
     *                     handshake that runs out of time throws {@link java.net.SocketTimeoutException}
     */
    FinalResponse exchange(SipTarget target, ProbeIdentity id, long deadlineNanos) throws IOException;
}
