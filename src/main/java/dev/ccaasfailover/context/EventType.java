package dev.ccaasfailover.context;

import java.util.Optional;

/** The canonical event types of docs/architecture.md. */
public enum EventType {
    CallStarted, QueueEntered, TransferInitiated, CallEnded, IVRState;

    public static Optional<EventType> parse(String name) {
        for (EventType t : values()) {
            if (t.name().equals(name)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /** IVR heartbeats arrive every 10 s per call; they are kept apart from the call history of a caller. */
    public boolean isHeartbeat() {
        return this == IVRState;
    }
}
