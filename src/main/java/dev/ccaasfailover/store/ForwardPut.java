package dev.ccaasfailover.store;

import java.util.Objects;

/**
 * A write that only ever moves an item forward: the item replaces what its key holds only if no live item holds the
 * key, or the live item's order key is smaller than {@code order} (string comparison), or the live item was written
 * without an order key. It is stored at version 1, with {@code order} beside it, like the items of
 * {@link GuardedWrite#with}. Applying the same forward put twice changes nothing the second time.
 *
 * <p>Ingest keeps a caller's latest IVR state this way: the order is the heartbeat's sort key
 * ({@code <timestamp>#<eventId>}), so a late older heartbeat never rewinds the item.
 *
 * @param item  the item to write
 * @param order the item's position in time; the stored item is replaced only by a greater one
 */
public record ForwardPut(StoreItem item, String order) {
    public ForwardPut {
        Objects.requireNonNull(item, "item");
        Objects.requireNonNull(order, "order");
    }
}
