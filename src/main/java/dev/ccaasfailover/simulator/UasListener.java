package dev.ccaasfailover.simulator;

/** A bound socket plus the threads that serve it; closing it stops serving. */
interface UasListener extends AutoCloseable {

    int port();

    @Override
    void close();
}
