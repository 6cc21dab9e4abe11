package dev.ccaasfailover.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The store port: the only operations the product needs from a durable store. Two adapters implement it
 * with the same semantics ({@code embedded}: SQLite; {@code dynamodb}: Amazon DynamoDB), checked by one
 * contract test suite.
 *
 * <p>Every write is durable when the method returns. Conditional writes are the fencing primitive of the
 * control plane (two instances never both win) and the dedupe primitive of ingest (an event id is stored
 * once). Expired items (expiresAt in the past) are never returned, even before {@link #purgeExpired} runs.
 *
 * <p>Any failure to reach or use the store is a {@link StoreUnavailableException}, so the HTTP layer can
 * answer 503 and never acknowledge what was not written.
 */
public interface Store extends AutoCloseable {

    /** The item at (table, pk, sk), if present and not expired. */
    Optional<StoreItem> get(String table, String pk, String sk);

    /**
     * Writes the item only if no live item holds its key. The stored version is 1.
     *
     * @return true if written; false if the key was already taken (a duplicate)
     */
    boolean putIfAbsent(StoreItem item);

    /**
     * Replaces the item only if the stored version equals {@code expectedVersion}; the stored version becomes
     * expectedVersion + 1. {@code expectedVersion == 0} means "only if absent", like {@link #putIfAbsent}.
     *
     * @return true if written; false if another writer got there first
     */
    boolean putIfVersion(StoreItem item, long expectedVersion);

    /**
     * Applies every guarded write, in order, and returns for each whether it was written (false: its guard's key
     * was already taken, a duplicate). Each write is atomic (guard and its items, or nothing); the forward puts of a
     * written guard are applied after it, each only if it moves its item forward ({@link ForwardPut}). A duplicate's
     * forward puts are applied only when its guard's data equals the stored guard's (the same event sent again, e.g.
     * a retry after a 503), still each only if it moves its item forward: a retry so repairs a forward put a crash
     * lost, and a different event that reuses a guard key moves nothing. All of it is durable when the method
     * returns. The embedded store commits the whole list, forward puts included, in one transaction (one fsync);
     * DynamoDB sends one TransactWriteItems per write, then one conditional PutItem per item the list moves forward
     * (the greatest order of the list for each key), so there a crash between the two can leave a forward item
     * behind until its key's next forward put or the event's retry.
     */
    List<Boolean> putGuarded(List<GuardedWrite> writes);

    /** Up to {@code limit} live items of one partition, newest first (descending sort key). */
    List<StoreItem> query(String table, String pk, int limit);

    /** Deletes the items whose expiresAt is before {@code now}; returns how many went. */
    int purgeExpired(Instant now);

    /** Cheap round trip used by readiness: true when the store answers. */
    boolean isAvailable();

    /** One line for the start-up log: which store and where, e.g. "embedded SQLite at data/ccaas-failover.db". */
    String describe();

    @Override
    void close();
}
