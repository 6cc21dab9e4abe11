package dev.ccaasfailover.store;

import java.util.List;
import java.util.Objects;

/**
 * One all-or-nothing write of {@link Store#putGuarded}: when no live item holds the guard's key, the guard and
 * every item of {@code with} are stored together, and every put of {@code forward} is applied (each only if it
 * moves its item forward); otherwise nothing is. Ingest uses the event-id dedupe item as the guard, the per-caller
 * and per-call items as {@code with}, and, for an IVRState heartbeat, the caller's latest-IVR item as
 * {@code forward}, so an event is either stored everywhere or nowhere, and never twice.
 *
 * @param guard   stored at version 1 only if its key is free (like {@link Store#putIfAbsent})
 * @param with    stored at version 1 (replacing whatever held their keys) when the guard is written
 * @param forward applied, each on its own order condition ({@link ForwardPut}), when the guard is written, or when
 *                the guard's key is held by a guard with the same data (this very write, sent again)
 */
public record GuardedWrite(StoreItem guard, List<StoreItem> with, List<ForwardPut> forward) {
    public GuardedWrite {
        Objects.requireNonNull(guard, "guard");
        with = List.copyOf(with);
        forward = List.copyOf(forward);
    }

    /** A guarded write without forward puts. */
    public GuardedWrite(StoreItem guard, List<StoreItem> with) {
        this(guard, with, List.of());
    }
}
