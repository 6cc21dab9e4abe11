package dev.ccaasfailover.store;

import java.util.List;
import java.util.Objects;

/**
 * One all-or-nothing write of {@link Store#putGuarded}: when no live item holds the guard's key, the guard and
 * every item of {@code with} are stored together; otherwise nothing is. Ingest uses the event-id dedupe item as
 * the guard and the per-caller and per-call items as {@code with}, so an event is either stored everywhere or
 * nowhere, and never twice.
 *
 * @param guard stored at version 1 only if its key is free (like {@link Store#putIfAbsent})
 * @param with  stored at version 1 (replacing whatever held their keys) when the guard is written
 */
public record GuardedWrite(StoreItem guard, List<StoreItem> with) {
    public GuardedWrite {
        Objects.requireNonNull(guard, "guard");
        with = List.copyOf(with);
    }
}
