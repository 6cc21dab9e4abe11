package dev.ccaasfailover.simulator;

import java.io.IOException;

/** Where a response goes: back to the UDP source address, or down the request's connection. */
@FunctionalInterface
interface ResponseSink {
    void send(byte[] response) throws IOException;
}
